/**
 * Parsing as the user types. A keystroke changes one declaration of a file, so only the
 * declarations around the edit are parsed again; the ones before it are kept as they are and
 * the ones after it are kept with their spans moved by the edit's length. Whenever the
 * shortcut could differ from a full parse (either version has a diagnostic, the edit is not
 * between declarations that start their lines), the file is parsed in full.
 */
import type { Span } from "../diagnostics/index.js";
import type * as A from "../phases/1-parse/ast.js";
import { parse, type ParseResult } from "../phases/1-parse/index.js";

type Parsed = Pick<ParseResult, "module" | "diagnostics">;

/** The latest parse of each file, reused when the same text comes again and as the base of the next edit. */
export class ParseCache {
  private readonly last = new Map<string, { readonly text: string; readonly parsed: Parsed }>();

  readonly parse = (text: string, file: string): Parsed => {
    const prev = this.last.get(file);
    if (prev?.text === text) return prev.parsed;
    const parsed = (prev && reparse(prev.text, prev.parsed, text, file)) ?? fullParse(text, file);
    this.last.set(file, { text, parsed });
    return parsed;
  };

  forget(file: string): void {
    this.last.delete(file);
  }
}

/** `parse`, without the comments (only the formatter needs them, and it parses on its own). */
function fullParse(text: string, file: string): Parsed {
  const { module, diagnostics } = parse(text, file);
  return { module, diagnostics };
}

/**
 * The parse of `text`, from the parse of `oldText` and the one changed stretch between them;
 * undefined when only a full parse can tell.
 */
export function reparse(oldText: string, old: Parsed, text: string, file: string): Parsed | undefined {
  const decls = old.module.declarations;
  if (old.diagnostics.length > 0 || decls.length === 0) return undefined;
  // The changed stretch: [from, oldTo) of the old text became [from, oldTo + delta) of the new.
  const delta = text.length - oldText.length;
  let from = 0;
  const shorter = Math.min(text.length, oldText.length);
  while (from < shorter && text.charCodeAt(from) === oldText.charCodeAt(from)) from++;
  let tail = 0;
  while (tail < shorter - from && text.charCodeAt(text.length - 1 - tail) === oldText.charCodeAt(oldText.length - 1 - tail)) tail++;
  const oldTo = oldText.length - tail;

  // Parse again from the line after the declaration before the edited one (so the edited
  // one's `///` docs come along) ...
  let first = 0;
  while (first + 1 < decls.length && decls[first + 1].span.start < from) first++;
  let start = 0;
  if (first > 0 && decls[first].span.start < from) {
    const newline = oldText.indexOf("\n", decls[first - 1].span.end);
    if (newline < 0 || newline >= decls[first].span.start) return undefined;
    start = newline + 1;
  } else first = 0;
  // ... up to the declaration after the first one the edit does not reach, which starts its line.
  const after = decls.findIndex((d) => d.span.start > oldTo);
  const next = after < 0 ? decls.length : Math.min(after + 1, decls.length);
  const end = next < decls.length ? decls[next].span.start : oldText.length;
  if (next < decls.length && !startsLine(oldText, end)) return undefined;

  // Spaces keep every offset (and the line break before `start` keeps `///` docs at the start of their line).
  const pad = start === 0 ? "" : " ".repeat(start - 1) + "\n";
  const region = parse(pad + text.slice(start, end + delta), file);
  if (region.diagnostics.length > 0) return undefined;
  const declarations = [...decls.slice(0, first), ...region.module.declarations, ...(delta === 0 ? decls.slice(next) : decls.slice(next).map((d) => shift(d, delta) as A.Declaration))];
  return { module: { ...old.module, declarations, span: { file, start: 0, end: text.length } }, diagnostics: [] };
}

/** Whether only spaces or tabs stand between the line's start and `offset`. */
function startsLine(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const c = text[i];
    if (c === "\n") return true;
    if (c !== " " && c !== "\t" && c !== "\r") return false;
  }
  return true;
}

/** A span by its shape, whatever the field holding it is called (`span`, `opSpan`, ...). */
function isSpan(v: object): v is Span {
  const s = v as Partial<Span> & { kind?: unknown };
  return typeof s.start === "number" && typeof s.end === "number" && typeof s.file === "string" && s.kind === undefined;
}

/**
 * A copy of an AST subtree with every span moved by `delta`. The parser builds a tree (no
 * node is reached twice), so a plain recursive copy keeps its shape. It runs over every
 * declaration after an edit on each keystroke, hence the plain loops.
 */
function shift(value: unknown, delta: number): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = shift(value[i], delta);
    return out;
  }
  if (isSpan(value)) return { file: value.file, start: value.start + delta, end: value.end + delta };
  const out: Record<string, unknown> = {};
  for (const k in value) out[k] = shift((value as Record<string, unknown>)[k], delta);
  return out;
}
