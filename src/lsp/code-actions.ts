/** Quick fixes: one per name a did-you-mean help proposes, replacing the misspelled text. */
import { CodeActionKind, type CodeAction, type Range } from "vscode-languageserver";
import type { Diagnostic } from "../diagnostics/index.js";
import { toLspDiagnostic } from "./diagnostics.js";
import { didYouMeanFixes } from "./did-you-mean-fixes.js";
import { TextPositions } from "./text-positions.js";
import type { Workspace } from "./workspace.js";

/** The fixes for the diagnostics of `file` whose span meets `range`. */
export function codeActions(ws: Workspace, file: string, range: Range, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const text = ws.text(file);
  if (text === undefined) return [];
  const positions = new TextPositions(text);
  const start = positions.offset(range.start);
  const end = positions.offset(range.end);
  const uri = ws.uri(file);
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.span.file !== file || d.span.end < start || d.span.start > end) continue;
    const fixes = didYouMeanFixes(d, text.slice(d.span.start, d.span.end));
    fixes.forEach((fix, i) => {
      actions.push({
        title: `Change to \`${fix.name}\``,
        kind: CodeActionKind.QuickFix,
        diagnostics: [toLspDiagnostic(d, positions, () => undefined, () => uri)],
        isPreferred: i === 0 && fixes.length === 1,
        edit: { changes: { [uri]: [{ range: positions.range(d.span), newText: fix.newText }] } },
      });
    });
  }
  return actions;
}
