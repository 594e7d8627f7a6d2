/**
 * The run-time half of dedupe: identical calls that may be answered alike (temperature 0 or
 * `dedupe: true`; see `mergeable`) are asked once per run, wherever they arise: other
 * elements of a `for`, other branches, or calls that become ready while the first is still
 * in flight. The first is sent; the others wait for its answer (or failure) and share it. A
 * call whose twin has already been answered is answered from here without a request.
 *
 * The optimizer merges identical call sites it can see; this catches those only the run
 * reveals (equal elements of an input list, prompts that render equal from different data).
 */
import type { Data } from "../ir/value.js";
import type { Payload, Submission } from "./call-queue.js";

/** An item of a submission that waits for its twin's answer. */
interface Waiter {
  readonly of: Submission;
  readonly index: number;
}

type Entry = { readonly waiters: Waiter[] } | { readonly value: Data };

/** The items of a submission that must really be sent, as a submission of their own. */
export interface FirstAsks {
  readonly calls: Submission;
  readonly count: number;
}

export class SharedCalls {
  private readonly entries = new Map<string, Entry>();

  /**
   * Takes items `from` to `to` of `calls`, all of one call site keyed `site`: items whose twin
   * was asked already wait for it (or are answered on the next microtask, when it has been
   * answered); the rest are returned, to be sent, in a submission that shares each answer.
   */
  share(site: string, calls: Submission, from: number, to: number): FirstAsks {
    const firsts: number[] = [];
    const keys: string[] = [];
    const known: [number, Data][] = [];
    for (let i = from; i < to; i++) {
      const key = `${site}\u0000${payloadKey(calls.payloads[i])}`;
      const e = this.entries.get(key);
      if (e === undefined) {
        this.entries.set(key, { waiters: [] });
        firsts.push(i);
        keys.push(key);
      } else if ("value" in e) known.push([i, e.value]);
      else e.waiters.push({ of: calls, index: i });
    }
    // As the dispatcher answers: never synchronously from a submit.
    if (known.length > 0) queueMicrotask(() => known.forEach(([i, v]) => calls.answer(i, v)));
    const entries = this.entries;
    const shared: Submission = {
      payloads: firsts.map((i) => calls.payloads[i]),
      answer(k, value) {
        const e = entries.get(keys[k]);
        entries.set(keys[k], { value });
        calls.answer(firsts[k], value);
        if (e && "waiters" in e) for (const w of e.waiters) w.of.answer(w.index, value);
      },
      fail(k, error) {
        const e = entries.get(keys[k]);
        // A later twin may try again; the ones waiting now share the failure.
        entries.delete(keys[k]);
        calls.fail(firsts[k], error);
        if (e && "waiters" in e) for (const w of e.waiters) w.of.fail(w.index, error);
      },
    };
    return { calls: shared, count: firsts.length };
  }
}

function payloadKey(p: Payload): string {
  return typeof p === "string" ? p : JSON.stringify(p);
}
