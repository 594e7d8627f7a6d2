/**
 * `--batch-api`: OpenAI requests go out as Batch API jobs, at half price, instead of one
 * HTTP request each. Requests that arrive within one macrotask (the dispatcher sends a whole
 * ready level at once) are gathered per base URL, key, endpoint and model (a batch file takes
 * one model), written as JSONL, uploaded, run as a batch that is polled with doubling waits,
 * and answered from the output and error files by `custom_id`. Each line's body is the one
 * the normal path sends, and its answer is read by the normal path's code, so results, usage
 * and per-request errors are the same; only the transport differs. Cohere requests, rerank
 * and vLLM's multi-conversation chat go through the normal backend.
 */
import type OpenAI from "openai";
import { APIUserAbortError, toFile } from "openai";
import type { Batch } from "openai/resources/batches";
import type { ChatCompletion } from "openai/resources/chat/completions";
import type { Completion } from "openai/resources/completions";
import type { CreateEmbeddingResponse } from "openai/resources/embeddings";
import type { IrClient } from "../ir/nodes.js";
import type { Data } from "../ir/value.js";
import type { CompleteRequest, EmbedRequest, ModelBackend, RequestBase } from "../runtime/backend.js";
import { outputFormat } from "../runtime/structured/index.js";
import type { Env } from "./api-keys.js";
import { checkItems, fail, type Call } from "./call.js";
import { bodyMessage } from "./errors.js";
import { cancelledFailure, httpFailure } from "./failures.js";
import { chatBody, completionBody, embeddingBody, openaiClient, openaiFailure, readChat, readCompletion, readEmbeddings } from "./openai.js";
import { callFor, providerBackend, type ProviderOptions } from "./provider-backend.js";
import { linkedSignal } from "../runtime/linked-signal.js";

export interface BatchApiOptions extends ProviderOptions {
  /** The first wait before polling a batch (ms, default 1000); each next wait doubles. */
  readonly pollMs?: number;
  /** The longest wait between polls (ms, default 60,000). */
  readonly maxPollMs?: number;
}

type Url = "/v1/chat/completions" | "/v1/completions" | "/v1/embeddings";

/** One request waiting for its batch: its line's body and how to read the line's answer. */
interface Entry {
  readonly customId: string;
  readonly call: Call;
  readonly body: object;
  /** Embedding inputs the line carries (the Batch API caps them per batch), else 1. */
  readonly inputs: number;
  readonly read: (answer: unknown) => unknown;
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

/** Provider facts: a batch file holds up to 50,000 requests (and embedding inputs) and 200 MB. */
const MAX_LINES = 50_000;
const MAX_BYTES = 200 * 1024 * 1024;
const ENDED: ReadonlySet<string> = new Set(["completed", "failed", "expired", "cancelled"]);

/**
 * A ModelBackend that sends OpenAI requests as Batch API jobs and everything else through
 * `inner`. Requests that arrive within the same macrotask (the dispatcher sends a whole ready
 * level at once) become one job per endpoint and base URL (and model): JSONL upload, create,
 * poll with backoff (`pollMs` start, doubling, capped), download, answers placed by custom_id.
 */
export function batchApiBackend(options: BatchApiOptions): ModelBackend {
  const env: Env = options.env ?? process.env;
  const inner = providerBackend(options);
  const pollMs = options.pollMs ?? 1000;
  const maxPollMs = Math.max(pollMs, options.maxPollMs ?? 60_000);
  const sdks = new Map<string, OpenAI>();
  let waiting = new Map<string, Entry[]>();
  let seq = 0;

  /** The normal path's call setup, for the OpenAI clients this path serves (checked by `batchable`). */
  function prepare(req: CompleteRequest | EmbedRequest, signal: AbortSignal | undefined): Call {
    return callFor(req.client, req.settings, signal, options, env, req.onHeaders, req.onUsage);
  }

  /** Queues one line; the first line of a macrotask schedules the flush. */
  function enqueue<T>(req: RequestBase, call: Call, url: Url, body: { model: string }, inputs: number, read: (answer: unknown) => T): Promise<T> {
    if (call.signal?.aborted) return Promise.reject(cancelledFailure(call));
    return new Promise<T>((resolve, reject) => {
      const key = JSON.stringify([call.baseURL, call.apiKey, url, body.model]);
      if (waiting.size === 0) setImmediate(flush);
      let list = waiting.get(key);
      if (!list) waiting.set(key, (list = []));
      list.push({ customId: `feste-${++seq}`, call, body, inputs, read, resolve: resolve as (v: unknown) => void, reject });
    });
  }

  function flush(): void {
    const jobs = waiting;
    waiting = new Map();
    for (const [key, entries] of jobs) {
      const url = JSON.parse(key)[2] as Url;
      for (const part of split(entries)) void runJob(url, part);
    }
  }

  function sdkFor(call: Call): OpenAI {
    const key = `${call.baseURL}\u0000${call.apiKey}`;
    let sdk = sdks.get(key);
    if (!sdk) sdks.set(key, (sdk = openaiClient(call.baseURL, call.apiKey, env)));
    return sdk;
  }

  /**
   * One batch from upload to answers. A request whose signal aborts fails at once as
   * cancelled; once every request of the job has, polling stops and the batch is cancelled.
   */
  async function runJob(url: Url, entries: readonly Entry[]): Promise<void> {
    const stop = new AbortController();
    const live = new Set(entries);
    const detach: (() => void)[] = [];
    for (const e of entries) {
      const signal = e.call.signal;
      if (!signal) continue;
      const onAbort = () => {
        e.reject(cancelledFailure(e.call));
        live.delete(e);
        if (live.size === 0) stop.abort();
      };
      if (signal.aborted) onAbort();
      else {
        signal.addEventListener("abort", onAbort, { once: true });
        detach.push(() => signal.removeEventListener("abort", onAbort));
      }
    }
    const first = entries[0].call;
    const sdk = sdkFor(first);
    const timeouts = entries.map((e) => e.call.timeoutMs).filter((t): t is number => t !== undefined);
    const opts: OpenAI.RequestOptions = { maxRetries: 0, signal: stop.signal, ...(timeouts.length ? { timeout: Math.min(...timeouts) } : {}) };
    let batch: Batch | undefined;
    try {
      const jsonl = entries.map((e) => JSON.stringify({ custom_id: e.customId, method: "POST", url, body: e.body })).join("\n") + "\n";
      const file = await sdk.files.create({ file: await toFile(Buffer.from(jsonl), "feste-batch.jsonl", { type: "application/jsonl" }), purpose: "batch" }, opts);
      batch = await sdk.batches.create({ input_file_id: file.id, endpoint: url, completion_window: "24h" }, opts);
      for (let wait = pollMs; !ENDED.has(batch.status); wait = Math.min(wait * 2, maxPollMs)) {
        await sleep(wait, stop.signal);
        batch = await sdk.batches.retrieve(batch.id, opts);
      }
      if (batch.status !== "completed") {
        const said = (batch.errors?.data ?? []).map((d) => `${d.line ? `line ${d.line}: ` : ""}${d.message ?? d.code}`).slice(0, 3).join("; ");
        for (const e of entries) e.reject(fail(e.call, `the Batch API job \`${batch.id}\` ended \`${batch.status}\`${said ? `: ${said}` : ""}`, { reason: "request" }));
        return;
      }
      const lines = [...(await download(sdk, batch.output_file_id, opts)), ...(await download(sdk, batch.error_file_id, opts))];
      const byId = new Map(lines.map((l) => [l.custom_id, l]));
      for (const e of entries) answer(e, batch.id, byId.get(e.customId));
    } catch (err) {
      if (stop.signal.aborted && batch && !ENDED.has(batch.status)) void sdk.batches.cancel(batch.id, { maxRetries: 0 }).catch(() => undefined);
      for (const e of entries) e.reject(openaiFailure(e.call, err));
    } finally {
      for (const d of detach) d();
    }
  }

  return {
    complete(req: CompleteRequest): Promise<Data[]> {
      const multiChat = req.client.endpoint === "openai.chat" && req.prompts.length > 1 && { ...req.client.settings, ...req.settings }.batch_endpoint === true;
      if (req.prompts.length === 0 || !batchable(req.client, "complete") || multiChat) return inner.complete(req);
      return attempt(req, prepare, (call) => {
        const format = outputFormat(req.output, req.types);
        if (call.endpoint === "openai.completion") {
          return enqueue(req, call, "/v1/completions", completionBody(call, req, format), 1, (d) => readCompletion(call, req, format, d as Completion));
        }
        checkItems(call, req.prompts.length, 1, "prompts");
        return enqueue(req, call, "/v1/chat/completions", chatBody(call, req, format), 1, (d) => readChat(call, req, format, d as ChatCompletion));
      });
    },
    embed(req: EmbedRequest): Promise<number[][]> {
      if (req.texts.length === 0 || !batchable(req.client, "embed")) return inner.embed(req);
      return attempt(req, prepare, (call) => {
        const body = { ...embeddingBody(call, req), encoding_format: "base64" as const };
        return enqueue(req, call, "/v1/embeddings", body, req.texts.length, (d) => readEmbeddings(call, req, asFloats(d as CreateEmbeddingResponse)));
      });
    },
    rerank: (req) => inner.rerank(req),
  };
}

/** OpenAI clients of the right kind; anything else is the normal backend's (and its errors). */
function batchable(client: IrClient, method: "complete" | "embed"): boolean {
  if (client.combinator || client.provider !== "openai" || !client.endpoint) return false;
  return method === "embed" ? client.kind === "embedding" : client.kind === "chat" || client.kind === "completion";
}

/**
 * Prepares the call with its own signal (see `linkedSignal`: the run's signal gets one
 * listener however many requests wait) and queues the line; a failure while building it is
 * the request's, in the normal path's words.
 */
async function attempt<R extends CompleteRequest | EmbedRequest, T>(req: R, prepare: (req: R, signal: AbortSignal | undefined) => Call, send: (call: Call) => Promise<T>): Promise<T> {
  const link = linkedSignal(req.signal);
  try {
    const call = prepare(req, link.signal);
    try {
      return await send(call);
    } catch (e) {
      throw openaiFailure(call, e);
    }
  } finally {
    link.release();
  }
}

/** A line's answer, or its error as a direct request would have given it. */
function answer(e: Entry, batchId: string, line: OutputLine | undefined): void {
  try {
    if (!line) throw fail(e.call, `the Batch API job \`${batchId}\` has no answer for request \`${e.customId}\``, { reason: "answer" });
    if (line.error) throw fail(e.call, `the Batch API job \`${batchId}\` did not run the request: ${bodyMessage(line.error)}`, { reason: "request", retryable: true });
    const status = line.response?.status_code;
    if (status !== 200) throw httpFailure(e.call, status ?? 0, line.response?.body, undefined);
    e.resolve(e.read(line.response?.body));
  } catch (err) {
    e.reject(openaiFailure(e.call, err));
  }
}

interface OutputLine {
  readonly custom_id: string;
  readonly response?: { readonly status_code?: number; readonly body?: unknown } | null;
  readonly error?: { readonly code?: string; readonly message?: string } | null;
}

async function download(sdk: OpenAI, fileId: string | null | undefined, opts: OpenAI.RequestOptions): Promise<OutputLine[]> {
  if (!fileId) return [];
  const text = await (await sdk.files.content(fileId, opts)).text();
  return text.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as OutputLine);
}

/** Entries in jobs within the Batch API's limits: lines, bytes and embedding inputs per file. */
function split(entries: readonly Entry[]): Entry[][] {
  const parts: Entry[][] = [];
  let part: Entry[] = [];
  let bytes = 0;
  let inputs = 0;
  for (const e of entries) {
    const size = Buffer.byteLength(JSON.stringify(e.body)) + 100;
    if (part.length > 0 && (part.length >= MAX_LINES || bytes + size > MAX_BYTES || inputs + e.inputs > MAX_LINES)) {
      parts.push(part);
      part = [];
      bytes = 0;
      inputs = 0;
    }
    part.push(e);
    bytes += size;
    inputs += e.inputs;
  }
  if (part.length > 0) parts.push(part);
  return parts;
}

/** What openai-node does to an embeddings answer it asked for in base64: little-endian float32 values. */
function asFloats(data: CreateEmbeddingResponse): CreateEmbeddingResponse {
  const decode = (v: unknown) => {
    if (typeof v !== "string") return v as number[];
    // A copy, so the view starts on a 4-byte boundary whatever the pool gave.
    const bytes = new Uint8Array(Buffer.from(v, "base64"));
    return Array.from(new Float32Array(bytes.buffer, 0, bytes.length >> 2));
  };
  return { ...data, data: (data.data ?? []).map((d) => ({ ...d, embedding: decode(d.embedding) })) };
}

/** Waits `ms`, or fails as an SDK abort when `signal` aborts first. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new APIUserAbortError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new APIUserAbortError());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
