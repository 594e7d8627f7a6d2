/**
 * A list whose elements arrive one at a time. A `map` without a filter, or a batch of model
 * calls, produces one, so whatever reads the list element by element (the next `map`, a batch
 * over it, a `pick`) can start on element 3 while element 7 is still at the model: a fast
 * branch never waits for a slow one just because the optimizer put their calls in one list.
 */
import type { Value } from "../ir/value.js";

export class ElementStream {
  private readonly values: Value[];
  private readonly have: boolean[];
  private readonly waiting = new Map<number, ((v: Value) => void)[]>();
  /** Readers of every element, in arrival order (see `each`). */
  private readonly readers: ((i: number, v: Value) => void)[] = [];

  constructor(readonly length: number) {
    this.values = new Array<Value>(length);
    this.have = new Array<boolean>(length).fill(false);
  }

  /** Delivers element `i` to everyone waiting for it. */
  set(i: number, v: Value): void {
    this.values[i] = v;
    this.have[i] = true;
    for (const r of this.readers) r(i, v);
    if (this.waiting.size === 0) return;
    const waiters = this.waiting.get(i);
    if (!waiters) return;
    this.waiting.delete(i);
    for (const w of waiters) w(v);
  }

  /** Calls `f` with element `i` now if it is there, else when it arrives. */
  on(i: number, f: (v: Value) => void): void {
    if (this.have[i]) return f(this.values[i]);
    const waiters = this.waiting.get(i);
    if (waiters) waiters.push(f);
    else this.waiting.set(i, [f]);
  }

  /**
   * Calls `f(i, v)` for every element: those already there now, the others as they arrive.
   * One reader for the whole list, where `on` would keep a waiter per element.
   */
  each(f: (i: number, v: Value) => void): void {
    // Subscribed before the elements already there are handed over, so one that arrives
    // meanwhile (set from inside `f`) is neither missed nor delivered twice.
    const present = this.have.slice();
    this.readers.push(f);
    for (let i = 0; i < this.length; i++) if (present[i]) f(i, this.values[i]);
  }
}

/** A list that is either complete or arriving: what a `map` or batch reads its input from. */
export interface ElementSource {
  readonly length: number;
  on(i: number, f: (v: Value) => void): void;
  each(f: (i: number, v: Value) => void): void;
}

/** A complete list seen as a source whose elements are all there. */
export function wholeSource(list: readonly Value[]): ElementSource {
  return {
    length: list.length,
    on: (i, f) => f(list[i]),
    each: (f) => {
      for (let i = 0; i < list.length; i++) f(i, list[i]);
    },
  };
}
