/**
 * Types expressions, statements and blocks. `where` says what may run here: model calls,
 * graph calls and extern functions only in graphs and tests; `assert` only in tests.
 * Every expression's type goes into `ctx.types`; identifiers and calls are resolved into
 * `ctx.refs` and `ctx.calls`.
 */
import type * as A from "../1-parse/ast.js";
import { suggestName, type Extras, type Span } from "../../diagnostics/index.js";
import { checkCall } from "./check-call.js";
import { checkFold, checkLoop } from "./check-state.js";
import { checkTemplateParts } from "./check-template.js";
import type { CheckContext } from "./context.js";
import { LocalScope } from "./local-scope.js";
import { isPromptAsText, reportPromptAsText } from "./prompt-as-text.js";
import { recordFields } from "./signatures.js";
import { SYM_WHAT } from "./symbols.js";
import {
  BOOL, ERROR, FLOAT, INT, NULL, STRING, UNKNOWN, assignable, isNumeric, isStringish, isText, iterHelp, join, list, map, nonOptional, optional, showType,
  type Type,
} from "./types.js";

export type Where = "graph" | "test" | "template" | "const" | "default";

export const WHERE_TEXT: Record<Where, string> = {
  graph: "a graph",
  test: "a test",
  template: "a template",
  const: "a constant",
  default: "a default value",
};

/** The checker for code in one place of one module. */
export class ExprChecker {
  /** Graphs called from here, for the recursion check. */
  readonly graphCalls: { name: string; file: string; span: Span }[] = [];

  constructor(
    readonly ctx: CheckContext,
    readonly file: string,
    readonly where: Where,
  ) {}

  /** Checks `e` where a value of type `expected` is needed, reporting a mismatch. */
  expect(e: A.Expr, expected: Type, scope: LocalScope, help?: string): Type {
    const t = this.check(e, scope, expected);
    if (!assignable(t, expected)) {
      this.mismatch(e, t, expected, help);
      return ERROR;
    }
    return t;
  }

  /** Reports that `e`, of type `found`, is not the `expected` type, with the fix that fits. */
  mismatch(e: A.Expr, found: Type, expected: Type, help?: string, labels?: Extras["labels"]): void {
    if (isPromptAsText(found, expected)) {
      reportPromptAsText(this.ctx, this.file, e, found, expected, showType);
      return;
    }
    const extras: Extras = help ? { help } : this.conversionHelp(e, found, expected);
    this.ctx.report("FE2005", e.span, [`\`${showType(expected)}\``, `\`${showType(found)}\``], { ...extras, labels });
  }

  private conversionHelp(e: A.Expr, found: Type, expected: Type): Extras {
    if (expected.kind === "bool" && found.kind === "optional") {
      const text = this.ctx.host.readFile(e.span.file)?.slice(e.span.start, e.span.end) ?? "x";
      return { help: `test whether it is there: \`${text} != null\``, suggestions: [{ span: e.span, text: `${text} != null` }] };
    }
    return { help: conversionHelp(found, expected) };
  }

  check(e: A.Expr, scope: LocalScope, expected?: Type): Type {
    const t = this.infer(e, scope, expected);
    this.ctx.types.set(e, t);
    return t;
  }

  private infer(e: A.Expr, scope: LocalScope, expected?: Type): Type {
    switch (e.kind) {
      case "int":
        return INT;
      case "float":
        return FLOAT;
      case "bool":
        return BOOL;
      case "null":
        return NULL;
      case "string":
        return this.stringLiteral(e, expected);
      case "template":
        checkTemplateParts(this.templateChecker(), e.parts, scope);
        return STRING;
      case "paren":
        return this.check(e.expr, scope, expected);
      case "ident":
        return this.ident(e, scope);
      case "record":
        return this.record(e, scope);
      case "list":
        return this.listLit(e, scope, expected);
      case "binary":
        return this.binary(e, scope);
      case "unary": {
        const t = this.check(e.operand, scope);
        const ok = e.op === "!" ? assignable(t, BOOL) : isNumeric(t);
        if (!ok) this.ctx.report("FE2005", e.operand.span, [e.op === "!" ? "`bool`" : "a number", `\`${showType(t)}\``]);
        return ok ? (e.op === "!" ? BOOL : t) : ERROR;
      }
      case "call":
        return checkCall(this, e, scope);
      case "field":
        return this.field(e, scope);
      case "map":
        return this.mapLit(e, scope, expected);
      case "index": {
        const target = this.check(e.target, scope);
        if (target.kind === "map") return this.mapKey(e, target.value, scope);
        // After a reported mistake the target may have been a list or a map: any key will do.
        if (target.kind === "error" || target.kind === "optional") this.check(e.index, scope);
        else this.expect(e.index, INT, scope);
        if (target.kind === "list") return target.element;
        if (target.kind === "error" || target.kind === "unknown") return target;
        if (target.kind === "optional") {
          this.ctx.report("FE2040", e.target.span, [showType(target)], { help: target.inner.kind === "map" ? "give it a default first: `(m ?? {})[k]`" : "give it a default first: `(xs ?? [])[i]`" });
          return ERROR;
        }
        this.ctx.report("FE2042", e.target.span, [showType(target)]);
        return ERROR;
      }
      case "if":
        return this.ifExpr(e, scope, expected);
      case "for":
        return this.forExpr(e, scope, expected);
      case "fold":
        return checkFold(this, e, scope, expected);
      case "loop":
        return checkLoop(this, e, scope, expected);
    }
  }

  /** A checker for templates inside this code: same file and scope, no calls that run. */
  templateChecker(): ExprChecker {
    return this.where === "template" ? this : new ExprChecker(this.ctx, this.file, "template");
  }

  private stringLiteral(e: A.StringLit, expected?: Type): Type {
    const target = expected?.kind === "optional" ? expected.inner : expected;
    if (target?.kind !== "enum") return STRING;
    const sym = this.enumSym(target.name, target.file);
    const members = sym?.decl.members.map((m) => m.name.text) ?? [];
    if (!members.includes(e.value)) {
      const near = suggestName(e.value, members, e.span);
      this.ctx.report("FE2025", e.span, [e.value, target.name], {
        help: near.help ?? `its members are ${members.map((m) => `\`${m}\``).join(", ")}`,
        suggestions: near.suggestions?.map((s) => ({ ...s, text: JSON.stringify(s.text) })),
      });
      return ERROR;
    }
    this.ctx.enumValues.set(e, { enumName: target.name, member: e.value });
    return target;
  }

  private enumSym(name: string, file: string) {
    for (const s of this.ctx.scope(file).values()) if (s.kind === "enum" && s.decl.name.text === name && s.file === file) return s;
    for (const scope of this.ctx.scopes.values()) for (const s of scope.values()) if (s.kind === "enum" && s.decl.name.text === name && s.file === file) return s;
    return undefined;
  }

  private ident(e: A.Ident, scope: LocalScope): Type {
    const local = scope.lookup(e.name);
    if (local) {
      local.used = true;
      this.ctx.refs.set(e, { kind: "local", binding: local.name });
      return local.type;
    }
    const sym = this.ctx.scope(this.file).get(e.name);
    if (sym?.kind === "const") {
      this.ctx.refs.set(e, { kind: "const", sym });
      return this.ctx.consts.get(sym.decl) ?? ERROR;
    }
    if (sym) {
      const help =
        sym.kind === "enum"
          ? `use one of its members, e.g. \`${e.name}.${sym.decl.members[0]?.name.text ?? "member"}\``
          : sym.kind === "type"
            ? `build one with \`${e.name} { ... }\``
            : sym.kind === "prompt" || sym.kind === "graph" || sym.kind === "extern"
              ? `call it: \`${e.name}(...)\``
              : `apply it to a prompt: \`${e.name}(prompt(...))\``;
      this.ctx.report("FE2043", e.span, [e.name, SYM_WHAT[sym.kind]], { help });
      return ERROR;
    }
    const consts = [...this.ctx.scope(this.file)].filter(([, s]) => s.kind === "const").map(([n]) => n);
    this.ctx.report("FE2003", e.span, [e.name], suggestName(e.name, [...scope.names(), ...consts], e.span));
    return ERROR;
  }

  private record(e: A.RecordLit, scope: LocalScope): Type {
    const sym = this.ctx.scope(this.file).get(e.type.text);
    if (sym?.kind !== "type") {
      const types = [...this.ctx.scope(this.file)].filter(([, s]) => s.kind === "type").map(([n]) => n);
      this.ctx.report("FE2002", e.type.span, [e.type.text], sym ? { help: `\`${e.type.text}\` is ${SYM_WHAT[sym.kind]}, not a record type` } : suggestName(e.type.text, types, e.type.span));
      for (const f of e.fields) this.check(f.value, scope);
      return ERROR;
    }
    const fields = recordFields(this.ctx, sym);
    const given = new Map<string, Span>();
    for (const f of e.fields) {
      const info = fields.get(f.name.text);
      if (!info) {
        this.ctx.report("FE2015", f.name.span, [f.name.text, e.type.text], suggestName(f.name.text, [...fields.keys()].filter((k) => !given.has(k)), f.name.span));
        this.check(f.value, scope);
        continue;
      }
      const first = given.get(f.name.text);
      if (first) this.ctx.report("FE2016", f.name.span, [f.name.text], { labels: [{ span: first, message: "first given here" }] });
      given.set(f.name.text, f.name.span);
      this.expect(f.value, info.optional ? optional(info.type) : info.type, scope);
    }
    const missing = [...fields.values()].filter((f) => !f.optional && !given.has(f.name)).map((f) => `\`${f.name}\``);
    if (missing.length > 0) {
      const what = missing.length === 1 ? `field ${missing[0]}` : `fields ${missing.slice(0, -1).join(", ")} and ${missing[missing.length - 1]}`;
      this.ctx.report("FE2014", e.type.span, [what, e.type.text]);
    }
    return { kind: "record", name: sym.decl.name.text, file: sym.file };
  }

  private listLit(e: A.ListLit, scope: LocalScope, expected?: Type): Type {
    const want = expected?.kind === "list" ? expected.element : expected?.kind === "optional" && expected.inner.kind === "list" ? expected.inner.element : undefined;
    if (want) {
      for (const item of e.items) this.expect(item, want, scope);
      return list(want);
    }
    const types = e.items.map((item) => this.check(item, scope));
    // A string literal joins an enum element as one of its members, as it would where the enum is expected.
    const anEnum = types.find((t) => nonOptional(t).kind === "enum");
    if (anEnum) e.items.forEach((item, i) => (types[i] = this.literalAsEnum(item, types[i], anEnum, scope)));
    let element: Type = UNKNOWN;
    for (const [i, item] of e.items.entries()) {
      const t = types[i];
      const j = join(element, t);
      if (!j) {
        this.ctx.report("FE2005", item.span, [`\`${showType(element)}\` like the elements before it`, `\`${showType(t)}\``]);
        element = ERROR;
      } else element = j;
    }
    return list(element);
  }

  /** `m[k]`: a `string` key (an enum value is its member's name); missing keys give null. */
  private mapKey(e: A.Index, value: Type, scope: LocalScope): Type {
    const key = this.check(e.index, scope);
    if (!isText(key)) {
      this.ctx.report("FE2100", e.index.span, [showType(key)], { help: isNumeric(key) ? "make text of the number with `str(k)`" : "look it up with a `string` key" });
      return ERROR;
    }
    return optional(value);
  }

  /**
   * A map literal: keys in quotes, each once; the value type is the expected map's, or the
   * join of the entries' values (a string literal joins an enum as one of its members).
   */
  private mapLit(e: A.MapLit, scope: LocalScope, expected?: Type): Type {
    const target = expected?.kind === "optional" ? expected.inner : expected;
    const seen = new Map<string, Span>();
    for (const entry of e.entries) {
      if (entry.key.kind === "ident") {
        const quoted = JSON.stringify(entry.key.name);
        this.ctx.report("FE2101", entry.key.span, [entry.key.name], { help: `write it in quotes: \`${quoted}\``, suggestions: [{ span: entry.key.span, text: quoted }] });
        continue;
      }
      const first = seen.get(entry.key.value);
      if (first) this.ctx.report("FE2102", entry.key.span, [entry.key.value], { labels: [{ span: first, message: "first given here" }], help: "remove one of the two entries" });
      else seen.set(entry.key.value, entry.key.span);
    }
    if (target?.kind === "map") {
      for (const entry of e.entries) this.expect(entry.value, target.value, scope);
      return target;
    }
    const types = e.entries.map((entry) => this.check(entry.value, scope));
    // A map holds data: a prompt is not an answer, so it must be sent to a model first.
    const prompt = types.findIndex((t) => t.kind === "prompt");
    if (prompt >= 0) {
      this.mismatch(e.entries[prompt].value, types[prompt], STRING);
      return ERROR;
    }
    const anEnum = types.find((t) => nonOptional(t).kind === "enum");
    if (anEnum) e.entries.forEach((entry, i) => (types[i] = this.literalAsEnum(entry.value, types[i], anEnum, scope)));
    let value: Type = UNKNOWN;
    for (const [i, entry] of e.entries.entries()) {
      const j = join(value, types[i]);
      if (!j) {
        this.ctx.report("FE2103", entry.value.span, [`\`${showType(value)}\``, showType(types[i])], { labels: [{ span: e.entries[0].value.span, message: `\`${showType(value)}\` here` }] });
        return ERROR;
      }
      value = j;
    }
    return map(value);
  }

  private binary(e: A.Binary, scope: LocalScope): Type {
    if (e.op === "==" || e.op === "!=") return this.equality(e, scope);
    if (e.op === "??") {
      const left = this.check(e.left, scope);
      if (left.kind !== "optional" && left.kind !== "null" && left.kind !== "error") {
        const right = this.check(e.right, scope);
        this.ctx.report("FE2029", e.opSpan, ["??", `\`${showType(left)}\``, `\`${showType(right)}\``], { help: "the left side is never null; remove `??` and what follows" });
        return ERROR;
      }
      const inner = left.kind === "optional" ? left.inner : left.kind === "null" ? UNKNOWN : ERROR;
      const right = this.check(e.right, scope, inner);
      const j = join(inner, right);
      if (!j) {
        this.ctx.report("FE2005", e.right.span, [`\`${showType(inner)}\``, `\`${showType(right)}\``]);
        return ERROR;
      }
      return j;
    }
    const left = this.check(e.left, scope);
    // `xs + [x]`: the literal takes the left list's element type (so `"bug"` can be a member).
    const right = this.check(e.right, scope, e.op === "+" && left.kind === "list" ? left : undefined);
    const bad = () => {
      this.ctx.report("FE2029", e.opSpan, [e.op, `\`${showType(left)}\``, `\`${showType(right)}\``], {
        help:
          left.kind === "optional" || right.kind === "optional"
            ? "give the optional side a default with `?? value`"
            : e.op === "+" && (isStringish(left) || isStringish(right)) && (isNumeric(left) || isNumeric(right))
              ? "make text of the number with `str(x)`"
              : undefined,
      });
      return ERROR;
    };
    if (left.kind === "error" || right.kind === "error") return ERROR;
    switch (e.op) {
      case "&&":
      case "||":
        return assignable(left, BOOL) && assignable(right, BOOL) ? BOOL : bad();
      case "<":
      case "<=":
      case ">":
      case ">=":
        return (isNumeric(left) && isNumeric(right)) || (isStringish(left) && isStringish(right)) ? BOOL : bad();
      case "+":
        if (isNumeric(left) && isNumeric(right)) return left.kind === "int" && right.kind === "int" ? INT : FLOAT;
        if (isStringish(left) && isStringish(right)) {
          if (left.kind === "prompt" && right.kind === "prompt" && left.lang !== right.lang) {
            this.ctx.report("FE2019", e.opSpan, [left.lang, right.lang], {
              labels: [
                { span: e.left.span, message: `in \`${left.lang}\`` },
                { span: e.right.span, message: `in \`${right.lang}\`` },
              ],
              help: "translate one side first, or give both prompts the same `lang`",
            });
          }
          return STRING;
        }
        if (left.kind === "list" && right.kind === "list") return join(left, right) ?? bad();
        return bad();
      case "-":
      case "*":
      case "%":
        return isNumeric(left) && isNumeric(right) ? (left.kind === "int" && right.kind === "int" ? INT : FLOAT) : bad();
      case "/":
        return isNumeric(left) && isNumeric(right) ? FLOAT : bad();
    }
  }

  /** `==` and `!=`: a string literal compared with an enum is read as one of its members. */
  private equality(e: A.Binary, scope: LocalScope): Type {
    const literalFirst = e.left.kind === "string" && e.right.kind !== "string";
    const [first, second] = literalFirst ? [e.right, e.left] : [e.left, e.right];
    const a = this.check(first, scope);
    const b = this.check(second, scope, a.kind === "enum" || (a.kind === "optional" && a.inner.kind === "enum") ? a : undefined);
    if (a.kind !== "error" && b.kind !== "error" && !join(a, b)) {
      const [l, r] = literalFirst ? [b, a] : [a, b];
      this.ctx.report("FE2029", e.opSpan, [e.op, `\`${showType(l)}\``, `\`${showType(r)}\``]);
    }
    return BOOL;
  }

  private field(e: A.FieldAccess, scope: LocalScope): Type {
    if (e.target.kind === "ident" && !scope.lookup(e.target.name)) {
      const sym = this.ctx.scope(this.file).get(e.target.name);
      if (sym?.kind === "enum") {
        this.ctx.refs.set(e.target, { kind: "enumType", sym });
        const t: Type = { kind: "enum", name: sym.decl.name.text, file: sym.file };
        this.ctx.types.set(e.target, t);
        const members = sym.decl.members.map((m) => m.name.text);
        if (!members.includes(e.name.text)) {
          this.ctx.report("FE2025", e.name.span, [e.name.text, sym.decl.name.text], suggestName(e.name.text, members, e.name.span));
          return ERROR;
        }
        this.ctx.enumValues.set(e, { enumName: sym.decl.name.text, member: e.name.text });
        return t;
      }
    }
    const target = this.check(e.target, scope);
    if (target.kind === "error" || target.kind === "unknown") return target;
    if (target.kind === "optional") {
      this.ctx.report("FE2040", e.target.span, [showType(target)], { help: "give it a default first with `??`, or test it in an `if`" });
      return ERROR;
    }
    if (target.kind === "map") {
      const lookup = `${sourceText(this.ctx, e.target)}[${JSON.stringify(e.name.text)}]`;
      this.ctx.report("FE2106", e.name.span, [e.name.text], { help: `look the key up with \`${lookup}\``, suggestions: [{ span: e.span, text: lookup }] });
      return ERROR;
    }
    const fields = this.fieldsOf(target);
    const info = fields?.get(e.name.text);
    if (!info) {
      this.ctx.report("FE2004", e.name.span, [e.name.text, showType(target)], fields ? suggestName(e.name.text, fields.keys(), e.name.span) : {});
      return ERROR;
    }
    return info.optional ? optional(info.type) : info.type;
  }

  private fieldsOf(t: Type) {
    if (t.kind !== "record") return undefined;
    if (t.file === "<builtin>" && t.name === "Loop") return LOOP_FIELDS;
    if (t.file === "<builtin>" && t.name === "Ranked") return RANKED_FIELDS;
    for (const s of this.ctx.scopes.get(t.file)?.values() ?? []) {
      if (s.kind === "type" && s.file === t.file && s.decl.name.text === t.name) return recordFields(this.ctx, s);
    }
    return undefined;
  }

  private ifExpr(e: A.IfExpr, scope: LocalScope, expected?: Type): Type {
    this.expect(e.condition, BOOL, scope);
    let then = this.block(e.then, scope, { expected });
    if (!e.else) {
      this.ctx.report("FE2028", { ...e.span, end: e.condition.span.end }, [], { help: "add `else { ... }` with the value for the other case" });
      return ERROR;
    }
    let other = e.else.kind === "block" ? this.block(e.else, scope, { expected }) : this.check(e.else, scope, expected);
    // `if c { Tone.casual } else { "formal" }` is a Tone: the literal joins the enum as a member.
    const thenValue = lastExpr(e.then);
    const otherValue = e.else.kind === "block" ? lastExpr(e.else) : e.else;
    if (nonOptional(then).kind === "enum" && otherValue) other = this.literalAsEnum(otherValue, other, then, scope);
    else if (nonOptional(other).kind === "enum" && thenValue) then = this.literalAsEnum(thenValue, then, other, scope);
    const j = join(then, other);
    if (!j) {
      const at = e.else.kind === "block" ? lastExprSpan(e.else) : e.else.span;
      this.ctx.report("FE2005", at, [`\`${showType(then)}\` like the \`if\` branch`, `\`${showType(other)}\``]);
      return ERROR;
    }
    return j;
  }

  private forExpr(e: A.ForExpr, scope: LocalScope, expected?: Type): Type {
    const iter = this.check(e.iterable, scope);
    let element: Type = ERROR;
    if (iter.kind === "list") element = iter.element;
    else if (iter.kind === "unknown") element = UNKNOWN;
    else if (iter.kind !== "error") {
      this.ctx.report("FE2005", e.iterable.span, ["a list", `\`${showType(iter)}\``], { help: iterHelp(iter) });
    }
    const inner = new LocalScope(scope);
    this.bind(inner, e.binding, element, "loop");
    if (e.filter) this.expect(e.filter, BOOL, inner);
    const body = this.block(e.body, inner, { expected: expected?.kind === "list" ? expected.element : undefined });
    this.unused(inner);
    return list(body);
  }

  /**
   * `value` read again as a member of `anEnum` when it is a string literal typed `string`
   * (reporting a literal that is no member); otherwise its type `t` unchanged.
   */
  private literalAsEnum(value: A.Expr, t: Type, anEnum: Type, scope: LocalScope): Type {
    let inner = value;
    while (inner.kind === "paren") inner = inner.expr;
    if (inner.kind !== "string" || t.kind !== "string") return t;
    const member = this.check(value, scope, nonOptional(anEnum));
    return t.kind === "string" && member.kind !== "error" ? member : ERROR;
  }

  /** Binds a name, reporting shadowing; `_` binds nothing. */
  bind(scope: LocalScope, name: A.Name, type: Type, kind: "param" | "let" | "loop"): void {
    if (name.text === "" || name.text === "_") return;
    this.ctx.bindings.set(name, type);
    const previous = scope.bind({ name, type, kind, used: false });
    if (previous) {
      this.ctx.report("FE2017", name.span, [name.text], {
        labels: [{ span: previous.name.span, message: "first bound here" }],
        help: "choose another name",
      });
    }
  }

  /** Warns about `let` bindings of this scope that nothing reads. */
  unused(scope: LocalScope): void {
    for (const l of scope.own()) {
      if (l.kind === "let" && !l.used && !l.name.text.startsWith("_")) {
        this.ctx.report("FE2018", l.name.span, [l.name.text], { help: `remove it, or name it \`_${l.name.text}\` to keep it` });
      }
    }
  }

  /**
   * Checks a block in a new scope and returns its value's type. `expected` is the type the
   * value should have, passed to the last expression (so `"bug"` can be a `Category`).
   */
  block(b: A.Block, outer: LocalScope, opts: { valueRequired?: boolean; expected?: Type } = {}): Type {
    const scope = new LocalScope(outer);
    let result: Type = ERROR;
    b.statements.forEach((s, i) => {
      const last = i === b.statements.length - 1;
      if (s.kind === "letStmt") {
        const t = this.check(s.value, scope);
        if (s.value.kind === "list" && s.value.items.length === 0) this.ctx.report("FE2044", s.value.span, [], { help: "give the list's type by using it as an argument or a field" });
        if (s.value.kind === "map" && s.value.entries.length === 0) this.ctx.report("FE2104", s.value.span, [], { help: "give the map's type by using it as an argument or a field" });
        this.bind(scope, s.name, t, "let");
      } else if (s.kind === "assertStmt") {
        if (this.where !== "test") this.ctx.report("FE2034", s.span, []);
        this.expect(s.condition, BOOL, scope);
      } else {
        const t = this.check(s.expr, scope, last ? opts.expected : undefined);
        if (last) result = t;
        else this.ctx.report("FE2039", s.expr.span, [], { help: "bind it with `let`, or remove it" });
      }
    });
    const lastStmt = b.statements[b.statements.length - 1];
    if ((opts.valueRequired ?? true) && lastStmt?.kind !== "exprStmt") {
      const at = lastStmt ? lastStmt.span : { ...b.span, start: b.span.end - 1 };
      this.ctx.report("FE2048", at, [], { help: "end the block with the expression whose value it has" });
      result = ERROR;
      // The trailing `let` was meant as the value; do not also call it unused.
      const trailing = lastStmt?.kind === "letStmt" ? scope.lookup(lastStmt.name.text) : undefined;
      if (trailing) trailing.used = true;
    }
    this.unused(scope);
    return result;
  }
}

const RANKED_FIELDS = new Map([
  ["index", { name: "index", type: INT, optional: false }],
  ["score", { name: "score", type: FLOAT, optional: false }],
  ["document", { name: "document", type: STRING, optional: false }],
]);

/** The text of an expression as written, for suggestions. */
function sourceText(ctx: CheckContext, e: A.Expr): string {
  return ctx.host.readFile(e.span.file)?.slice(e.span.start, e.span.end) ?? "m";
}

/** The expression a block ends with, if it ends with one. */
function lastExpr(b: A.Block): A.Expr | undefined {
  const last = b.statements[b.statements.length - 1];
  return last?.kind === "exprStmt" ? last.expr : undefined;
}
/** The fields of `loop` inside a template `{% for %}`. */
const LOOP_FIELDS = new Map([
  ["index", { name: "index", type: INT, optional: false }],
  ["index0", { name: "index0", type: INT, optional: false }],
  ["first", { name: "first", type: BOOL, optional: false }],
  ["last", { name: "last", type: BOOL, optional: false }],
  ["length", { name: "length", type: INT, optional: false }],
]);

function lastExprSpan(b: A.Block): Span {
  return b.statements[b.statements.length - 1]?.span ?? b.span;
}

function conversionHelp(found: Type, expected: Type): string | undefined {
  if (expected.kind === "string" && isNumeric(found)) return "make text of it with `str(...)`";
  if (expected.kind === "string" && found.kind === "list" && isStringish(found.element)) return 'join the list with `join(xs, ", ")`';
  if (found.kind === "optional" && assignable(found.inner, expected)) return "give it a default with `?? value`";
  if (found.kind === "list" && assignable(found.element, expected)) return "pick one element with `[i]`, or use `for`";
  return undefined;
}
