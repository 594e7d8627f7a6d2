/**
 * When and how long to retry a failed request. Retried: what the provider marks retryable
 * (408, 409, 429, 5xx, network errors, timeouts, a body cut off in transit). The wait is exponential backoff with full
 * jitter (a random wait up to `base × 2^attempt`, capped), and never shorter than what the
 * server asked for with `retry-after-ms` / `retry-after`.
 */

/** Retries per call when a client sets no `retries`. */
export const DEFAULT_RETRIES = 2;
/**
 * Retries of a 429 at least: it is the server asking to wait, not a fault of the call, so
 * a storm of them is waited out rather than failing the run.
 */
export const RATE_LIMIT_RETRIES = 8;
const BASE_MS = 500;
const CAP_MS = 20_000;

interface Failure {
  readonly retryable?: boolean;
  readonly retryAfterMs?: number;
  readonly status?: number;
}

/** Whether a failure may succeed if sent again. */
export function retryable(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as Failure).retryable === true;
}

/** Provider milliseconds to wait before attempt `attempt + 1` (attempt 0 is the first retry). */
export function retryDelay(attempt: number, e: unknown, random: () => number = Math.random): number {
  const jitter = random() * Math.min(CAP_MS, BASE_MS * 2 ** attempt);
  const asked = (e as Failure).retryAfterMs;
  return asked !== undefined ? Math.max(asked, jitter) : jitter;
}

/** Whether the failure was the server saying "too many requests". */
export function rateLimited(e: unknown): boolean {
  return (e as Failure)?.status === 429;
}
