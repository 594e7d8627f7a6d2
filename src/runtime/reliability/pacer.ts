/**
 * Keeps one client within its `rpm` and `tpm`, and within what the server says. Limits are
 * sliding windows (never more than `rpm` requests, or `tpm` estimated tokens, in any minute),
 * so a provider counting per fixed minute never sees too many. The server's own word wins:
 * `x-ratelimit-remaining-*` at 0 holds the client until the matching `reset`, and a 429
 * holds it for `retry-after` (or the backoff), so one rejection slows every call of that
 * client instead of each one hammering on its own.
 *
 * With nothing declared, the rate is learned once the server pushes back: from
 * `x-ratelimit-limit-requests` (per minute, as OpenAI states it) when the server sends it,
 * otherwise from a 429 with `retry-after`: the answers to requests sent between the previous
 * hold's end and this one's are what one window let through. From then on requests leave one
 * at a time, spaced evenly at that rate with a little jitter, rather than all at once when a
 * hold ends. Declared `rpm`/`tpm` stay hard ceilings either way.
 */
import type { Clock } from "./clock.js";
import { goDurationMs } from "./durations.js";

const MINUTE = 60_000;
/** Up to this share of the learned spacing is added at random, so clients do not move in lockstep. */
const JITTER = 0.05;
/** Learned rates are kept a little under, so a server's window edge and network delays do not tip a request over. */
const MARGIN = 1.08;

/** The answers to requests sent from `from` (real ms) until a hold that ends at `to`. */
interface Period {
  readonly from: number;
  to: number | undefined;
  answered: number;
}

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

  /** Real ms between sends, learned once the server pushed back; undefined until then. */
  private spacing: number | undefined;
  private lastSent = -Infinity;
  /** Requests per minute the server states (`x-ratelimit-limit-requests`). */
  private statedRpm: number | undefined;
  private period: Period;

  constructor(
    private readonly limits: PacerLimits,
    private readonly clock: Clock,
    private readonly random: () => number = Math.random,
  ) {
    this.period = { from: clock.now(), to: undefined, answered: 0 };
  }

  private waiting = 0;

  /**
   * Resolves when a request of `tokens` estimated tokens may go, and records it as sent;
   * undefined when it may go now (an unlimited, unheld client never waits, not even a tick).
   */
  acquire(tokens: number, signal: AbortSignal): Promise<void> | undefined {
    // Learn before deciding a request may skip the line: retries come back from their own
    // sleep, and when their timers fire after the hold ended (a busy event loop) the first one
    // would otherwise find no spacing yet, no hold and no one waiting, and every held call
    // would leave at once instead of at the learned rate.
    const now = this.clock.now();
    this.learn(now);
    if (this.limits.rpm === undefined && this.limits.tpm === undefined && this.spacing === undefined && this.period.to === undefined && this.waiting === 0 && this.heldUntil <= now) return undefined;
    this.waiting++;
    const turn = this.queue.then(() => this.wait(tokens, signal)).finally(() => this.waiting--);
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async wait(tokens: number, signal: AbortSignal): Promise<void> {
    const jitter = 1 + JITTER * this.random();
    for (;;) {
      const now = this.clock.now();
      this.learn(now);
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
      if (this.spacing !== undefined) until = Math.max(until, this.lastSent + this.spacing * jitter);
      if (until <= now) {
        this.sent.push({ at: now, tokens });
        this.lastSent = now;
        return;
      }
      await this.clock.sleep(until - now, signal);
    }
  }

  /** Reads a response's rate-limit headers: at 0 remaining, hold until the reset and pace at the stated limit. */
  observe(headers: Headers): void {
    const limit = Number(headers.get("x-ratelimit-limit-requests") ?? NaN);
    if (limit > 0 && Number.isFinite(limit)) this.statedRpm = limit;
    for (const kind of ["requests", "tokens"]) {
      const remaining = Number(headers.get(`x-ratelimit-remaining-${kind}`) ?? NaN);
      const reset = goDurationMs(headers.get(`x-ratelimit-reset-${kind}`));
      if (remaining === 0 && reset !== undefined) {
        this.hold(reset);
        this.pushedBack();
      }
    }
  }

  /** A request sent at `sentAt` (real ms) was answered: it counts toward what its window let through. */
  answered(sentAt: number): void {
    const p = this.period;
    if (sentAt >= p.from && (p.to === undefined || sentAt < p.to)) p.answered++;
  }

  /**
   * The server refused a request with 429: hold every request for `providerMs`. When the server
   * said how long (`retry-after`), the refusal also marks the end of a window to learn from.
   */
  refused(providerMs: number, stated: boolean): void {
    this.hold(providerMs);
    if (stated) this.pushedBack();
  }

  private pushedBack(): void {
    // A declared rpm already keeps the client within the limit, and a burst at its window's
    // start lands in one server window more surely than an even spread would.
    if (this.limits.rpm !== undefined) return;
    if (this.statedRpm !== undefined) {
      this.spacing = (this.clock.real(MINUTE) / this.statedRpm) * MARGIN;
      return;
    }
    // The window ends when the hold does; it is learned from once every answer is in.
    if (this.period.to === undefined) this.period.to = this.heldUntil;
  }

  /** Once a window's hold is over: its answers over its length is the rate to keep. */
  private learn(now: number): void {
    const p = this.period;
    if (p.to === undefined || now < p.to || this.statedRpm !== undefined || this.limits.rpm !== undefined) return;
    if (p.answered > 0) this.spacing = ((p.to - p.from) / p.answered) * MARGIN;
    this.period = { from: p.to, to: undefined, answered: 0 };
  }

  /** Holds every request of this client for `providerMs` of provider time. */
  hold(providerMs: number): void {
    this.heldUntil = Math.max(this.heldUntil, this.clock.now() + this.clock.real(providerMs));
  }
}
