/**
 * How a command reports that it failed. Plain: `error: MESSAGE` (and `help: ...`) on stderr.
 * With `--json`: one JSON document on stdout, the same shape for every kind of failure, so a
 * script reads one thing whatever went wrong:
 *
 *     { "error": E, "errors": [E, ...] }
 *
 * where `error` is the first of `errors` and each E is a diagnostic as `feste check --json`
 * prints it (`code`, `severity`, `message`, `span`, `labels`, `notes`, `help`...) plus
 * `kind`: "usage" (flags, files), "input" (`--input`), "key" (a missing API key), "compile"
 * (the program does not check), "deadline", "interrupted" or "runtime". Failures that are not
 * diagnostics have `code: null` and no `span`. The README documents this shape.
 */
import { diagnosticsToJson, type Diagnostic } from "../diagnostics/index.js";

/** What failed, as `kind` in the JSON document. */
export type FailureKind = "usage" | "input" | "key" | "compile" | "deadline" | "interrupted" | "runtime";

let asJson = false;
let printed = false;

/** Whether failures are printed as the JSON document (`--json` was given). */
export function failuresAsJson(on: boolean): void {
  asJson = on;
}

/** True when failures go to stdout as JSON. */
export function jsonFailures(): boolean {
  return asJson;
}

/** Whether the failure document has been printed (a command then prints no other JSON). */
export function failureReported(): boolean {
  return printed;
}

/** Reports a failure that is not a diagnostic. */
export function reportFailure(kind: FailureKind, message: string, help?: string): void {
  if (!asJson) {
    process.stderr.write(`error: ${message}\n${help ? `help: ${help}\n` : ""}`);
    return;
  }
  printDocument(kind, [{ code: null, severity: "error", message, labels: [], notes: [], ...(help ? { help } : {}) }]);
}

/** With `--json`, prints the diagnostics as the failure document and returns true; else false (the caller renders them). */
export function reportDiagnosticsAsJson(kind: FailureKind, diagnostics: readonly Diagnostic[], sources: (file: string) => string | undefined): boolean {
  if (!asJson) return false;
  printDocument(kind, diagnosticsToJson(diagnostics, sources));
  return true;
}

/** One document per process: the first failure is the one reported. */
function printDocument(kind: FailureKind, errors: readonly object[]): void {
  if (printed) return;
  printed = true;
  const withKind = errors.map((e) => ({ kind, ...e }));
  process.stdout.write(JSON.stringify({ error: withKind[0], errors: withKind }, null, 2) + "\n");
}
