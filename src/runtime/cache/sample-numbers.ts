/**
 * Sample numbers for equal items of non-deterministic calls, by the item's key: each take
 * gets the lowest number not in use, so the n-th equal prompt of a run is the n-th sample.
 * Shared by the answer cache, recorded fixtures and distributed runs, which key samples the
 * same way (as bytes, or as the text of a key).
 */
export class SampleNumbers {
  private readonly used = new Map<string, Set<number>>();

  /** The lowest number not in use for `base`, now in use. */
  take(base: Uint8Array | string): number {
    const id = idOf(base);
    let set = this.used.get(id);
    if (!set) this.used.set(id, (set = new Set()));
    let n = 0;
    while (set.has(n)) n++;
    set.add(n);
    return n;
  }

  /** A failed request's number, free again so a retry draws the same one. */
  giveBack(base: Uint8Array | string, n: number): void {
    this.used.get(idOf(base))?.delete(n);
  }
}

function idOf(base: Uint8Array | string): string {
  return typeof base === "string" ? base : Buffer.from(base).toString("hex");
}
