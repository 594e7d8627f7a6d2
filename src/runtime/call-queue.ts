/**
 * Model calls waiting to be sent, kept as runs of consecutive items of one submission rather
 * than one entry per call: a batch over 5,000 texts that are all ready is one run, cut into
 * requests by index, so the calls cost no promise, closure or queue entry each.
 */
import type { Data, PromptValue } from "../ir/value.js";

export type CallKind = "complete" | "embed" | "rerank";
export type Payload = PromptValue | string | { readonly query: string; readonly documents: readonly string[] };

/**
 * Calls from one call site submitted together: a batch's list (its payloads filled in as its
 * elements arrive) or a single call. The dispatcher tells it each item's answer or failure,
 * once per item, by index.
 */
export interface Submission {
  readonly payloads: readonly Payload[];
  answer(index: number, value: Data): void;
  fail(index: number, error: unknown): void;
}

/** Items `from` to `to` (exclusive) of one submission. */
export interface Run {
  readonly of: Submission;
  readonly from: number;
  readonly to: number;
}

/** A first-in first-out queue of items, stored as runs. */
export class CallQueue {
  private runs: Run[] = [];
  /** Items queued. */
  size = 0;

  /** Queues items `from` to `to` of `of`, joining the last run when they follow it. */
  push(of: Submission, from: number, to: number): void {
    if (to <= from) return;
    const last = this.runs[this.runs.length - 1];
    if (last?.of === of && last.to === from) this.runs[this.runs.length - 1] = { of, from: last.from, to };
    else this.runs.push({ of, from, to });
    this.size += to - from;
  }

  /** Queues runs taken from another queue, in order. */
  pushRuns(runs: readonly Run[]): void {
    for (const r of runs) this.push(r.of, r.from, r.to);
  }

  /** Moves every item of `other` to the end of this queue. */
  append(other: CallQueue): void {
    this.pushRuns(other.drain());
  }

  /** The payloads of the first `count` items, in order, without removing them. */
  payloads(count: number): Payload[] {
    const out: Payload[] = [];
    for (const r of this.runs) {
      for (let i = r.from; i < r.to && out.length < count; i++) out.push(r.of.payloads[i]);
      if (out.length >= count) break;
    }
    return out;
  }

  /** Removes the first `count` items (or all there are) and returns them as runs. */
  take(count: number): Run[] {
    const out: Run[] = [];
    let left = Math.min(count, this.size);
    this.size -= left;
    while (left > 0) {
      const r = this.runs[0];
      const n = r.to - r.from;
      if (n <= left) {
        out.push(r);
        this.runs.shift();
        left -= n;
      } else {
        out.push({ of: r.of, from: r.from, to: r.from + left });
        this.runs[0] = { of: r.of, from: r.from + left, to: r.to };
        left = 0;
      }
    }
    return out;
  }

  /** Removes every item. */
  drain(): Run[] {
    return this.take(this.size);
  }
}

/** How many items the runs hold. */
export function itemsIn(runs: readonly Run[]): number {
  let n = 0;
  for (const r of runs) n += r.to - r.from;
  return n;
}

/** The payloads of the runs, in order: the items of one request. */
export function payloadsOf(runs: readonly Run[]): Payload[] {
  const out: Payload[] = new Array(itemsIn(runs));
  let k = 0;
  for (const r of runs) for (let i = r.from; i < r.to; i++) out[k++] = r.of.payloads[i];
  return out;
}
