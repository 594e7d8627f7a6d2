/** Writing diagnostics to the terminal or as JSON; the only place that prints them. */
import { diagnosticsToJson, renderDiagnostics, type Diagnostic } from "../diagnostics/index.js";

export function useColor(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR;
}

/** Colours the headline and the `help:` lines the way Rust's compiler does. */
function colorize(text: string): string {
  return text
    .replace(/^error(\[FE\d+\])/gm, "\x1b[1;31merror$1\x1b[0m")
    .replace(/^warning(\[FE\d+\])/gm, "\x1b[1;33mwarning$1\x1b[0m")
    .replace(/^( *= help:)/gm, "\x1b[1;36m$1\x1b[0m")
    .replace(/^( *\|.*?)(\^+)/gm, "$1\x1b[1;31m$2\x1b[0m");
}

export function printDiagnostics(list: readonly Diagnostic[], sources: (file: string) => string | undefined, stream: NodeJS.WriteStream): void {
  if (list.length === 0) return;
  const text = renderDiagnostics(list, sources);
  stream.write((useColor(stream) ? colorize(text) : text) + "\n");
}

export function diagnosticsJson(list: readonly Diagnostic[], sources: (file: string) => string | undefined): object[] {
  return diagnosticsToJson(list, sources);
}

/** "2 errors, 1 warning" */
export function summarize(list: readonly Diagnostic[]): string {
  const e = list.filter((d) => d.severity === "error").length;
  const w = list.length - e;
  const part = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return [e ? part(e, "error") : "", w ? part(w, "warning") : ""].filter(Boolean).join(", ");
}
