/**
 * The public shape of the stand-in LLM server: options, the request a test hook sees, the
 * overrides it may return, and the log. Kept apart from the server so routes and callers can
 * import the types without the http machinery.
 */

/** How a stand-in server behaves; every field is optional. */
export interface StandInOptions {
  /** Each request takes `latencyMs + perItemMs × items` ms before it answers (default 0 and 0). Refusals (401, 404, 400) answer at once, as real APIs do. */
  readonly latencyMs?: number;
  readonly perItemMs?: number;
  /** Latency in ms for requests naming this model, instead of latencyMs (for tests of ragged graphs). */
  readonly latencyByModel?: Readonly<Record<string, number>>;
  /** Multi-input answers (completion choices, embedding data, rerank results) come back in a deterministic shuffled order, each carrying its `index`; default true. */
  readonly outOfOrder?: boolean;
  /** Default 0: a free port. */
  readonly port?: number;
  /** Test hook: replaces the answer to one request (bad answers for error tests). */
  readonly override?: (req: StandInRequest) => StandInOverride | undefined;
}

/** A well-formed request as the `override` hook sees it. */
export interface StandInRequest {
  readonly path: string;
  readonly body: any;
  readonly model: string;
  /** Prompts, inputs, texts or documents carried (a chat request carries 1). */
  readonly items: number;
  /** 0-based number of this request since start/reset */
  readonly index: number;
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
  readonly status: number;
}

/** A running stand-in server. */
export interface StandInServer {
  /** "http://127.0.0.1:PORT" */
  readonly url: string;
  /** url + "/v1" (what `new OpenAI({ baseURL })` takes) */
  readonly openaiBaseURL: string;
  /** What cohere-ai's `environment` option takes (the SDK appends "v2/chat" and the like). */
  readonly cohereBaseURL: string;
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
