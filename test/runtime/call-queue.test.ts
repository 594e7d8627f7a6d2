/** The dispatcher's queue of calls: runs of one submission's items, cut into requests by index. */
import { describe, expect, it } from "vitest";
import { CallQueue, itemsIn, payloadsOf, type Submission } from "../../src/runtime/call-queue.js";

const submission = (texts: string[]): Submission => ({ payloads: texts, answer: () => undefined, fail: () => undefined });
const texts = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe("CallQueue", () => {
  it("keeps items in the order they were queued, joining consecutive items of one submission into one run", () => {
    const a = submission(texts("a", 10));
    const q = new CallQueue();
    q.push(a, 0, 3);
    q.push(a, 3, 5);
    expect(q.size).toBe(5);
    const runs = q.take(5);
    expect(runs).toEqual([{ of: a, from: 0, to: 5 }]);
    expect(q.size).toBe(0);
  });

  it("cuts a run where a request ends, and the next request starts from the rest of it", () => {
    const a = submission(texts("a", 5000));
    const q = new CallQueue();
    q.push(a, 0, 5000);
    const sizes: number[] = [];
    const firsts: string[] = [];
    while (q.size > 0) {
      const runs = q.take(2048);
      sizes.push(itemsIn(runs));
      firsts.push(payloadsOf(runs)[0] as string);
    }
    expect(sizes).toEqual([2048, 2048, 904]);
    expect(firsts).toEqual(["a0", "a2048", "a4096"]);
  });

  it("mixes submissions in arrival order, and a request may hold items of several", () => {
    const a = submission(texts("a", 4));
    const b = submission(texts("b", 4));
    const q = new CallQueue();
    q.push(a, 0, 2);
    q.push(b, 1, 3);
    q.push(a, 2, 4);
    expect(q.payloads(3)).toEqual(["a0", "a1", "b1"]);
    const first = q.take(3);
    expect(first).toEqual([{ of: a, from: 0, to: 2 }, { of: b, from: 1, to: 2 }]);
    expect(payloadsOf(q.drain())).toEqual(["b2", "a2", "a3"]);
  });

  it("ignores empty ranges, and moves a whole queue behind another with append", () => {
    const a = submission(texts("a", 3));
    const q = new CallQueue();
    q.push(a, 2, 2);
    expect(q.size).toBe(0);
    const other = new CallQueue();
    other.push(a, 0, 3);
    q.append(other);
    expect(other.size).toBe(0);
    expect(payloadsOf(q.take(10))).toEqual(["a0", "a1", "a2"]);
  });
});
