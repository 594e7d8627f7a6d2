/**
 * Sample numbers for equal items of calls that are samples (temperature above 0, no
 * `dedupe`): the n-th equal prompt of a run is stored as the n-th sample, so equal calls keep
 * answers of their own, as they do locally, and a run again reads the same ones.
 */
export class SampleNumbers {
  private readonly used = new Map<string, Set<number>>();

  /** The lowest number not in use for `base`, now in use. */
  take(base: string): number {
    let set = this.used.get(base);
    if (!set) this.used.set(base, (set = new Set()));
    let n = 0;
    while (set.has(n)) n++;
    set.add(n);
    return n;
  }

  /** A failed request's number, free again so a retry draws the same one. */
  giveBack(base: string, n: number): void {
    this.used.get(base)?.delete(n);
  }
}
