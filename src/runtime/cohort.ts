/**
 * The elements of one `map` run, as the rounds of their `fold`s and `loop`s see them. A
 * round waits (`step`) until every element of the map still running is waiting too or has
 * finished; then all waiting rounds go at once. So round k of every element still looping
 * becomes ready in the same turn of the event loop, and the dispatcher sends its calls
 * together (split only by the endpoint's limits); an element that stopped looping has left
 * and is not waited for. Waiting never blocks progress: an element that is running either
 * reaches a round or finishes, and when all are waiting they are all released.
 */
import type { Frame } from "../ir/evaluate-pure.js";

const cohorts = new WeakMap<Frame, Cohort>();

export class Cohort {
  private waiting: (() => void)[] = [];

  /** `live`: the map's elements, counted down as each finishes. */
  constructor(private live: number) {}

  /** The cohort of the nearest `map` element around `frame`, if any. */
  static of(frame: Frame): Cohort | undefined {
    for (let f: Frame | undefined = frame; f; f = f.parent) {
      const c = cohorts.get(f);
      if (c) return c;
    }
    return undefined;
  }

  /** Marks `frame` (an element's scope) as belonging to this cohort; returns it. */
  enter(frame: Frame): Frame {
    cohorts.set(frame, this);
    return frame;
  }

  /** Resolves when every element still running has reached a round too. */
  step(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.release();
    });
  }

  /** An element finished (or was dropped): it is no longer waited for. */
  leave(): void {
    this.live--;
    this.release();
  }

  private release(): void {
    if (this.waiting.length === 0 || this.waiting.length < this.live) return;
    const go = this.waiting;
    this.waiting = [];
    for (const resolve of go) resolve();
  }
}
