/**
 * The public shape of the stand-in LLM server: options, the request a test hook sees, the
 * overrides it may return, and the log. Kept apart from the server so routes and callers can
 * import the types without the http machinery.
 */

/** How a stand-in server behaves; every field is optional. */
export interface StandInOptions {
  /** Each request is answered `latencyMs + perItemMs × items` ms after it arrived, the server's own work included (default 0 and 0). Refusals (401, 404, 400) answer at once, as real APIs do. */
  readonly latencyMs?: number;
  readonly perItemMs?: number;
  /** Latency in ms for requests naming this model, instead of latencyMs (for tests of ragged graphs). */
  readonly latencyByModel?: Readonly<Record<string, number>>;
  /**
   * Up to this many ms more per request, drawn from its answers (see `jitterFor`): the same
   * answer always takes as long, so every client of a deterministic workload sees the same
   * latencies whatever order it sends in. A request takes the largest of its items' draws.
   */
  readonly jitterMs?: number;
  /** Multi-input answers (completion choices, embedding data, rerank results) come back in a deterministic shuffled order, each carrying its `index`; default true. */
  readonly outOfOrder?: boolean;
  /** Default 0: a free port. */
  readonly port?: number;
  /** Test hook: replaces the answer to one request (bad answers for error tests). */
  readonly override?: (req: StandInRequest) => StandInOverride | undefined;
  /** A provider's per-window limit, answered with 429 past it; see `StandInRateLimit`. */
  readonly rateLimit?: StandInRateLimit;
  /** Injected failures, each keyed to request indexes so a test can predict them; see `StandInFaults`. */
  readonly faults?: StandInFaults;
  /**
   * How long a Batch API job takes (ms, default 0): it reads `in_progress` until then, and
   * `completed` from the first look after. Batch routes answer at once and draw no faults.
   */
  readonly batchDelayMs?: number;
}

/**
 * Requests (and optionally tokens) allowed per window, like a provider's per-minute limit;
 * beyond it the server answers 429. One limiter serves every path and model, like one key
 * with one limit. The window is fixed: it opens at the first request after the previous one
 * ended (or after `reset()`), so with `requests: 60` the 61st request inside it is refused.
 * A refused request counts for nothing; injected faults (other than a stall) bypass the limiter.
 * OpenAI answers the limiter admitted, and its 429s, carry `x-ratelimit-{limit,remaining,reset}-requests`
 * (and `-tokens` when `tokens` is set), resets as Go durations (`6m0s`, `1.5s`, `120ms`); Cohere
 * answers carry no `x-ratelimit-*` headers, only the retry headers on a 429.
 *
 * **The clock rule.** `timeScale` shrinks the clock: with `windowMs: 60_000` and `timeScale: 60`
 * the window lasts 1 s of real time. Every duration the server *sends* is in the provider's
 * clock, i.e. what the real API would say: `x-ratelimit-reset-*` (`"30s"` with 0.5 s of real
 * time left), `retry-after-ms`, `retry-after` and the "try again in" of the message. A client
 * turns them into real time by dividing by `StandInServer.timeScale` (1 without a rate limit).
 */
export interface StandInRateLimit {
  readonly requests: number;
  /** The window in the provider's clock (60_000 for a per-minute limit). */
  readonly windowMs: number;
  /** Provider ms per real ms; default 1. */
  readonly timeScale?: number;
  /**
   * Tokens per window, charged before answering as OpenAI does: the prompt's estimated tokens
   * (as `usage` counts them) plus `max_tokens` (or `max_completion_tokens`) for every choice
   * the request asks for. A request needing more than a whole window is refused for good
   * ("Request too large", no retry headers).
   */
  readonly tokens?: number;
  /** Default true: a limiter 429 carries `retry-after-ms` (provider ms) and `retry-after` (provider seconds, rounded up). */
  readonly retryHeaders?: boolean;
  /** Default true: OpenAI answers carry `x-ratelimit-*`; false sends none (429 and the retry headers only, as Cohere). */
  readonly limitHeaders?: boolean;
}

/**
 * Injected failures, each drawn by the request index alone (the server's 0-based count, which
 * includes refused requests): setting `xEvery: k` hits indexes k-1, 2k-1, ... A request that
 * the server refuses (404, 401, 400) is answered as such and draws no fault. When several
 * settings hit one index, the first of drop, stall, error, tooMany, malformed wins.
 */
export interface StandInFaults {
  /** Every k-th request answers 500 (or `errorStatus`) in the provider's error shape, after the usual latency. */
  readonly errorEvery?: number;
  readonly errorStatus?: number;
  /** Every k-th request answers 429 at once with no retry or rate-limit headers (a storm when k is small). */
  readonly tooManyEvery?: number;
  /** Every k-th request waits `stallMs` (default 30 s) on top of its latency, then is answered as any other (limiter included). */
  readonly stallEvery?: number;
  readonly stallMs?: number;
  /** Every k-th request's connection is destroyed at once without an answer; its log entry has status 0. */
  readonly dropEvery?: number;
  /** Every k-th request gets a 200 whose JSON body is cut off half-way, after the usual latency. */
  readonly malformedEvery?: number;
}

/** Why a request was answered the way it was, when it was not the stand-in's plain answer. */
export type StandInFault = "error" | "tooMany" | "stall" | "drop" | "malformed" | "rateLimit";

/** A well-formed request as the `override` hook sees it. */
export interface StandInRequest {
  readonly path: string;
  readonly body: any;
  readonly model: string;
  /** Prompts, inputs, texts or documents carried (a chat request carries 1). */
  readonly items: number;
  /** 0-based number of this request since start/reset; for a Batch API line, that of the batch's create request. */
  readonly index: number;
  /** Set for a Batch API line: its `custom_id`. */
  readonly customId?: string;
}

/** What the `override` hook may answer instead of the stand-in's own answer. */
export type StandInOverride =
  /** Any HTTP status with a JSON body. */
  | { readonly status: number; readonly body: unknown }
  /** A body sent as is (a malformed one, usually), with status 200 unless given. */
  | { readonly raw: string; readonly status?: number }
  /** Replaces the answer texts (per item) and the finish reason; `texts: []` = empty choices. */
  | { readonly texts: readonly (string | null)[]; readonly finishReason?: string };

/** One request the server answered, errors included. */
export interface StandInLogEntry {
  readonly index: number;
  readonly path: string;
  /** The request's `model`, or "" when it had none. */
  readonly model: string;
  readonly items: number;
  /** performance.now() when the request body had arrived, and when the answer was sent */
  readonly start: number;
  readonly end: number;
  /** The HTTP status sent; 0 for a dropped connection. */
  readonly status: number;
  /** The injected fault or the limiter refusal that shaped the answer, if any. */
  readonly fault?: StandInFault;
}

/** A running stand-in server. */
export interface StandInServer {
  /** "http://127.0.0.1:PORT" */
  readonly url: string;
  /** url + "/v1" (what `new OpenAI({ baseURL })` takes) */
  readonly openaiBaseURL: string;
  /** What cohere-ai's `environment` option takes (the SDK appends "v2/chat" and the like). */
  readonly cohereBaseURL: string;
  /** `rateLimit.timeScale` (1 without one): divide the durations the server sends by it to get real ms. */
  readonly timeScale: number;
  /** Entries in the order answers were sent. */
  readonly log: readonly StandInLogEntry[];
  /** Requests received since start/reset, answered or not. */
  requests(): number;
  /** request counts by path */
  byPath(): Record<string, number>;
  /** Clears the log and the counters; answers still in flight are then left out of the log. */
  reset(): void;
  /** Stops listening and drops every connection, keep-alive ones included. */
  close(): Promise<void>;
}
