/**
 * Injected failures and rate-limit refusals: which fault a request index draws, and the
 * bodies each provider answers them with. Everything here is a function of the request
 * index and the options, never of chance, so a test can say in advance which requests fail.
 */
import type { Admission } from "./rate-limit.js";
import { goDuration } from "./rate-limit.js";
import { cohereError, openaiError, type Failure, type Provider } from "./route.js";
import type { StandInFault, StandInFaults } from "./types.js";

/** Default `faults.stallMs`: far past any client timeout a test would set. */
export const DEFAULT_STALL_MS = 30_000;

/** Which `faults` setting draws each fault; when several match one index, the first listed wins. */
const EVERY: readonly (readonly [StandInFault, keyof StandInFaults])[] = [
  ["drop", "dropEvery"],
  ["stall", "stallEvery"],
  ["error", "errorEvery"],
  ["tooMany", "tooManyEvery"],
  ["malformed", "malformedEvery"],
];

/** Throws a RangeError naming the first setting that is not a positive integer (or a bad status). */
export function checkFaults(faults: StandInFaults): void {
  for (const [, key] of EVERY) {
    const k = faults[key];
    if (k !== undefined && !(Number.isInteger(k) && (k as number) > 0)) throw new RangeError(`stand-in faults.${key} must be a positive integer, got ${k}`);
  }
  const status = faults.errorStatus;
  if (status !== undefined && !(Number.isInteger(status) && status >= 400 && status <= 599)) {
    throw new RangeError(`stand-in faults.errorStatus must be an HTTP error status (400 to 599), got ${status}`);
  }
  if (faults.stallMs !== undefined && !(faults.stallMs >= 0)) throw new RangeError(`stand-in faults.stallMs must be 0 or more, got ${faults.stallMs}`);
}

/** The fault request `index` draws: every k-th request (index % k === k - 1) of each setting. */
export function faultFor(faults: StandInFaults | undefined, index: number): StandInFault | undefined {
  if (!faults) return undefined;
  for (const [fault, key] of EVERY) {
    const k = faults[key];
    if (k !== undefined && index % k === k - 1) return fault;
  }
  return undefined;
}

/** The `errorEvery` answer: the provider's own words for a server failure. */
export function serverError(provider: Provider, status: number): Failure {
  if (provider === "cohere") return cohereError(status, status === 503 ? "service unavailable" : "internal server error");
  return openaiError(status, status === 503 ? "The engine is currently overloaded, please try again later." : "The server had an error while processing your request. Sorry about that!");
}

/** The `tooManyEvery` answer: a 429 that says nothing about when to come back. */
export function tooManyRequests(provider: Provider, model: string): Failure {
  if (provider === "cohere") return cohereError(429, "too many requests, please slow down");
  return rateLimitBody(`Rate limit reached for ${model || "requests"} in organization org-stand-in. Please slow down.`, "requests");
}

/**
 * The limiter's refusal, worded as OpenAI words it ("Rate limit reached for MODEL in
 * organization ORG on requests per min (RPM): Limit 60, Used 60, Requested 1. Please try
 * again in 1.2s."), with `type` "requests" or "tokens" and code `rate_limit_exceeded`.
 */
export function rateLimited(provider: Provider, model: string, refusal: Admission & { admitted: false }, windowMs: number): Failure {
  const per = windowMs === 60_000 ? "min" : goDuration(windowMs);
  const unit = refusal.limit === "requests" ? `requests per ${per} (RPM)` : `tokens per ${per} (TPM)`;
  const counts = refusal.limit === "tooLarge" ? `Limit ${refusal.max}, Requested ${refusal.requested}` : `Limit ${refusal.max}, Used ${refusal.used}, Requested ${refusal.requested}`;
  const advice =
    refusal.limit === "tooLarge"
      ? "The input or output tokens must be reduced in order to run successfully."
      : `Please try again in ${goDuration(refusal.retryAfterMs ?? 0)}.`;
  const head = refusal.limit === "tooLarge" ? "Request too large" : "Rate limit reached";
  const message = `${head} for ${model || "requests"} in organization org-stand-in on ${unit}: ${counts}. ${advice}`;
  if (provider === "cohere") return cohereError(429, message);
  return rateLimitBody(message, refusal.limit === "requests" ? "requests" : "tokens");
}

/** The `retry-after-ms` and `retry-after` headers for a provider-clock wait. */
export function retryHeaders(providerMs: number): Record<string, string> {
  return { "retry-after-ms": String(providerMs), "retry-after": String(Math.max(1, Math.ceil(providerMs / 1000))) };
}

/** A 200 body cut off mid-way, the way a connection that died in transit leaves it. */
export function truncated(text: string): string {
  return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
}

function rateLimitBody(message: string, type: "requests" | "tokens"): Failure {
  return { status: 429, body: { error: { message, type, param: null, code: "rate_limit_exceeded" } } };
}
