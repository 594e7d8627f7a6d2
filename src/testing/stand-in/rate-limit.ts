/**
 * The stand-in's rate limiter: a fixed window of `requests` (and optionally `tokens`) that
 * opens at the first request after the previous window ended, so a test knows exactly which
 * request is the first refused. Its clock is scaled: the window lasts `windowMs / timeScale`
 * real ms, while every duration it reports (reset headers, retry waits, messages) is in the
 * provider's clock, as the real API would state it.
 */
import type { StandInRateLimit } from "./types.js";

/** The verdict on one request: admitted, or refused with the limit it hit. */
export type Admission =
  | { readonly admitted: true; readonly headers: Readonly<Record<string, string>> }
  | {
      readonly admitted: false;
      /** `tooLarge`: the request alone needs more tokens than a whole window allows, so waiting cannot help. */
      readonly limit: "requests" | "tokens" | "tooLarge";
      readonly headers: Readonly<Record<string, string>>;
      /** Provider-clock ms until the request could pass (absent for `tooLarge`). */
      readonly retryAfterMs?: number;
      /** What the refusal message quotes: the limit, what the window used, what the request asked for. */
      readonly max: number;
      readonly used: number;
      readonly requested: number;
    };

/** One server's limiter; `now` is a real-time clock in ms (performance.now in the server). */
export interface RateLimiter {
  /**
   * Counts the request if it fits the current window; a refused request counts for nothing.
   * An admitted request's reset headers describe the window when its answer leaves,
   * `answerInMs` real ms from now, as a real server's headers do.
   */
  admit(tokens: number, answerInMs?: number): Admission;
  /** Forgets the current window (the server's `reset()`). */
  reset(): void;
}

/** A limiter for `limit`, or throws a RangeError naming the bad setting. */
export function createRateLimiter(limit: StandInRateLimit, now: () => number): RateLimiter {
  const scale = limit.timeScale ?? 1;
  for (const [name, value] of [["requests", limit.requests], ["windowMs", limit.windowMs], ["timeScale", scale], ["tokens", limit.tokens ?? 1]] as const) {
    if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`stand-in rateLimit.${name} must be a positive number, got ${value}`);
  }
  const realWindow = limit.windowMs / scale;
  let start: number | undefined;
  let requests = 0;
  let tokens = 0;

  const headers = (at: number): Record<string, string> => {
    const reset = goDuration(providerMsLeft(at));
    const out: Record<string, string> = {
      "x-ratelimit-limit-requests": String(limit.requests),
      "x-ratelimit-remaining-requests": String(limit.requests - requests),
      "x-ratelimit-reset-requests": reset,
    };
    if (limit.tokens !== undefined) {
      out["x-ratelimit-limit-tokens"] = String(limit.tokens);
      out["x-ratelimit-remaining-tokens"] = String(limit.tokens - tokens);
      out["x-ratelimit-reset-tokens"] = reset;
    }
    return out;
  };
  // Rounded up, so a client that waits exactly this long finds the window over; never more
  // than the window (scaling real time back can overshoot it by a rounding error).
  const providerMsLeft = (at: number) => (start === undefined ? 0 : Math.min(limit.windowMs, Math.max(0, Math.ceil((start + realWindow - at) * scale))));

  return {
    admit(asked, answerInMs = 0) {
      const at = now();
      if (start === undefined || at >= start + realWindow) {
        start = at;
        requests = 0;
        tokens = 0;
      }
      if (requests + 1 > limit.requests) {
        return { admitted: false, limit: "requests", headers: headers(at), retryAfterMs: providerMsLeft(at), max: limit.requests, used: requests, requested: 1 };
      }
      if (limit.tokens !== undefined && asked > limit.tokens) {
        return { admitted: false, limit: "tooLarge", headers: headers(at), max: limit.tokens, used: tokens, requested: asked };
      }
      if (limit.tokens !== undefined && tokens + asked > limit.tokens) {
        return { admitted: false, limit: "tokens", headers: headers(at), retryAfterMs: providerMsLeft(at), max: limit.tokens, used: tokens, requested: asked };
      }
      requests++;
      tokens += asked;
      return { admitted: true, headers: headers(at + answerInMs) };
    },
    reset() {
      start = undefined;
    },
  };
}

/**
 * `ms` as Go's `time.Duration.String` prints it, to the millisecond: "0s", "120ms", "1.2s",
 * "6m0s", "1h0m0s". OpenAI's `x-ratelimit-reset-*` headers use this format.
 */
export function goDuration(ms: number): string {
  const whole = Math.round(ms);
  if (whole <= 0) return "0s";
  if (whole < 1000) return `${whole}ms`;
  const h = Math.floor(whole / 3_600_000);
  const m = Math.floor((whole % 3_600_000) / 60_000);
  const s = (whole % 60_000) / 1000;
  const seconds = `${s.toFixed(3).replace(/\.?0+$/, "")}s`;
  return (h > 0 ? `${h}h` : "") + (h > 0 || m > 0 ? `${m}m` : "") + seconds;
}

/**
 * The tokens a request is charged before it is answered, as OpenAI estimates them: its prompt
 * tokens plus `max_tokens` (or `max_completion_tokens`) for every choice it may produce
 * (items × `n`, or × `num_generations` for Cohere's generate).
 */
export function tokensCharged(promptTokens: number, items: number, body: Readonly<Record<string, any>>): number {
  const max = body.max_tokens ?? body.max_completion_tokens;
  const choices = body.n ?? body.num_generations ?? 1;
  const perChoice = typeof max === "number" && max > 0 ? max : 0;
  return promptTokens + perChoice * items * (typeof choices === "number" ? choices : 1);
}
