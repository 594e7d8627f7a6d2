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

interface Marker {
  readonly span: Span;
  readonly message: string;
  readonly primary: boolean;
}

function renderOne(d: Diagnostic, indexOf: (file: string) => LineIndex | undefined): string {
  const out: string[] = [`${d.severity}[${d.code}]: ${d.message}`];
  const markers: Marker[] = [{ span: d.span, message: "", primary: true }, ...d.labels.map((l) => ({ span: l.span, message: l.message, primary: false }))];
  const lineOf = (m: Marker) => indexOf(m.span.file)?.position(m.span.start).line ?? 0;
  const width = Math.max(...markers.map((m) => String(lineOf(m)).length));
  const pad = " ".repeat(width);
  const index = indexOf(d.span.file);
  if (!index) out.push(`${pad}--> ${d.span.file}`);
  else {
    const { line, column } = index.position(d.span.start);
    out.push(`${pad}--> ${d.span.file}:${line}:${column}`);
  }
  // One frame per file and line, the primary's file first, lines in order.
  const files = [...new Set(markers.map((m) => m.span.file))];
  for (const file of files) {
    const idx = indexOf(file);
    if (!idx) continue;
    if (file !== d.span.file) {
      const first = markers.find((m) => m.span.file === file)!;
      const p = idx.position(first.span.start);
      out.push(`${pad}::: ${file}:${p.line}:${p.column}`);
    }
    const lines = [...new Set(markers.filter((m) => m.span.file === file).map(lineOf))].sort((a, b) => a - b);
    for (const line of lines) {
      out.push(`${pad} |`);
      const onLine = markers.filter((m) => m.span.file === file && lineOf(m) === line);
      out.push(...frame(idx, line, onLine, width));
    }
  }
  out.push(`${pad} |`);
  for (const n of d.notes) out.push(`${pad} = note: ${n}`);
  if (d.help) out.push(`${pad} = help: ${d.help}`);
  return out.join("\n") + "\n";
}

/** Longest source line shown whole; longer lines are cut to a window around the markers. */
const MAX_LINE = 120;
const CONTEXT = 40;

/**
 * A source line and the markers under it: `^` for the primary span, `-` for labels, each as
 * wide as its span (to the end of the line for spans that continue). Tabs show as four
 * spaces and control characters as visible symbols, so columns stay aligned.
 */
function frame(idx: LineIndex, line: number, markers: readonly Marker[], width: number): string[] {
  const whole = idx.lineText(line);
  // A megabyte line (a huge string constant) is cut to the markers' surroundings first, so
  // rendering costs the same for any line length.
  const first = idx.position(markers[0].span.start);
  const starts = markers.map((m) => m.span.start - markers[0].span.start + first.column - 1);
  const skipped = Math.max(0, Math.min(...starts) - 4 * MAX_LINE);
  const raw = whole.length > 16 * MAX_LINE ? whole.slice(skipped, Math.max(...starts) + 4 * MAX_LINE + 64 * CONTEXT) : whole;
  const rawSkip = raw === whole ? 0 : skipped;
  // Display text and the display column of each raw offset (with one past the end).
  let shown = "";
  const col: number[] = [];
  for (const ch of raw) {
    for (let k = 0; k < ch.length; k++) col.push(shown.length);
    const code = ch.codePointAt(0)!;
    shown += ch === "\t" ? TAB : code < 0x20 ? String.fromCodePoint(0x2400 + code) : code === 0x7f ? "\u2421" : ch;
  }
  col.push(shown.length);
  const lineStart = idx.position(idx.text.length === 0 ? 0 : markers[0].span.start).column - 1;
  const lineOffset = markers[0].span.start - lineStart + rawSkip;
  const spans = markers
    .map((m) => {
      const from = m.span.start - lineOffset;
      const endPos = idx.position(Math.max(m.span.start, m.span.end - 1));
      const to = endPos.line === line ? Math.max(from + 1, m.span.end - lineOffset) : raw.length;
      const a = col[Math.max(0, Math.min(from, raw.length))];
      const b = col[Math.min(to, raw.length)];
      return { ...m, a, w: Math.max(1, b - a), more: endPos.line > line };
    })
    .sort((x, y) => x.a - y.a);
  // Window long lines around the markers.
  let cut = 0;
  let text = shown;
  if (shown.length > MAX_LINE) {
    const lo = Math.max(0, Math.min(...spans.map((s) => s.a)) - CONTEXT);
    const hi = Math.min(shown.length, Math.max(...spans.map((s) => s.a + s.w)) + CONTEXT);
    text = (lo > 0 ? "..." : "") + shown.slice(lo, hi) + (hi < shown.length ? "..." : "");
    cut = lo > 0 ? lo - 3 : 0;
  }
  const gutter = String(line).padStart(width);
  const blank = " ".repeat(width);
  const rows = [`${gutter} | ${text}`.trimEnd()];
  let row = "";
  for (const s of spans) {
    const at = s.a - cut;
    if (row.length < at) row += " ".repeat(at - row.length);
    row = row.slice(0, at) + (s.primary ? "^" : "-").repeat(s.w) + row.slice(at + s.w);
  }
  const labelled = spans.filter((s) => s.message || s.more);
  const last = labelled[labelled.length - 1];
  const tail = (s: (typeof spans)[number]) => s.message || "...";
  rows.push(`${blank} | ${row}${last && last === spans[spans.length - 1] ? ` ${tail(last)}` : ""}`.trimEnd());
  for (const s of [...labelled].reverse()) {
    if (s === last && last === spans[spans.length - 1]) continue;
    rows.push(`${blank} | ${" ".repeat(s.a - cut)}${tail(s)}`);
  }
  return rows;
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
    ...(d.suggestions ? { suggestions: d.suggestions.map((x) => ({ text: x.text, span: pos(x.span) })) } : {}),
  }));
}
