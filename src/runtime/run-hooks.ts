/** What the scheduler is given to talk to the outside: models, extern functions, observers. */
import type { Data } from "../ir/value.js";
import type { ModelBackend } from "./backend.js";

/**
 * Runs an `extern fn` (on a worker pool, in the CLI and generated modules). `mode` is `"io"`
 * for an `extern io fn`, which must run on the main event loop and must not be cached.
 */
export type ExternRunner = (module: string, fn: string, args: readonly Data[], signal?: AbortSignal, mode?: "io") => Promise<Data>;

export interface RunHooks {
  readonly backend: ModelBackend;
  readonly externs?: ExternRunner;
  readonly countTokens: (text: string) => number;
  /** Finish every branch that does not depend on a failure, and list the failures. */
  readonly keepGoing?: boolean;
  /** Provider time over real time, for tests against a stand-in with a scaled clock; 1 by default. */
  readonly timeScale?: number;
  /** The dispatcher's backstop window, in ms. */
  readonly windowMs: number;
  /** A node started or finished (maps add nodes as they expand, so totals grow). */
  readonly onNode?: (what: "start" | "done") => void;
}
