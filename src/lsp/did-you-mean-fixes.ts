/**
 * The replacements a diagnostic's did-you-mean help proposes. Today helps are text
 * ("did you mean `x`?", "these names seem close: `a`, `b`"); this is the one place that
 * reads them, so structured suggestions on the Diagnostic can replace the parsing here.
 */
import type { Diagnostic } from "../diagnostics/index.js";

/** A suggested replacement of the diagnostic's span. */
export interface NameFix {
  readonly name: string;
  readonly newText: string;
}

const ONE = /^did you mean [`"]([^`"]+)[`"]\?$/;
const SEVERAL = /^these names seem close: (.+)$/;

/** The names the help suggests, best first, and the text that replaces the span for each. */
export function didYouMeanFixes(d: Diagnostic, spanText: string): NameFix[] {
  const help = d.help?.trim();
  if (!help) return [];
  const one = ONE.exec(help);
  const several = SEVERAL.exec(help);
  const names = one ? [one[1]] : several ? [...several[1].matchAll(/[`"]([^`"]+)[`"]/g)].map((m) => m[1]) : [];
  // A misspelled string (`"bugg"` for an enum member) keeps its quotes.
  const quoted = /^".*"$/s.test(spanText);
  return names.map((name) => ({ name, newText: quoted ? JSON.stringify(name) : name }));
}
