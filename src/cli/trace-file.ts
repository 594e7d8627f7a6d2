/**
 * `feste exec --trace FILE`: where the run's trace goes. The path is checked before the run
 * starts (so a typo costs nothing), and the trace is written when the run ends, failed and
 * interrupted runs included, since those are the runs one wants to look at.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { toChromeTrace, TraceRecorder } from "../runtime/trace/index.js";
import { CliExit } from "./program-options.js";
import { redactSecrets } from "./secrets.js";

/** A run's trace recorder and how to save it. */
export interface TraceFile {
  readonly recorder: TraceRecorder;
  /** Writes the trace; on failure prints why and exits 1. `quiet` leaves out the note on stderr. */
  write(quiet: boolean): void;
}

/** Checks `path` can be written (exit 2 if it is a folder) and starts recording, labelled `label`. */
export function startTrace(path: string, label: string): TraceFile {
  if (existsSync(path) && statSync(path).isDirectory()) {
    process.stderr.write(`error: --trace takes a file name, and ${path} is a folder\n`);
    throw new CliExit(2);
  }
  const recorder = new TraceRecorder(label);
  return {
    recorder,
    write(quiet) {
      recorder.finish();
      try {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, redactSecrets(JSON.stringify(toChromeTrace(recorder))) + "\n");
      } catch (e) {
        process.stderr.write(`error: cannot write the trace to ${path}: ${(e as Error).message}\n`);
        throw new CliExit(1);
      }
      const n = recorder.requests.length;
      if (!quiet) process.stderr.write(`trace: ${n} request${n === 1 ? "" : "s"} in ${path} (open it in https://ui.perfetto.dev or chrome://tracing)\n`);
    },
  };
}
