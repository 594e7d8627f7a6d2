import type { Code } from "./catalogue.js";

/** A half-open range of UTF-16 offsets into one file's text: `start` inclusive, `end` exclusive. */
export interface Span {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  /** For a model or extern call of a graph inlined into another: the outermost call site. */
  readonly via?: Span;
}

export type Severity = "error" | "warning";

/** A secondary underline with its own short message, e.g. "first declared here". */
export interface Label {
  readonly span: Span;
  readonly message: string;
}

/**
 * A machine-readable fix: replace the text at `span` with `text`. A diagnostic's help line
 * says the same in words; an editor turns each suggestion into a code action, best first
 * (e.g. the names of a did-you-mean, or `gpt(summarise(r))` for a prompt used as text).
 */
export interface Suggestion {
  readonly span: Span;
  readonly text: string;
}

/**
 * One problem found in a program. Diagnostics are values: phases push them into a sink and
 * keep going; only the CLI renders them.
 */
export interface Diagnostic {
  readonly code: Code;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly labels: readonly Label[];
  readonly notes: readonly string[];
  readonly help?: string;
  /** Replacements that fix the problem, best first; absent when there is none to offer. */
  readonly suggestions?: readonly Suggestion[];
}

/** Collects diagnostics in the order they are found and caps runaway error floods. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];

  push(d: Diagnostic): void {
    this.items.push(d);
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === "error");
  }
}

/** Orders diagnostics by file, then position, then code: the order users read them in. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      compareStrings(a.span.file, b.span.file) ||
      a.span.start - b.span.start ||
      a.span.end - b.span.end ||
      compareStrings(a.code, b.code),
  );
}

/** Compares by UTF-16 code unit, independent of locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
