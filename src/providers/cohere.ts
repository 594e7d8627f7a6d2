/**
 * Cohere endpoints through the official `cohere-ai` SDK: chat, embed and rerank on API v2,
 * and the legacy v1 `generate` (kept for the seed's example; one prompt a request). `base_url`
 * is the bare origin (`http://127.0.0.1:8000`): the SDK adds `/v2/chat`, `/v1/generate`.
 * The SDK's retries are off: the scheduler owns retries.
 */
import type { Cohere, CohereClient, CohereClientV2, CohereError } from "cohere-ai";
import type { CompleteRequest, EmbedRequest, RerankRequest } from "../runtime/backend.js";
import { outputFormat } from "../runtime/structured/index.js";
import { withSchemaInstruction } from "../runtime/structured/instruction.js";
import { promptText, type Data, type PromptValue } from "../ir/value.js";
import { decodeAnswer } from "./answers.js";
import { checkItems, fail, modelOf, numberSetting, stringSetting, stringsSetting, usage, type Call, type Usage } from "./call.js";
import { ProviderError } from "./errors.js";
import { cancelledFailure, httpFailure, networkFailure, timeoutFailure, unreadableFailure } from "./failures.js";
import { vectorsOf } from "./vectors.js";
import { toolCallsAnswer, toolsOf } from "./tools.js";

/** Where Cohere clients without `base_url` go (the SDK's own default). */
export const COHERE_BASE_URL = "https://api.cohere.com";

/**
 * The SDK clients for one base URL and key. `generate` goes through the v1 client: in
 * cohere-ai 8.1 `CohereClientV2.generate` is bound to the wrong object and always throws.
 */
export interface CohereClients {
  readonly v1: CohereClient;
  readonly v2: CohereClientV2;
}

/**
 * The SDK, loaded the first time a Cohere client is needed: it is hundreds of modules, and a
 * program that calls only OpenAI should not wait for them at start-up.
 */
let sdkModule: typeof import("cohere-ai") | undefined;

/**
 * The SDK's exports. Bundled into dist (one file instead of 700 modules to resolve and read),
 * it is a CommonJS module whose exports arrive as the default export; imported from the
 * sources, as the tests do, Node names them.
 */
async function loadSdk(): Promise<typeof import("cohere-ai")> {
  const m = (await import("cohere-ai")) as typeof import("cohere-ai") & { readonly default?: typeof import("cohere-ai") };
  return typeof m.CohereClient === "function" ? m : m.default!;
}

/** Both SDK clients for one base URL (a bare origin) and key, with retries off. */
export async function cohereClients(baseUrl: string, token: string): Promise<CohereClients> {
  const { CohereClient, CohereClientV2 } = (sdkModule ??= await loadSdk());
  const options = { token, baseUrl, maxRetries: 0, fetch: settledFetch };
  return { v1: new CohereClient(options), v2: new CohereClientV2(options) };
}

/** The header of a stand-in response that carries a fetch failure's id. */
const FAILED_FETCH = "x-feste-failed-fetch";
/** Status of those stand-in responses: none that a server sends. */
const FAILED_STATUS = 599;
const failedFetches = new Map<string, unknown>();
let failures = 0;

/**
 * cohere-ai 8.1 starts a 300 s timer per request and clears it only when `fetch` resolves; a
 * fetch that rejects (connection refused, an abort) leaves the timer running, which keeps
 * the process alive for five minutes after a failed run. So this fetch never rejects: a
 * failure comes back as a response `cohereFailure` recognises, and the original error is
 * taken up again there.
 */
async function settledFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(input, init);
  } catch (e) {
    const id = String(++failures);
    failedFetches.set(id, e);
    return new Response("{}", { status: FAILED_STATUS, headers: { "content-type": "application/json", [FAILED_FETCH]: id } });
  }
}

/** The error a `settledFetch` stood in for, if `e` is one of its responses. */
function failedFetch(e: CohereError): { error: unknown } | undefined {
  const id = e.statusCode === FAILED_STATUS ? headerOf(e.rawResponse?.headers, FAILED_FETCH) : undefined;
  if (id === undefined || !failedFetches.has(id)) return undefined;
  const error = failedFetches.get(id);
  failedFetches.delete(id);
  return { error };
}

function headerOf(headers: unknown, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const v = (headers as Record<string, unknown> | undefined)?.[name];
  return typeof v === "string" ? v : undefined;
}

/** Chat or generate answers, one per prompt (both take one prompt a request). */
export async function cohereComplete(sdk: CohereClients, call: Call, req: CompleteRequest): Promise<Data[]> {
  try {
    checkItems(call, req.prompts.length, 1, "prompts");
    return call.endpoint === "cohere.generate" ? await generate(sdk, call, req) : await chat(sdk, call, req);
  } catch (e) {
    throw cohereFailure(call, e);
  }
}

/** One float vector per text, in order; `input_type` defaults to `search_document`. */
export async function cohereEmbed(sdk: CohereClients, call: Call, req: EmbedRequest): Promise<number[][]> {
  try {
    const inputType = (stringSetting(call, "input_type") ?? "search_document") as Cohere.EmbedInputType;
    const request: Cohere.V2EmbedRequest = { model: modelOf(call), texts: [...req.texts], inputType, embeddingTypes: ["float"] };
    const { data, rawResponse } = await sdk.v2.embed(request, requestOptions(call)).withRawResponse();
    call.onHeaders(rawResponse.headers);
    checkJson(call, data);
    call.onUsage(metaUsage(data.meta));
    return vectorsOf(call, data.embeddings?.float, req.texts.length);
  } catch (e) {
    throw cohereFailure(call, e);
  }
}

/** `Ranked` records `{ index, score, document }`, best first as the provider ordered them, at most `top_n`. */
export async function cohereRerank(sdk: CohereClients, call: Call, req: RerankRequest): Promise<Data> {
  try {
    const topN = numberSetting(call, "top_n");
    const request: Cohere.V2RerankRequest = { model: modelOf(call), query: req.query, documents: [...req.documents], ...(topN === undefined ? {} : { topN }) };
    const { data, rawResponse } = await sdk.v2.rerank(request, requestOptions(call)).withRawResponse();
    call.onHeaders(rawResponse.headers);
    checkJson(call, data);
    call.onUsage(metaUsage(data.meta));
    if (!Array.isArray(data.results)) throw fail(call, "the provider answered with no results", { reason: "answer" });
    const ranked = data.results.map((r, i) => {
      if (!Number.isInteger(r?.index) || r.index < 0 || r.index >= req.documents.length) {
        throw fail(call, `result ${i + 1} has index ${JSON.stringify(r?.index ?? null)}, expected 0 to ${req.documents.length - 1}`, { reason: "answer" });
      }
      if (typeof r.relevanceScore !== "number" || !Number.isFinite(r.relevanceScore)) {
        throw fail(call, `result ${i + 1} has no relevance score`, { reason: "answer" });
      }
      return { index: r.index, score: r.relevanceScore, document: req.documents[r.index] };
    });
    return topN === undefined ? ranked : ranked.slice(0, topN);
  } catch (e) {
    throw cohereFailure(call, e);
  }
}

async function chat(sdk: CohereClients, call: Call, req: CompleteRequest): Promise<Data[]> {
  const format = outputFormat(req.output, req.types);
  const request: Cohere.V2ChatRequest = {
    model: modelOf(call),
    messages: cohereMessages(req.prompts[0]),
    ...cohereSampling(call),
    ...(format ? { responseFormat: { type: "json_object", jsonSchema: format.schema as Record<string, unknown> } } : {}),
    ...cohereTools(call),
  };
  const { data, rawResponse } = await sdk.v2.chat(request, requestOptions(call)).withRawResponse();
  call.onHeaders(rawResponse.headers);
  checkJson(call, data);
  call.onUsage(chatUsage(data.usage));
  const asked = data.message?.toolCalls;
  if (asked && asked.length > 0 && toolsOf(call)) {
    return [toolCallsAnswer(call, asked.map((tc) => ({ id: tc.id, name: tc.function?.name, arguments: tc.function?.arguments }))) as unknown as Data];
  }
  const texts = (data.message?.content ?? []).flatMap((c) => (c?.type === "text" && typeof c.text === "string" ? [c.text] : []));
  if (texts.length === 0) throw fail(call, "the answer has no text", { reason: "answer" });
  return [decodeAnswer(call, req, format, texts.join(""), data.finishReason, undefined)];
}

async function generate(sdk: CohereClients, call: Call, req: CompleteRequest): Promise<Data[]> {
  const format = outputFormat(req.output, req.types);
  const text = promptText(req.prompts[0]);
  const request: Cohere.GenerateRequest = {
    prompt: format ? withSchemaInstruction(text, format.schema) : text,
    model: modelOf(call),
    ...cohereSampling(call),
  };
  const { data, rawResponse } = await sdk.v1.generate(request, requestOptions(call)).withRawResponse();
  call.onHeaders(rawResponse.headers);
  checkJson(call, data);
  call.onUsage(metaUsage(data.meta));
  const g = data.generations?.[0];
  if (!g) throw fail(call, "the provider answered with no generations", { reason: "answer" });
  if (typeof g.text !== "string") throw fail(call, "the answer has no text", { reason: "answer" });
  // Not in the SDK's types, but sent by the API and kept as written.
  const extra = g as { finishReason?: string; finish_reason?: string };
  return [decodeAnswer(call, req, format, g.text, extra.finishReason ?? extra.finish_reason, undefined)];
}

/** A prompt's role sections as Cohere v2 chat messages. */
export function cohereMessages(p: PromptValue): Cohere.ChatMessageV2[] {
  return p.$prompt.messages.map((m): Cohere.ChatMessageV2 => {
    if (m.role === "tool") return { role: "tool", toolCallId: m.toolCallId ?? "", content: m.content };
    if (m.role === "assistant" && m.toolCalls) {
      return { role: "assistant", toolCalls: m.toolCalls.map((tc) => ({ id: tc.id, type: "function" as const, function: { name: tc.name, arguments: tc.arguments } })) };
    }
    return { role: m.role, content: m.content };
  });
}

/** Cohere v2's native tool definitions for a tool-calling turn. */
function cohereTools(call: Call): { tools?: Cohere.ToolV2[] } {
  const tools = toolsOf(call);
  if (!tools) return {};
  return { tools: tools.map((t) => ({ type: "function" as const, function: { name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.parameters } })) };
}

interface CohereSampling {
  temperature?: number;
  p?: number;
  maxTokens?: number;
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  stopSequences?: string[];
}

const RENAMED = [
  ["temperature", "temperature"],
  ["top_p", "p"],
  ["max_tokens", "maxTokens"],
  ["seed", "seed"],
  ["presence_penalty", "presencePenalty"],
  ["frequency_penalty", "frequencyPenalty"],
] as const;

/** The sampling settings the client or call sets, under the SDK's names (chat and generate share them). */
export function cohereSampling(call: Call): CohereSampling {
  const out: CohereSampling = {};
  for (const [setting, name] of RENAMED) {
    const v = numberSetting(call, setting);
    if (v !== undefined) out[name] = v;
  }
  const stop = stringsSetting(call, "stop");
  if (stop) out.stopSequences = stop;
  return out;
}

function chatUsage(u: Cohere.Usage | undefined): Usage {
  const counted = u?.billedUnits ?? u?.tokens;
  return usage(counted?.inputTokens, counted?.outputTokens);
}

function metaUsage(meta: Cohere.ApiMeta | undefined): Usage {
  const counted = meta?.billedUnits ?? meta?.tokens;
  return usage(counted?.inputTokens, counted?.outputTokens);
}

/** The SDK's per-request options (its type is not exported). */
interface RequestOptions {
  readonly maxRetries: number;
  readonly abortSignal?: AbortSignal;
  readonly timeoutInSeconds?: number;
}

function requestOptions(call: Call): RequestOptions {
  return { maxRetries: 0, abortSignal: call.signal, ...(call.timeoutMs === undefined ? {} : { timeoutInSeconds: call.timeoutMs / 1000 }) };
}

/**
 * cohere-ai 8.1 does not throw when a successful answer is not JSON: it hands back its own
 * error record (`{ ok: false, error: { reason: "non-json", rawBody } }`) as the answer.
 */
function checkJson(call: Call, data: unknown): void {
  if (!data || typeof data !== "object") throw fail(call, "the provider's answer is empty", { reason: "answer" });
  const d = data as { ok?: unknown; error?: { reason?: unknown; rawBody?: unknown } };
  if (d.ok === false && d.error?.reason === "non-json") throw fail(call, `the provider's answer is not JSON: ${preview(d.error.rawBody)}`, { reason: "answer", retryable: true });
}

/** Any failure of an SDK call, in Feste's words. */
function cohereFailure(call: Call, e: unknown): ProviderError {
  if (e instanceof ProviderError) return e;
  // The SDK is loaded: its clients made the call that failed.
  const sdk = sdkModule!;
  const stoodIn = e instanceof sdk.CohereError ? failedFetch(e) : undefined;
  if (call.signal?.aborted) return cancelledFailure(call);
  if (e instanceof sdk.CohereTimeoutError) return timeoutFailure(call);
  if (stoodIn) return stoodIn.error === "timeout" ? timeoutFailure(call) : networkFailure(call, stoodIn.error);
  if (e instanceof sdk.CohereError) {
    // cohere-ai 8.1 aborts on timeout with the reason "timeout" (a string, not an AbortError),
    // so its own timeouts arrive as an unknown error caused by that string.
    if (e.cause === "timeout") return timeoutFailure(call);
    const headers = e.rawResponse?.headers;
    if (typeof e.statusCode !== "number") return e.cause ? networkFailure(call, e.cause) : unreadableFailure(call, e);
    if (headers) call.onHeaders(headers);
    if (e.statusCode < 300) return fail(call, `the provider's answer is not JSON: ${preview(e.body)}`, { reason: "answer", retryable: true });
    return httpFailure(call, e.statusCode, e.body, headers);
  }
  return unreadableFailure(call, e);
}

function preview(body: unknown): string {
  const text = (typeof body === "string" ? body : JSON.stringify(body) ?? "").replace(/\s+/g, " ").trim();
  return text === "" ? "it is empty" : `it starts with \`${text.slice(0, 40)}\``;
}
