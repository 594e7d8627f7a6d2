/**
 * Keeps one client within its `rpm` and `tpm`, and within what the server says. Limits are
 * sliding windows (never more than `rpm` requests, or `tpm` estimated tokens, in any minute),
 * so a provider counting per fixed minute never sees too many. The server's own word wins:
 * `x-ratelimit-remaining-*` at 0 holds the client until the matching `reset`, and a 429
 * holds it for `retry-after` (or the backoff), so one rejection slows every call of that
 * client instead of each one hammering on its own.
 */
import type { Clock } from "./clock.js";
import { goDurationMs } from "./durations.js";

const MINUTE = 60_000;

export interface PacerLimits {
  readonly rpm?: number;
  readonly tpm?: number;
}

export class Pacer {
  private readonly sent: { at: number; tokens: number }[] = [];
  /** Real time before which nothing is sent (a server-imposed pause). */
  private heldUntil = 0;
  /** Requests waiting for their turn, in order, so pacing is first come, first served. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly limits: PacerLimits,
    private readonly clock: Clock,
  ) {}

  private waiting = 0;

  /**
   * Resolves when a request of `tokens` estimated tokens may go, and records it as sent;
   * undefined when it may go now (an unlimited, unheld client never waits, not even a tick).
   */
  acquire(tokens: number, signal: AbortSignal): Promise<void> | undefined {
    if (this.limits.rpm === undefined && this.limits.tpm === undefined && this.waiting === 0 && this.heldUntil <= this.clock.now()) return undefined;
    this.waiting++;
    const turn = this.queue.then(() => this.wait(tokens, signal)).finally(() => this.waiting--);
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async wait(tokens: number, signal: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      const window = this.clock.real(MINUTE);
      while (this.sent.length > 0 && this.sent[0].at <= now - window) this.sent.shift();
      let until = this.heldUntil;
      if (this.limits.rpm !== undefined && this.sent.length >= this.limits.rpm) until = Math.max(until, this.sent[this.sent.length - this.limits.rpm].at + window);
      if (this.limits.tpm !== undefined && this.sent.length > 0) {
        // The oldest sends that must leave the window for this one to fit.
        let used = this.sent.reduce((t, s) => t + s.tokens, 0) + Math.min(tokens, this.limits.tpm);
        for (const s of this.sent) {
          if (used <= this.limits.tpm) break;
          used -= s.tokens;
          until = Math.max(until, s.at + window);
        }
      }
      if (until <= now) {
        this.sent.push({ at: now, tokens });
        return;
      }
      await this.clock.sleep(until - now, signal);
    }
  }

  /** Reads a response's rate-limit headers: at 0 remaining, hold until the reset. */
  observe(headers: Headers): void {
    for (const kind of ["requests", "tokens"]) {
      const remaining = Number(headers.get(`x-ratelimit-remaining-${kind}`) ?? NaN);
      const reset = goDurationMs(headers.get(`x-ratelimit-reset-${kind}`));
      if (remaining === 0 && reset !== undefined) this.hold(reset);
    }
  }

  /** Holds every request of this client for `providerMs` of provider time. */
  hold(providerMs: number): void {
    this.heldUntil = Math.max(this.heldUntil, this.clock.now() + this.clock.real(providerMs));
  }
}
