/**
 * What `feste test` shows for each test: a line saying whether it passed, and for a failure
 * a diagnostic at the `.feste` line of the assert with both sides of the comparison (or the
 * runtime error that stopped the test, at its own line).
 */
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.js";
import type { Data } from "../ir/value.js";
import type { TestOutcome } from "../runtime/run-tests.js";
import { isPlainName, quoteString } from "../format/print-literal.js";
import { runtimeDiagnostic } from "./runtime-error.js";

/** Longest value shown in a note before it is cut. */
const MAX_SHOWN = 400;

/** `word_counts`, or `"greets by name"` for a name that is not a plain word. */
export function testName(name: string): string {
  return isPlainName(name) ? name : quoteString(name);
}

/** The diagnostics that explain a failed test; empty for a passed one. */
export function failureDiagnostics(o: TestOutcome, sources: ReadonlyMap<string, string>): Diagnostic[] {
  if (o.error !== undefined) {
    const d = runtimeDiagnostic(o.error);
    // Anything else is a bug in Feste, reported as one by the command line.
    if (!d) throw o.error;
    return [d];
  }
  return o.failures.map((f) => {
    const span = f.assert.span;
    const condition = sources.get(span.file)?.slice(span.start, span.end) ?? "assert";
    const notes = f.assert.compare ? [`left:  ${shown(f.left)}`, `right: ${shown(f.right)}`] : ["the condition was false"];
    return makeDiagnostic("FE4021", span, [condition.replace(/\s+/g, " ")], { notes });
  });
}

function shown(v: Data | undefined): string {
  const text = JSON.stringify(v ?? null);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}… (${text.length} characters)` : text;
}
