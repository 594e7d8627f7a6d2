/**
 * Every place a checked program names something: declarations, uses of declarations,
 * locals, fields, enum members, builtins and client settings. Hover, definition, references
 * and rename all start from this one index, built from the checker's side tables.
 */
import type * as A from "../phases/1-parse/ast.js";
import { BUILTINS, ENDPOINTS, type CheckedProgram, type Sym, type Type } from "../phases/2-check/index.js";
import type { Occurrence, Target } from "./targets.js";

/** The occurrences in every module of `checked`, in the order the modules are declared. */
export function occurrencesOf(checked: CheckedProgram): Occurrence[] {
  const out: Occurrence[] = [];
  for (const m of checked.program.modules.values()) new Indexer(checked, m.file, out).module(m.module);
  return out;
}

/** The innermost occurrence at `offset` of `file`. */
export function occurrenceAt(list: readonly Occurrence[], file: string, offset: number): Occurrence | undefined {
  let best: Occurrence | undefined;
  for (const o of list) {
    if (o.span.file !== file || offset < o.span.start || offset > o.span.end) continue;
    if (!best || o.span.end - o.span.start < best.span.end - best.span.start) best = o;
  }
  return best;
}

/** The type declaration a record type names, if it is a user's type. */
export function typeSym(checked: CheckedProgram, t: Type | undefined): Extract<Sym, { kind: "type" }> | undefined {
  if (t?.kind !== "record") return undefined;
  const s = checked.scopes.get(t.file)?.get(t.name);
  return s?.kind === "type" && s.file === t.file ? s : undefined;
}

export function enumSym(checked: CheckedProgram, t: Type | undefined): Extract<Sym, { kind: "enum" }> | undefined {
  if (t?.kind !== "enum") return undefined;
  const s = checked.scopes.get(t.file)?.get(t.name);
  return s?.kind === "enum" && s.file === t.file ? s : undefined;
}

class Indexer {
  constructor(
    private readonly checked: CheckedProgram,
    private readonly file: string,
    private readonly out: Occurrence[],
  ) {}

  private add(span: A.Name["span"], target: Target, declaration = false, quoted = false): void {
    this.out.push({ span, target, declaration, ...(quoted ? { quoted } : {}) });
  }

  private sym(name: string): Sym | undefined {
    return this.checked.scopes.get(this.file)?.get(name);
  }

  module(m: A.Module): void {
    for (const d of m.declarations) this.declaration(d);
  }

  private declaration(d: A.Declaration): void {
    if ("name" in d && d.kind !== "testDecl") {
      const s = this.sym(d.name.text);
      if (s && s.decl === d) this.add(d.name.span, { kind: "decl", sym: s }, true);
    }
    switch (d.kind) {
      case "constDecl":
        return this.expr(d.value);
      case "clientDecl":
        if (d.source.kind === "endpoint") {
          const endpoint = ENDPOINTS[`${d.source.provider.text}.${d.source.endpoint.text}`];
          for (const s of d.source.settings) {
            if (endpoint && s.key.text in endpoint.settings) this.add(s.key.span, { kind: "setting", key: s.key.text, endpoint });
            this.expr(s.value);
          }
        } else {
          for (const member of d.source.members) this.name(member);
        }
        return;
      case "enumDecl": {
        const s = this.sym(d.name.text);
        if (s?.kind === "enum" && s.decl === d) for (const member of d.members) this.add(member.name.span, { kind: "member", enum: s, member }, true);
        return;
      }
      case "typeDecl": {
        const s = this.sym(d.name.text);
        for (const field of d.fields) {
          if (s?.kind === "type" && s.decl === d) this.add(field.name.span, { kind: "field", type: s, field }, true);
          this.typeRef(field.type);
        }
        return;
      }
      case "promptDecl":
        this.params(d.params);
        if (d.output) this.typeRef(d.output);
        if (d.body.kind === "templateBody") this.template(d.body.template.parts);
        else if (d.body.kind === "roles") for (const s of d.body.sections) if (s.kind === "roleSection") this.template(s.template.parts); else this.expr(s.messages);
        return;
      case "graphDecl":
        this.params(d.params);
        this.typeRef(d.output);
        return this.block(d.body);
      case "externDecl":
        this.params(d.params);
        return this.typeRef(d.output);
      case "testDecl":
        return this.block(d.body);
      case "languageDecl":
      case "useDecl":
        return;
    }
  }

  /** A name that refers to a declaration by itself (`fallback(gpt, writer)`, a type). */
  private name(n: A.Name): void {
    const s = this.sym(n.text);
    if (s) this.add(n.span, { kind: "decl", sym: s });
  }

  private typeRef(t: A.TypeRef): void {
    // A map type `{string: T}`: the key type is a keyword-like name; the value type is a reference.
    if (t.mapValue) return this.typeRef(t.mapValue);
    this.name(t.name);
  }

  private params(ps: readonly A.Param[]): void {
    for (const p of ps) {
      this.binding(p.name);
      this.typeRef(p.type);
      if (p.default) this.expr(p.default);
    }
  }

  private binding(n: A.Name): void {
    if (this.checked.bindings.has(n)) this.add(n.span, { kind: "local", file: this.file, binding: n }, true);
  }

  private block(b: A.Block): void {
    for (const s of b.statements) {
      if (s.kind === "letStmt") {
        this.binding(s.name);
        this.expr(s.value);
      } else if (s.kind === "assertStmt") this.expr(s.condition);
      else this.expr(s.expr);
    }
  }

  private template(parts: readonly A.TemplatePart[]): void {
    for (const p of parts) {
      switch (p.kind) {
        case "text":
          break;
        case "interpolation":
          this.expr(p.expr);
          for (const f of p.filters) {
            const builtin = BUILTINS.get(f.name.text);
            if (builtin) this.add(f.name.span, { kind: "builtin", builtin });
            for (const a of f.args) this.expr(a.value);
          }
          break;
        case "templateIf":
          for (const b of p.branches) {
            this.expr(b.condition);
            this.template(b.body);
          }
          if (p.else) this.template(p.else);
          break;
        case "templateFor":
          this.binding(p.binding);
          this.expr(p.iterable);
          if (p.filter) this.expr(p.filter);
          this.template(p.body);
          break;
      }
    }
  }

  private expr(e: A.Expr): void {
    const c = this.checked;
    switch (e.kind) {
      case "ident": {
        const ref = c.refs.get(e);
        if (ref?.kind === "local") this.add(e.span, { kind: "local", file: this.file, binding: ref.binding });
        else if (ref) this.add(e.span, { kind: "decl", sym: ref.sym });
        return;
      }
      case "string": {
        const value = c.enumValues.get(e);
        const s = value && this.enumByName(value.enumName, c.types.get(e));
        const member = s?.decl.members.find((m) => m.name.text === value!.member);
        if (s && member) this.add({ ...e.span, start: e.span.start + 1, end: e.span.end - 1 }, { kind: "member", enum: s, member }, false, true);
        return;
      }
      case "template":
        return this.template(e.parts);
      case "record": {
        const s = this.sym(e.type.text);
        if (s) this.add(e.type.span, { kind: "decl", sym: s });
        for (const f of e.fields) {
          const field = s?.kind === "type" ? s.decl.fields.find((x) => x.name.text === f.name.text) : undefined;
          if (s?.kind === "type" && field) this.add(f.name.span, { kind: "field", type: s, field });
          this.expr(f.value);
        }
        return;
      }
      case "list":
        for (const i of e.items) this.expr(i);
        return;
      case "map":
        for (const m of e.entries) this.expr(m.value);
        return;
      case "binary":
        this.expr(e.left);
        return this.expr(e.right);
      case "unary":
        return this.expr(e.operand);
      case "paren":
        return this.expr(e.expr);
      case "call":
        return this.call(e);
      case "field": {
        const value = c.enumValues.get(e);
        if (value) {
          const s = this.enumByName(value.enumName, c.types.get(e));
          const member = s?.decl.members.find((m) => m.name.text === value.member);
          if (s) this.add(e.target.span, { kind: "decl", sym: s });
          if (s && member) this.add(e.name.span, { kind: "member", enum: s, member });
          return;
        }
        this.expr(e.target);
        const s = typeSym(c, nonOptional(c.types.get(e.target)));
        const field = s?.decl.fields.find((f) => f.name.text === e.name.text);
        if (s && field) this.add(e.name.span, { kind: "field", type: s, field });
        return;
      }
      case "index":
        this.expr(e.target);
        return this.expr(e.index);
      case "if":
        this.expr(e.condition);
        this.block(e.then);
        if (e.else) {
          if (e.else.kind === "block") this.block(e.else);
          else this.expr(e.else);
        }
        return;
      case "for":
        this.binding(e.binding);
        this.expr(e.iterable);
        if (e.filter) this.expr(e.filter);
        return this.block(e.body);
      case "fold":
        this.expr(e.init);
        this.binding(e.state);
        this.binding(e.binding);
        this.expr(e.iterable);
        return this.block(e.body);
      case "loop":
        this.expr(e.init);
        this.binding(e.state);
        this.expr(e.condition);
        this.expr(e.max);
        return this.block(e.body);
      default:
        return;
    }
  }

  /** A tool named in `tools: [...]`: an `extern fn` of this module's scope. */
  private tool(item: A.Ident): void {
    const s = this.sym(item.name);
    if (s?.kind === "extern") this.add(item.span, { kind: "decl", sym: s });
  }

  private enumByName(name: string, t: Type | undefined) {
    return enumSym(this.checked, nonOptional(t)) ?? (this.sym(name)?.kind === "enum" ? (this.sym(name) as Extract<Sym, { kind: "enum" }>) : undefined);
  }

  private call(e: A.Call): void {
    const target = this.checked.calls.get(e);
    if (target && e.callee.kind === "ident") {
      if (target.kind === "builtin") this.add(e.callee.span, { kind: "builtin", builtin: target.builtin });
      else if (target.kind === "model") this.add(e.callee.span, { kind: "decl", sym: target.client });
      else this.add(e.callee.span, { kind: "decl", sym: target.sym });
      for (const a of e.args) {
        if (!a.name) continue;
        if (target.kind === "model") {
          const endpoint = this.checked.clients.get(target.client.decl)?.endpoint;
          if (endpoint && a.name.text in endpoint.settings) this.add(a.name.span, { kind: "setting", key: a.name.text, endpoint });
          // The checker resolves `tools: [search]` by name, not as an expression.
          if (a.name.text === "tools" && a.value.kind === "list") for (const item of a.value.items) if (item.kind === "ident") this.tool(item);
        } else if (target.kind !== "builtin" && "params" in target.sym.decl) {
          const param = target.sym.decl.params.find((p) => p.name.text === a.name!.text);
          if (param) this.add(a.name.span, { kind: "local", file: target.sym.file, binding: param.name });
        }
      }
    } else if (e.callee.kind === "ident") {
      const s = this.sym(e.callee.name);
      if (s) this.add(e.callee.span, { kind: "decl", sym: s });
    } else this.expr(e.callee);
    for (const a of e.args) this.expr(a.value);
  }
}

function nonOptional(t: Type | undefined): Type | undefined {
  return t?.kind === "optional" ? t.inner : t;
}
