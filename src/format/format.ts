/**
 * `feste fmt` as a function: source text in, canonical source text out, comments kept. The
 * result is checked before it is returned: it must parse to the same AST (spans aside) and
 * hold the same comments, or the text is refused with a diagnostic. A formatter that loses
 * a comment or changes a program is worse than none, so it never returns such text.
 */
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.js";
import { parse, type ParseResult } from "../phases/1-parse/index.js";
import type * as A from "../phases/1-parse/ast.js";
import { attachComments, plainComments, type SourceComment } from "./comments.js";
import { printModule } from "./print.js";

export interface FormatResult {
  /** The formatted text; absent when the file has errors or cannot be formatted safely. */
  readonly text?: string;
  /** Syntax errors (the file is then left alone), or why formatting was refused. */
  readonly diagnostics: readonly Diagnostic[];
}

/** Formats one `.feste` file's text; `file` names it in diagnostics. */
export function formatSource(text: string, file: string): FormatResult {
  const first = parse(text, file);
  if (first.diagnostics.some((d) => d.severity === "error")) return { diagnostics: first.diagnostics };
  const comments = plainComments(first.module, first.comments, text);
  const table = attachComments(first.module, comments, text);
  // Templates as written first; if that ever fails the checks, templates in canonical form.
  const asWritten = checked(printModule(first.module, { comments: table, source: text }), first, comments, file);
  if (asWritten.text !== undefined) return asWritten;
  return checked(printModule(first.module, { comments: table }), first, comments, file);
}

/** `out` if it parses to the same AST with the same comments, else a diagnostic saying why not. */
function checked(out: string, first: ParseResult, comments: readonly SourceComment[], file: string): FormatResult {
  const second = parse(out, file);
  // A comment that moved next to a declaration can turn into its doc (`///`): name it.
  const lost = missingComment(comments, plainComments(second.module, second.comments, out));
  if (lost) {
    const d = makeDiagnostic("FE1018", { file, start: lost.start, end: lost.end }, [], {
      help: "put the comment on a line of its own between two declarations or statements",
    });
    return { diagnostics: [d] };
  }
  const changed = second.diagnostics.some((d) => d.severity === "error") || astShape(second.module) !== astShape(first.module);
  if (changed || second.comments.length !== first.comments.length) {
    // A printer bug, not the user's: say so, and leave the file as it is.
    const d = makeDiagnostic("FE1017", { file, start: 0, end: 0 }, [], {
      notes: ["formatting would have changed the program or its comments"],
      help: "please report this file as a bug in `feste fmt`",
    });
    return { diagnostics: [d] };
  }
  return { text: out, diagnostics: first.diagnostics };
}

/** The AST as JSON without positions: what formatting must not change. */
export function astShape(m: A.Module): string {
  return JSON.stringify(m, (key, v: unknown) => (key === "span" || key === "opSpan" || key === "file" ? undefined : v));
}

/** The first comment of `before` with no equal comment left in `after`, counting repeats. */
function missingComment(before: readonly SourceComment[], after: readonly SourceComment[]): SourceComment | undefined {
  const left = new Map<string, number>();
  for (const c of after) left.set(c.text, (left.get(c.text) ?? 0) + 1);
  for (const c of before) {
    const n = left.get(c.text) ?? 0;
    if (n === 0) return c;
    left.set(c.text, n - 1);
  }
  return undefined;
}
