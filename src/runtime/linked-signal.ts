/**
 * A per-request AbortSignal tied to the run's. Both SDKs add an abort listener to the signal
 * they are given and never remove it, so handing them a run's signal directly leaks one
 * listener per request and makes Node warn after ten. Here the run's signal gets one listener,
 * however many requests are in flight under it, and each request's own signal is let go when
 * the request ends.
 */

const inFlight = new WeakMap<AbortSignal, Set<AbortController>>();

/** A request's own signal and the way to let it go. */
export interface LinkedSignal {
  /** What the SDK is given: aborted when the run's signal is. */
  readonly signal?: AbortSignal;
  /** Call when the request has ended, however it ended. */
  release(): void;
}

/** A signal aborted with `parent` (if any), costing `parent` one listener in all. */
export function linkedSignal(parent: AbortSignal | undefined): LinkedSignal {
  if (!parent) return { release() {} };
  const controller = new AbortController();
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { signal: controller.signal, release() {} };
  }
  let children = inFlight.get(parent);
  if (!children) {
    const created = new Set<AbortController>();
    parent.addEventListener(
      "abort",
      () => {
        for (const c of created) c.abort(parent.reason);
        created.clear();
      },
      { once: true },
    );
    inFlight.set(parent, created);
    children = created;
  }
  const set = children;
  set.add(controller);
  return { signal: controller.signal, release: () => set.delete(controller) };
}
