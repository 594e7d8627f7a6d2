/**
 * How many requests one client may have in flight: an AIMD limit, as TCP's congestion
 * window. It starts at its ceiling (no provider documents a concurrency cap, so a fan-out
 * leaves as wide as `Promise.all` would), halves when the provider pushes back (429, 5xx,
 * timeouts, dropped connections) and grows by one per answer that came back while latency
 * held, so it climbs back within a few round trips once the pressure is gone.
 *
 * One push-back event halves the limit once: the failures of requests that were already in
 * flight when it halved are the same event, not new ones (TCP's one cut per window).
 */

/**
 * Requests in flight per client when `max_concurrency` is not set: a fan-out of a thousand
 * leaves at once, as `Promise.all` would send it, while a burst of tens of thousands does not
 * open as many sockets at once.
 */
export const DEFAULT_CONCURRENCY_CEILING = 1024;

/** How much slower than the fastest answer seen an answer may be and still count as "latency held". */
const LATENCY_SLACK = 2;

export class ConcurrencyLimit {
  private value: number;
  /** Bumped on every cut: a request that started before the last cut cannot cut again. */
  private epoch = 0;
  private fastestMs = Infinity;

  /** `ceiling` is a hard cap (`max_concurrency`), never exceeded. */
  constructor(readonly ceiling: number) {
    this.value = ceiling;
  }

  /** Requests that may be in flight now. */
  get current(): number {
    return Math.floor(this.value);
  }

  /** A token a request keeps from its start, so its outcome is judged against the limit it left under. */
  started(): number {
    return this.epoch;
  }

  /** An answer came back after `ms`: grow while latency holds. */
  succeeded(ms: number): void {
    this.fastestMs = Math.min(this.fastestMs, ms);
    if (ms <= this.fastestMs * LATENCY_SLACK + 5 && this.value < this.ceiling) this.value = Math.min(this.ceiling, this.value + 1);
  }

  /** The provider pushed back on a request that started at `epoch`: halve, once per event. */
  overloaded(epoch: number): void {
    if (epoch !== this.epoch) return;
    this.epoch++;
    this.value = Math.max(1, Math.floor(this.value / 2));
  }
}
