/**
 * Runs one call of an `extern io fn`: on the main event loop (the runner is told `io`), each
 * try bounded by the `timeout` setting, `retries` more tries after a failure. Nothing here
 * caches or shares results: two calls are two calls. The scheduler, eager mode and a
 * generated module's code all call `runIoExtern`, so every mode runs effects the same way.
 */
import { FesteRuntimeError } from "../ir/errors.js";
import type { IoSettings } from "../ir/nodes.js";
import type { Data } from "../ir/value.js";
import type { ExternRunner } from "./run-hooks.js";

/** What `runIoExtern` needs of an io call: the function, its module and its settings. */
export interface IoCall {
  readonly fn: string;
  readonly module: string;
  readonly io: IoSettings;
}

/** Pause before retry k (1-based): short, growing, so a flaky service gets a moment. */
const backoffMs = (k: number) => Math.min(1000, 25 * 2 ** (k - 1));

/**
 * The call's result; fails with FE4074 naming the function once the last try failed (the
 * caller adds the `.feste` location). An abort stops at once with the signal's reason.
 */
export async function runIoExtern(call: IoCall, args: readonly Data[], run: ExternRunner | undefined, signal?: AbortSignal): Promise<Data> {
  if (!run) throw new FesteRuntimeError("FE4074", `\`${call.fn}\` cannot run: no extern function runner was given`);
  const tries = 1 + (call.io.retries ?? 0);
  let last = "";
  for (let k = 1; k <= tries; k++) {
    signal?.throwIfAborted();
    try {
      return await withTimeout(run(call.module, call.fn, args, signal, "io"), call.io.timeout, call.fn);
    } catch (e) {
      signal?.throwIfAborted();
      // A replay with no recorded result is not the function failing: say so as it is.
      if (e instanceof FesteRuntimeError && e.code === "FE4020") throw e;
      last = e instanceof Error ? e.message : String(e);
      if (k < tries) await new Promise((r) => setTimeout(r, backoffMs(k)));
    }
  }
  const triesText = tries === 1 ? "" : ` after ${tries} tries`;
  throw new FesteRuntimeError("FE4074", `\`${call.fn}\` failed${triesText}: ${last}`);
}

/** `p`, or a timeout failure after `seconds` (the call itself cannot be stopped; its answer is dropped). */
function withTimeout<T>(p: Promise<T>, seconds: number | undefined, fn: string): Promise<T> {
  if (seconds === undefined) return p;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`\`${fn}\` timed out after ${seconds} s`)), seconds * 1000);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
