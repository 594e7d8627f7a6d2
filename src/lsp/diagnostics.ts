/**
 * Compiler diagnostics as LSP diagnostics, and which of them each file shows. A check of
 * one root reports problems in the modules it uses too; like `feste check` over several
 * files, a file shows the union of what every open root found in it, each problem once.
 */
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from "vscode-languageserver";
import type { Diagnostic } from "../diagnostics/index.js";
import { TextPositions } from "./text-positions.js";

/** The URI scheme whose documents hold `feste explain CODE` (the extension shows them). */
export const EXPLAIN_SCHEME = "feste-explain";

export function toLspDiagnostic(d: Diagnostic, positions: TextPositions, positionsOf: (file: string) => TextPositions | undefined, uriOf: (file: string) => string): LspDiagnostic {
  const related = d.labels.flatMap((l) => {
    const p = positionsOf(l.span.file);
    return p ? [{ location: { uri: uriOf(l.span.file), range: p.range(l.span) }, message: l.message }] : [];
  });
  return {
    range: positions.range(d.span),
    severity: d.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.code,
    codeDescription: { href: `${EXPLAIN_SCHEME}:${d.code}` },
    source: "feste",
    message: [d.message, ...d.notes.map((n) => `note: ${n}`), ...(d.help ? [`help: ${d.help}`] : [])].join("\n"),
    ...(related.length > 0 ? { relatedInformation: related } : {}),
  };
}

/** Per file, the diagnostics each root's latest check found in it. */
export class DiagnosticOwners {
  private readonly byFile = new Map<string, Map<string, readonly Diagnostic[]>>();

  /** Replaces what `root` found; returns the files whose union may have changed. */
  set(root: string, diagnostics: readonly Diagnostic[]): string[] {
    const grouped = new Map<string, Diagnostic[]>();
    grouped.set(root, []);
    for (const d of diagnostics) {
      const list = grouped.get(d.span.file) ?? [];
      list.push(d);
      grouped.set(d.span.file, list);
    }
    const touched = new Set(grouped.keys());
    for (const [file, owners] of this.byFile) if (owners.delete(root)) touched.add(file);
    for (const [file, list] of grouped) {
      const owners = this.byFile.get(file) ?? new Map<string, readonly Diagnostic[]>();
      owners.set(root, list);
      this.byFile.set(file, owners);
    }
    return [...touched].sort();
  }

  /** Forgets a closed root; returns the files to publish again. */
  remove(root: string): string[] {
    const touched: string[] = [];
    for (const [file, owners] of this.byFile) if (owners.delete(root)) touched.push(file);
    return touched.sort();
  }

  /** The union for `file`, each problem once, in the order the checks found them. */
  of(file: string): Diagnostic[] {
    const seen = new Set<string>();
    const out: Diagnostic[] = [];
    for (const list of this.byFile.get(file)?.values() ?? []) {
      for (const d of list) {
        const k = `${d.code}|${d.span.start}|${d.span.end}|${d.message}`;
        if (seen.has(k)) continue;
        seen.add(k);
        out.push(d);
      }
    }
    return out.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  }
}
