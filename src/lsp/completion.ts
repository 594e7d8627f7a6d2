/**
 * Completion: names in scope in expressions and inside `{{ }}` and `{% %}`, fields after
 * `.`, enum members, a client's setting keys with their types, and builtins with their
 * signatures. The text being typed rarely parses, so the cursor gets a placeholder name and
 * the patched text is checked: what the checker then says about the placeholder is what
 * may stand there.
 */
import { CompletionItemKind, type CompletionItem } from "vscode-languageserver";
import type * as A from "../phases/1-parse/ast.js";
import { checkFile } from "../compile.js";
import { BUILTINS, ENDPOINTS, FILTERS, showType, type CheckedProgram, type Sym } from "../phases/2-check/index.js";
import { builtinSignature, describeTarget, settingType } from "./describe.js";
import { declarationAt, nodesAt } from "./node-at.js";
import { typeSym } from "./occurrences.js";
import type { Workspace } from "./workspace.js";

const PLACEHOLDER = "__feste_cursor__";

const SYM_ITEM_KIND: Record<Sym["kind"], CompletionItemKind> = {
  client: CompletionItemKind.Module,
  type: CompletionItemKind.Struct,
  enum: CompletionItemKind.Enum,
  const: CompletionItemKind.Constant,
  prompt: CompletionItemKind.Function,
  graph: CompletionItemKind.Function,
  extern: CompletionItemKind.Function,
};

export function completion(ws: Workspace, file: string, offset: number): CompletionItem[] {
  const text = ws.text(file);
  if (text === undefined) return [];
  const before = text.slice(0, offset);
  const prefix = /[A-Za-z_][A-Za-z0-9_]*$/.exec(before)?.[0] ?? "";
  const wordStart = offset - prefix.length;
  const settings = settingsAt(text.slice(0, wordStart));
  if (settings) return settings;
  // After `|` inside `{{ }}`: a filter.
  if (/\{\{[^}]*\|\s*$/.test(text.slice(0, wordStart))) return filters();
  const patched = text.slice(0, offset) + PLACEHOLDER + text.slice(offset);
  const host = { ...ws.host, readFile: (p: string) => (p === file ? patched : ws.host.readFile(p)) };
  const checked = checkFile(file, host, patched).checked;
  const module = checked?.program.modules.get(file)?.module;
  if (!checked || !module) return fallback(ws, file, text[wordStart - 1] === ".");
  const chain = nodesAt(module, offset);
  const inner = chain[chain.length - 1] as (A.Expr | A.Name | undefined);
  const field = [...chain].reverse().find((n): n is A.FieldAccess => n.kind === "field" && (n as A.FieldAccess).name.span.start <= offset);
  if (text[wordStart - 1] === "." && field) return members(checked, field);
  if (inner && "kind" in inner && inner.kind === "ident" && inner.name.endsWith(PLACEHOLDER)) {
    return [...perCallSettings(checked, file, chain, inner), ...names(checked, module, file, offset)];
  }
  return [];
}

/** Keys of the client settings block the cursor is in, at a key's position. */
function settingsAt(before: string): CompletionItem[] | undefined {
  const opener = /client\s+[A-Za-z_]\w*\s*:\s*([a-z]+\.[a-z]+)\s*\{/g;
  let last: RegExpExecArray | undefined;
  for (let m = opener.exec(before); m; m = opener.exec(before)) last = m;
  if (!last) return undefined;
  const inside = before.slice(last.index + last[0].length);
  if (inside.includes("}")) return undefined;
  // A key starts an item: after `{`, a comma or a line break.
  if (!/(^|[,\n])[ \t]*$/.test(inside)) return undefined;
  const endpoint = ENDPOINTS[last[1]];
  if (!endpoint) return [];
  const given = new Set([...inside.matchAll(/([A-Za-z_]\w*)\s*:/g)].map((m) => m[1]));
  return Object.keys(endpoint.settings)
    .filter((k) => !given.has(k))
    .sort()
    .map((k) => ({ label: k, kind: CompletionItemKind.Property, detail: settingType(endpoint.settings[k]), insertText: `${k}: ` }));
}

/** In a model call's arguments (`gpt(p, temp)`): the settings that call may override, with their types. */
function perCallSettings(checked: CheckedProgram, file: string, chain: readonly { kind?: string }[], ident: A.Ident): CompletionItem[] {
  const call = [...chain].reverse().find((n): n is A.Call => n.kind === "call") as A.Call | undefined;
  if (!call || call.callee.kind !== "ident" || !call.args.some((a) => a.value === ident && !a.name)) return [];
  const sym = checked.scopes.get(file)?.get(call.callee.name);
  const endpoint = sym?.kind === "client" ? checked.clients.get(sym.decl)?.endpoint : undefined;
  if (!endpoint) return [];
  return Object.keys(endpoint.settings)
    .filter((k) => endpoint.settings[k].perCall)
    .sort()
    .map((k) => ({ label: k, kind: CompletionItemKind.Property, detail: settingType(endpoint.settings[k]), insertText: `${k}: `, sortText: `0${k}` }));
}

/** The template filters: builtins applied to the value before the `|`. */
function filters(): CompletionItem[] {
  return [...FILTERS].sort().flatMap((name) => {
    const b = BUILTINS.get(name);
    return b ? [{ label: name, kind: CompletionItemKind.Function, detail: `value | ${name}${b.params.length > 1 ? `(${b.params.slice(1).map((p) => (p.optional ? `${p.name}?` : p.name)).join(", ")})` : ""}`, documentation: b.summary }] : [];
  });
}

/** After `.`: an enum's members or a record's fields. */
function members(checked: CheckedProgram, e: A.FieldAccess): CompletionItem[] {
  const ref = e.target.kind === "ident" ? checked.refs.get(e.target) : undefined;
  const target = checked.types.get(e.target);
  const en = ref?.kind === "enumType" ? ref.sym : undefined;
  if (en) return en.decl.members.map((m) => ({ label: m.name.text, kind: CompletionItemKind.EnumMember, detail: `${en.decl.name.text}.${m.name.text}`, ...(m.doc ? { documentation: m.doc } : {}) }));
  const inner = target?.kind === "optional" ? target.inner : target;
  if (inner?.kind === "record" && inner.file === "<builtin>") {
    return [["index", "int"], ["score", "float"], ["document", "string"]].map(([label, type]) => ({ label, kind: CompletionItemKind.Field, detail: type }));
  }
  const s = typeSym(checked, inner);
  if (!s) return [];
  const fields = checked.records.get(s.decl);
  return s.decl.fields.map((f) => {
    const info = fields?.get(f.name.text);
    return { label: f.name.text, kind: CompletionItemKind.Field, detail: info ? showType(info.type) + (info.optional ? "?" : "") : "", ...(f.doc ? { documentation: f.doc } : {}) };
  });
}

/** Locals visible at the cursor, then the module's declarations, then builtins. */
function names(checked: CheckedProgram, module: A.Module, file: string, offset: number): CompletionItem[] {
  const items: CompletionItem[] = [];
  const seen = new Set<string>();
  const decl = declarationAt(module, offset);
  for (const b of decl ? visibleBindings(decl, offset) : []) {
    if (seen.has(b.text) || b.text.includes(PLACEHOLDER)) continue;
    seen.add(b.text);
    const type = checked.bindings.get(b);
    items.push({ label: b.text, kind: CompletionItemKind.Variable, detail: type ? showType(type) : "", sortText: `0${b.text}` });
  }
  const scope = checked.scopes.get(file) ?? new Map<string, Sym>();
  for (const [name, sym] of [...scope].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (seen.has(name)) continue;
    seen.add(name);
    const d = describeTarget({ kind: "decl", sym }, checked);
    items.push({ label: name, kind: SYM_ITEM_KIND[sym.kind], detail: d.signature, sortText: `1${name}`, ...(sym.decl.doc ? { documentation: sym.decl.doc } : {}) });
  }
  for (const b of BUILTINS.values()) {
    if (seen.has(b.name)) continue;
    items.push({ label: b.name, kind: CompletionItemKind.Function, detail: builtinSignature(b), documentation: b.summary, sortText: `2${b.name}` });
  }
  return items;
}

/** When even the patched text does not parse: the last checked program's declarations and builtins. */
function fallback(ws: Workspace, file: string, afterDot: boolean): CompletionItem[] {
  if (afterDot) return [];
  const checked = ws.lastChecked(file)?.checked;
  const module = checked?.program.modules.get(file)?.module;
  return checked && module ? names(checked, module, file, -1) : [...BUILTINS.values()].map((b) => ({ label: b.name, kind: CompletionItemKind.Function, detail: builtinSignature(b), documentation: b.summary }));
}

/** The names a declaration binds that are visible at `offset`: parameters, earlier `let`s, loop variables. */
function visibleBindings(d: A.Declaration, offset: number): A.Name[] {
  const out: A.Name[] = [];
  const within = (start: number, end: number) => offset >= start && offset <= end;
  if ("params" in d) for (const p of d.params) out.push(p.name);
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== "object") return;
    const n = value as { kind?: string; span?: A.Name["span"] } & Record<string, unknown>;
    if (n.span && !within(n.span.start, n.span.end)) return;
    if (n.kind === "block") {
      for (const s of (n as unknown as A.Block).statements) {
        if (s.kind === "letStmt" && s.span.end <= offset) out.push(s.name);
        visit(s);
      }
      return;
    }
    if ((n.kind === "for" || n.kind === "templateFor") && n.span && offset >= (n as unknown as A.ForExpr).binding.span.end) out.push((n as unknown as A.ForExpr).binding);
    // `fold acc = INIT for x in xs { BODY }` binds both names in BODY; `loop s = ...` binds `s` from `until` on.
    if (n.kind === "fold" && offset >= (n as unknown as A.FoldExpr).body.span.start) out.push((n as unknown as A.FoldExpr).state, (n as unknown as A.FoldExpr).binding);
    if (n.kind === "loop" && offset >= (n as unknown as A.LoopExpr).condition.span.start) out.push((n as unknown as A.LoopExpr).state);
    for (const [k, v] of Object.entries(n)) if (k !== "span" && typeof v === "object") visit(v);
  };
  visit(d);
  return out.reverse();
}
