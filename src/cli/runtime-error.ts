/**
 * A failed run, shown like a compile error: the code, the message, and the `.feste` line the
 * failing call came from, with its frame. Errors the runtime did not expect are bugs and say so.
 */
import { makeDiagnostic, renderDiagnostics, type Diagnostic } from "../diagnostics/index.js";
import { FesteRuntimeError } from "../ir/errors.js";
import { useColor } from "./output.js";
import { reportDiagnosticsAsJson } from "./failure.js";

const HELP: Readonly<Record<string, string>> = {
  FE4004: "run with --fake to try the program offline against the stand-in server, or --eager to step through it",
  FE4006: "set the variable, give the client an `api_key`, or run with --fake",
  FE4009: "delete the file, or run with --no-cache",
  FE4030: "make the file and its folder writable, point --cache at another file, or run with --no-cache",
  FE4020: "record the answers again with `feste test --record DIR` (with --fake to record the stand-in's)",
  FE4012: "start Redis, or check the host, port and password in --redis",
  FE4011: "check the workers' output; finished calls are not sent again when you run again",
};

/** The diagnostic for a runtime error, or undefined if it is not one (a bug). */
export function runtimeDiagnostic(e: unknown): Diagnostic | undefined {
  if (!(e instanceof FesteRuntimeError)) return undefined;
  const span = e.span ?? { file: "<run>", start: 0, end: 0 };
  const help = HELP[e.code];
  // The error's message is already its catalogue headline, arguments filled in: keep it as it
  // is (passing it through the catalogue again garbled two-argument codes such as FE4009).
  return { ...makeDiagnostic(e.code as "FE4004", span, [e.message], help ? { help } : {}), message: e.message };
}

/** Prints a runtime error to stderr (as JSON on stdout with `json`); false if it was not one. */
export function printRuntimeError(e: unknown, sources: ReadonlyMap<string, string>, json: boolean): boolean {
  const d = runtimeDiagnostic(e);
  if (!d) return false;
  const lookup = (f: string) => sources.get(f);
  if (json && reportDiagnosticsAsJson("runtime", [d], lookup)) return true;
  const text = renderDiagnostics([d], lookup);
  process.stderr.write((useColor(process.stderr) ? text.replace(/^error(\[FE\d+\])/m, "\x1b[1;31merror$1\x1b[0m") : text) + "\n");
  return true;
}
