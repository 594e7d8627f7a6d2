import type { Diagnostic, Span } from "./diagnostic.js";
import { LineIndex } from "./line-index.js";

/** Where rendering finds each file's text, by the file name used in spans. */
export type SourceLookup = (file: string) => string | undefined;

const TAB = "    ";

/** Renders diagnostics Rust/Elm style: headline, location, source frame, notes and help. */
export function renderDiagnostics(list: readonly Diagnostic[], sources: SourceLookup): string {
  const indexes = new Map<string, LineIndex | undefined>();
  const indexOf = (file: string) => {
    if (!indexes.has(file)) {
      const text = sources(file);
      indexes.set(file, text === undefined ? undefined : new LineIndex(text));
    }
    return indexes.get(file);
  };
  return list.map((d) => renderOne(d, indexOf)).join("\n");
}

function renderOne(d: Diagnostic, indexOf: (file: string) => LineIndex | undefined): string {
  const out: string[] = [`${d.severity}[${d.code}]: ${d.message}`];
  const index = indexOf(d.span.file);
  const snippets = [{ span: d.span, message: "", primary: true }].concat(
    d.labels.map((l) => ({ span: l.span, message: l.message, primary: false })),
  );
  const width = Math.max(
    ...snippets.map((s) => {
      const idx = indexOf(s.span.file);
      return idx ? String(idx.position(s.span.start).line).length : 1;
    }),
  );
  const pad = " ".repeat(width);
  if (!index) {
    out.push(`${pad}--> ${d.span.file}`);
  } else {
    const { line, column } = index.position(d.span.start);
    out.push(`${pad}--> ${d.span.file}:${line}:${column}`);
  }
  for (const s of snippets) {
    const idx = indexOf(s.span.file);
    if (!idx) continue;
    if (!s.primary && s.span.file !== d.span.file) {
      const p = idx.position(s.span.start);
      out.push(`${pad}::: ${s.span.file}:${p.line}:${p.column}`);
    }
    out.push(`${pad} |`);
    out.push(...frame(idx, s.span, s.primary ? "^" : "-", s.message, width));
  }
  out.push(`${pad} |`);
  for (const n of d.notes) out.push(`${pad} = note: ${n}`);
  if (d.help) out.push(`${pad} = help: ${d.help}`);
  return out.join("\n") + "\n";
}

/** The source line of a span with an underline exactly as wide as the span on that line. */
function frame(idx: LineIndex, span: Span, mark: string, message: string, width: number): string[] {
  const start = idx.position(span.start);
  const end = idx.position(Math.max(span.start, span.end - 1));
  const raw = idx.lineText(start.line);
  const before = raw.slice(0, start.column - 1).replaceAll("\t", TAB);
  const lastCol = end.line === start.line ? end.column : raw.length;
  const covered = raw.slice(start.column - 1, Math.max(start.column, lastCol)).replaceAll("\t", TAB);
  const underline = mark.repeat(Math.max(1, covered.length));
  const gutter = String(start.line).padStart(width);
  const lines = [`${gutter} | ${raw.replaceAll("\t", TAB)}`.trimEnd()];
  const tail = message ? ` ${message}` : end.line > start.line ? " ..." : "";
  lines.push(`${" ".repeat(width)} | ${" ".repeat(before.length)}${underline}${tail}`);
  return lines;
}

/** Diagnostics as JSON for tools: offsets plus 1-based line and column. */
export function diagnosticsToJson(list: readonly Diagnostic[], sources: SourceLookup): object[] {
  const cache = new Map<string, LineIndex | undefined>();
  const pos = (span: Span) => {
    if (!cache.has(span.file)) {
      const t = sources(span.file);
      cache.set(span.file, t === undefined ? undefined : new LineIndex(t));
    }
    const idx = cache.get(span.file);
    const s = idx?.position(span.start);
    const e = idx?.position(span.end);
    return {
      file: span.file,
      start: span.start,
      end: span.end,
      ...(s && e ? { line: s.line, column: s.column, endLine: e.line, endColumn: e.column } : {}),
    };
  };
  return list.map((d) => ({
    code: d.code,
    severity: d.severity,
    message: d.message,
    span: pos(d.span),
    labels: d.labels.map((l) => ({ message: l.message, span: pos(l.span) })),
    notes: d.notes,
    ...(d.help === undefined ? {} : { help: d.help }),
  }));
}
