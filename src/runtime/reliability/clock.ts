/**
 * Time as the reliability layer sees it. Provider time (a minute of `rpm`, a `retry-after`)
 * is divided by `timeScale`, so tests of "60 requests a minute" run in seconds against a
 * stand-in server whose clock is scaled the same way. 1 in real runs.
 */
export class Clock {
  constructor(readonly timeScale = 1) {}

  /** Real milliseconds now. */
  now(): number {
    return performance.now();
  }

  /** Real milliseconds for a span of provider time. */
  real(providerMs: number): number {
    return providerMs / this.timeScale;
  }

  /** Waits `realMs`, or rejects when `signal` aborts. */
  sleep(realMs: number, signal: AbortSignal): Promise<void> {
    if (realMs <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const done = () => {
        signal.removeEventListener("abort", stop);
        resolve();
      };
      const stop = () => {
        clearTimeout(timer);
        reject(signal.reason);
      };
      const timer = setTimeout(done, realMs);
      signal.addEventListener("abort", stop, { once: true });
    });
  }
}
