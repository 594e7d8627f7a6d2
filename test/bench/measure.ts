/** Timing for the benchmarks: a warm-up, then the median (with min and max) of `runs` runs. */
export interface Timing {
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
}

export function measure(fn: () => void, runs: number): Timing {
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { medianMs: +sorted[Math.floor(sorted.length / 2)].toFixed(1), minMs: +sorted[0].toFixed(1), maxMs: +sorted[sorted.length - 1].toFixed(1) };
}
