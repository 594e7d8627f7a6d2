/**
 * Sample numbers for equal items of non-deterministic calls, by the item's key: each take
 * gets the lowest number not in use, so the n-th equal prompt of a run is the n-th sample.
 * Shared by the answer cache and by recorded fixtures, which key samples the same way.
 */
export class SampleNumbers {
  private readonly used = new Map<string, Set<number>>();

  take(base: Uint8Array): number {
    const id = Buffer.from(base).toString("hex");
    let set = this.used.get(id);
    if (!set) this.used.set(id, (set = new Set()));
    let n = 0;
    while (set.has(n)) n++;
    set.add(n);
    return n;
  }

  giveBack(base: Uint8Array, n: number): void {
    this.used.get(Buffer.from(base).toString("hex"))?.delete(n);
  }
}
