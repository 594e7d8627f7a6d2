/**
 * The `ModelBackend` that talks to real providers: each request goes, as exactly one HTTP
 * request, through the official SDK of its client's provider. SDK clients are made on first
 * use and kept per (provider, base URL, key). `--fake` and dry runs use the same code with
 * `override` pointing every client at the stand-in server, so nothing here knows about it.
 */
import type OpenAI from "openai";
import type { IrClient, Settings } from "../ir/nodes.js";
import type { Data } from "../ir/value.js";
import type { CompleteRequest, EmbedRequest, ModelBackend, RerankRequest } from "../runtime/backend.js";
import { resolveApiKey, resolveSettings, type Env } from "./api-keys.js";
import type { Call, Usage } from "./call.js";
import { cohereClients, cohereComplete, cohereEmbed, cohereRerank, COHERE_BASE_URL, type CohereClients } from "./cohere.js";
import { ProviderError } from "./errors.js";
import { OPENAI_BASE_URL, openaiClient, openaiComplete, openaiEmbed } from "./openai.js";
import { linkedSignal } from "../runtime/linked-signal.js";

export interface ProviderOptions {
  /** Where `{ env }` settings and default keys are read; default `process.env`. */
  readonly env?: Env;
  /** Replaces a client's base URL and key (`feste exec --fake` points all clients at the stand-in server). */
  readonly override?: (client: IrClient) => { baseURL?: string; apiKey?: string } | undefined;
  /** Told after every successful request, for the run summary. */
  readonly onUsage?: (client: IrClient, usage: Usage) => void;
  /**
   * Told the headers of every answer a provider sent, error answers included, so a scheduler
   * can pace itself to `x-ratelimit-*` headers.
   */
  readonly onHeaders?: (client: IrClient, headers: Headers) => void;
}

type Method = "complete" | "embed" | "rerank";

/** The endpoint kinds each backend method serves. */
const SERVES: Readonly<Record<Method, readonly string[]>> = {
  complete: ["chat", "completion"],
  embed: ["embedding"],
  rerank: ["rerank"],
};

const WHAT: Readonly<Record<Method, string>> = { complete: "prompts", embed: "texts to embed", rerank: "documents to rerank" };

/**
 * A ModelBackend that sends each request through the official SDK of the client's provider.
 * SDK clients are created lazily and cached per (provider, base URL, key).
 */
export function providerBackend(options: ProviderOptions = {}): ModelBackend {
  const env: Env = options.env ?? process.env;
  const openai = new Map<string, OpenAI>();
  const cohere = new Map<string, Promise<CohereClients>>();

  function prepare(method: Method, client: IrClient, requested: Settings, signal: AbortSignal | undefined, observe?: (h: Headers) => void, used?: (u: Usage) => void): Call {
    const endpoint = client.endpoint ?? "";
    if (client.combinator || !client.provider || !client.endpoint) {
      throw new ProviderError("FE4004", `client \`${client.name}\` combines other clients: send each request to one of its members`, { reason: "request" });
    }
    if (!client.kind || !SERVES[method].includes(client.kind)) {
      const takes = Object.entries(SERVES).find(([, kinds]) => kinds.includes(client.kind ?? ""))?.[0] as Method | undefined;
      const instead = takes ? `, it takes ${WHAT[takes]}` : "";
      throw new ProviderError("FE4004", `client \`${client.name}\` (${endpoint}) does not take ${WHAT[method]}${instead}`, { reason: "request" });
    }
    return callFor(client, requested, signal, options, env, observe, used);
  }

  function openaiFor(call: Call): OpenAI {
    const key = `${call.baseURL}\u0000${call.apiKey}`;
    let sdk = openai.get(key);
    if (!sdk) openai.set(key, (sdk = openaiClient(call.baseURL, call.apiKey, env)));
    return sdk;
  }

  function cohereFor(call: Call): Promise<CohereClients> {
    const key = `${call.baseURL}\u0000${call.apiKey}`;
    let sdk = cohere.get(key);
    if (!sdk) cohere.set(key, (sdk = cohereClients(call.baseURL, call.apiKey)));
    return sdk;
  }

  /** Runs one request with its own signal, let go when it ends (see `linkedSignal`). */
  async function send<T>(method: Method, req: CompleteRequest | EmbedRequest | RerankRequest, run: (call: Call) => Promise<T>): Promise<T> {
    const link = linkedSignal(req.signal);
    try {
      return await run(prepare(method, req.client, req.settings, link.signal, req.onHeaders, req.onUsage));
    } finally {
      link.release();
    }
  }

  return {
    async warm(clients: readonly IrClient[]): Promise<void> {
      const loads: Promise<unknown>[] = [];
      for (const client of clients) {
        if (!client.provider || client.combinator) continue;
        let call: Call;
        try {
          call = callFor(client, {}, undefined, options, env);
        } catch {
          continue; // A missing key: the client's first request reports it, with its location.
        }
        if (client.provider === "cohere") loads.push(cohereFor(call).catch(() => undefined));
        else if (client.provider === "openai") openaiFor(call);
      }
      await Promise.all(loads);
    },
    complete(req: CompleteRequest): Promise<Data[]> {
      return send("complete", req, async (call) => {
        if (req.prompts.length === 0) return [];
        return call.client.provider === "cohere" ? cohereComplete(await cohereFor(call), call, req) : openaiComplete(openaiFor(call), call, req);
      });
    },
    embed(req: EmbedRequest): Promise<number[][]> {
      return send("embed", req, async (call) => {
        if (req.texts.length === 0) return [];
        return call.client.provider === "cohere" ? cohereEmbed(await cohereFor(call), call, req) : openaiEmbed(openaiFor(call), call, req);
      });
    },
    rerank(req: RerankRequest): Promise<Data> {
      return send("rerank", req, async (call) => {
        if (req.documents.length === 0) return [];
        return cohereRerank(await cohereFor(call), call, req);
      });
    },
  };
}

/**
 * What one request needs to know about its client: settings with `env(...)` read, the base
 * URL and key (or the override's), the timeout, and where usage and headers go. Shared by
 * the normal path and the Batch API path, so both send the same thing.
 */
export function callFor(
  client: IrClient,
  requested: Settings,
  signal: AbortSignal | undefined,
  options: ProviderOptions,
  env: Env,
  observe?: (h: Headers) => void,
  used?: (u: Usage) => void,
): Call {
  const raw: Settings = { ...client.settings, ...requested };
  const o = options.override?.(client);
  // Where the override sends requests (`--fake`, `plan`), the client's own `base_url` is never
  // used, so a variable it reads need not be set.
  const { base_url: _unused, ...kept } = raw;
  const settings = resolveSettings(client, o?.baseURL !== undefined ? kept : raw, env);
  const fallback = client.provider === "cohere" ? COHERE_BASE_URL : (env.OPENAI_BASE_URL ?? OPENAI_BASE_URL);
  const baseURL = o?.baseURL ?? (typeof settings.base_url === "string" ? settings.base_url : fallback);
  const apiKey = o?.apiKey ?? resolveApiKey(client, raw, env);
  const seconds = typeof settings.timeout === "number" ? settings.timeout : undefined;
  return {
    client,
    endpoint: client.endpoint ?? "",
    settings,
    baseURL,
    apiKey,
    signal,
    // The OpenAI SDK takes whole milliseconds only.
    timeoutMs: seconds === undefined ? undefined : Math.max(1, Math.round(seconds * 1000)),
    onUsage: (u) => {
      options.onUsage?.(client, u);
      used?.(u);
    },
    onHeaders: (h) => {
      options.onHeaders?.(client, h);
      observe?.(h);
    },
  };
}
