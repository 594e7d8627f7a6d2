/**
 * How a provider failure reaches the runtime: a `FesteRuntimeError` (FE4004, or FE4006 for a
 * missing key) whose message names the client, its endpoint and what went wrong, plus the
 * facts the scheduler decides retries by (HTTP status, whether a retry can help, how long the
 * server asked to wait) and, for a multi-item request, which item the failure concerns.
 */
import type { Code, Span } from "../diagnostics/index.js";
import { FesteRuntimeError } from "../ir/errors.js";

/** What kind of failure: the scheduler retries `http` (408/409/429/5xx), `network` and `timeout`. */
export type FailureReason = "http" | "network" | "timeout" | "cancelled" | "answer" | "request" | "config";

/** What the scheduler needs to know about a failure besides its message. */
export interface FailureFacts {
  readonly reason: FailureReason;
  /** Position in the request's prompts or texts of the item the failure concerns. */
  readonly item?: number;
  /** The HTTP status the provider answered with. */
  readonly status?: number;
  /** Whether sending the same request again may succeed. */
  readonly retryable?: boolean;
  /** How long the provider asked to wait (`retry-after-ms` or `retry-after`), in milliseconds. */
  readonly retryAfterMs?: number;
}

/**
 * A failed model request. `item` is set when the failure concerns one prompt or text of a
 * request that carried several (the others may have been fine); `at` keeps every fact, so
 * the runtime can add the `.feste` location without losing them.
 */
export class ProviderError extends FesteRuntimeError {
  readonly reason: FailureReason;
  readonly item?: number;
  readonly status?: number;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;

  constructor(code: Code, message: string, facts: FailureFacts, span?: Span) {
    super(code, message, span);
    this.name = "ProviderError";
    this.reason = facts.reason;
    this.retryable = facts.retryable ?? false;
    if (facts.item !== undefined) this.item = facts.item;
    if (facts.status !== undefined) this.status = facts.status;
    if (facts.retryAfterMs !== undefined) this.retryAfterMs = facts.retryAfterMs;
  }

  get facts(): FailureFacts {
    return { reason: this.reason, item: this.item, status: this.status, retryable: this.retryable, retryAfterMs: this.retryAfterMs };
  }

  override at(span: Span | undefined): ProviderError {
    return this.span || !span ? this : new ProviderError(this.code, this.message, this.facts, span);
  }
}

/** Shorter keys are placeholders (`"test"`, `"EMPTY"`); masking them would garble messages. */
const MIN_SECRET_LENGTH = 8;
/** OpenAI-style secret keys and bearer tokens, masked wherever they turn up. */
const KEY_SHAPES = /\bsk-[A-Za-z0-9_-]{16,}|\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/g;

/** The user and password of a URL (`https://user:secret@host/`), whatever the scheme. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;

/**
 * `text` with each key (as configured and trimmed, since servers see the trimmed form), any
 * URL's user and password, and anything shaped like a key or a bearer token, masked.
 */
export function redact(text: string, ...keys: readonly (string | undefined)[]): string {
  let out = text;
  const forms = new Set(keys.flatMap((k) => (k === undefined ? [] : [k, k.trim()])));
  // Longest first, so a key's trimmed form never leaves its whitespace behind.
  for (const k of [...forms].sort((a, b) => b.length - a.length)) {
    if (k.length >= MIN_SECRET_LENGTH) out = out.split(k).join("[redacted]");
  }
  return out.replace(KEY_SHAPES, "[redacted]").replace(URL_USERINFO, "$1[redacted]@");
}

/** Whether a provider answering `status` may answer differently to the same request later. */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** The wait a response asks for, from `retry-after-ms` or `retry-after` (seconds or a date). */
export function retryAfter(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = Number.parseFloat(headers?.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const header = headers?.get("retry-after");
  if (!header) return undefined;
  const seconds = Number.parseFloat(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** What an error body says, in one line: `error.message`, `message` or `detail`, else the body. */
export function bodyMessage(body: unknown): string {
  if (body === undefined || body === null || body === "") return "";
  if (typeof body === "string") return oneLine(body);
  if (typeof body === "object") {
    const b = body as Record<string, unknown>;
    const nested = b.error;
    if (typeof nested === "string") return oneLine(nested);
    if (nested && typeof nested === "object" && typeof (nested as Record<string, unknown>).message === "string") {
      return oneLine((nested as Record<string, string>).message);
    }
    for (const field of ["message", "detail"]) if (typeof b[field] === "string") return oneLine(b[field] as string);
  }
  return oneLine(JSON.stringify(body));
}

const MAX_DETAIL = 500;

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > MAX_DETAIL ? `${flat.slice(0, MAX_DETAIL)}…` : flat;
}

const NETWORK_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "the connection was reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host not found (DNS lookup failed)",
  ETIMEDOUT: "the connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  EPIPE: "the connection was closed",
  UND_ERR_CONNECT_TIMEOUT: "the connection timed out",
  UND_ERR_SOCKET: "the connection was closed",
  UND_ERR_HEADERS_TIMEOUT: "no answer headers in time",
  UND_ERR_BODY_TIMEOUT: "the answer stopped arriving",
};

/** Why a connection failed, in words, from the innermost cause that says so. */
export function networkCause(error: unknown): string {
  let innermost = "";
  let e: unknown = error;
  for (let depth = 0; depth < 8 && e && typeof e === "object"; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_CODES[code]) return NETWORK_CODES[code];
    const message = (e as { message?: unknown }).message;
    if (typeof message === "string" && message) innermost = message;
    e = (e as { cause?: unknown }).cause;
  }
  return innermost ? innermost.charAt(0).toLowerCase() + innermost.slice(1) : "the connection failed";
}
