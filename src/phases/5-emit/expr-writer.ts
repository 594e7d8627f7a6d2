/**
 * IR scopes written as TypeScript expressions: the per-node visitor of code generation, one
 * case per node kind in `node`. A node read once is written where it is read; a node read
 * more than once, or from inside a loop body or a branch, becomes a `const` named after what
 * it holds. Subgraph-holding nodes (`map`, `fold`, `loop`, `cond`, `fuse`) go through
 * `closure`, so another body-holding kind can reuse it.
 *
 * Every expression knows its TypeScript type: `typed` when it is the TypeScript type of its
 * Feste type (a parameter, `t.summary`, a string built with `+`), `data` when it is
 * `feste.Data` (the result of a runtime operation), `prompt` for a rendered prompt. Contexts
 * convert only where they must (`feste.text(x)` where a string is needed), so the code needs
 * no casts. Constants are JSON literals: template text never becomes code.
 */
import { deps, freeRefs, reachable, subgraphsOf, topoOrder } from "../../ir/graph.js";
import type { IrNode, NodeId, Subgraph } from "../../ir/nodes.js";
import { renderValue } from "../../ir/builtins.js";
import type { Type } from "../../ir/types.js";
import type { Data } from "../../ir/value.js";
import { dataLiteral, identifier, literal, objectKey } from "./names.js";

/** Operator precedence, as far as parenthesising needs it (higher binds tighter). */
export const enum Prec {
  Conditional = 0,
  Nullish = 1,
  Equality = 2,
  Relational = 3,
  Additive = 4,
  Multiplicative = 5,
  Unary = 6,
  Atom = 7,
}

export interface Code {
  readonly text: string;
  readonly mode: "typed" | "data" | "prompt";
  readonly prec: Prec;
  /** For a string built with `+`: its parts, so a long one can be written one part a line. */
  readonly parts?: readonly string[];
  /** For a list written as a literal (`[a, ...b]`): its elements, spreads included, so another list can take them in. */
  readonly items?: readonly string[];
}

/** What the writer needs from the module around it. */
export interface WriterContext {
  /** The identifier of a prompt's renderer, imported if it lives in another module. */
  rendererOf(promptKey: string): string;
  /** The members of an enum type, for comparisons with a constant. */
  enumMembers(t: Extract<Type, { kind: "enum" }>): readonly string[];
}

/** Identifiers of one function's locals: unique in the function and clear of the module's names. */
export class Locals {
  private readonly used: Set<string>;

  constructor(taken: Iterable<string>) {
    this.used = new Set(["feste", ...taken]);
  }

  /** Names claimed inside the closure being written, released when it is done. */
  private readonly scoped: string[][] = [];

  /** A fresh local named after `base` (`category`, then `category2`, ...). */
  claim(base: string): string {
    const stem = identifier(base.replace(/#\d+$/, "")) || "value";
    let id = stem;
    for (let i = 2; this.used.has(id); i++) id = `${stem}${i}`;
    this.used.add(id);
    this.scoped[this.scoped.length - 1]?.push(id);
    return id;
  }

  /**
   * Runs `write` with the names it claims free again afterwards: they are parameters and
   * locals of an arrow function, so a sibling function may reuse them (`(x) => ...` twice).
   * Names claimed outside stay taken, so nothing inside shadows what it reads.
   */
  within<T>(write: () => T): T {
    this.scoped.push([]);
    try {
      return write();
    } finally {
      for (const id of this.scoped.pop()!) this.used.delete(id);
    }
  }
}

/** A record literal's key: the name where it is a plain identifier (never `__proto__`, which would set the prototype). */
const key = (name: string) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) && name !== "__proto__" ? name : objectKey(name));

const atom = (text: string, mode: Code["mode"] = "typed"): Code => ({ text, mode, prec: Prec.Atom });

/** `code` as an operand that needs at least precedence `min`. */
export function operand(code: Code, min: Prec): string {
  return code.prec < min ? `(${code.text})` : code.text;
}

/** Kinds whose TypeScript type is also `feste.Data` as it is (no record inside). */
function isPlain(t: Type): boolean {
  switch (t.kind) {
    case "string":
    case "int":
    case "float":
    case "bool":
    case "null":
    case "enum":
      return true;
    case "list":
      return isPlain(t.element);
    case "optional":
      return isPlain(t.inner);
    default:
      return false;
  }
}

const isText = (t: Type) => t.kind === "string" || t.kind === "enum";
const isNumber = (t: Type) => t.kind === "int" || t.kind === "float";
const isScalar = (t: Type) => isText(t) || isNumber(t) || t.kind === "bool" || t.kind === "null";

const EQUALITY: Readonly<Record<string, string>> = { eq: "===", ne: "!==" };
const ORDER: Readonly<Record<string, string>> = { lt: "<", le: "<=", gt: ">", ge: ">=" };
const ARITHMETIC: Readonly<Record<string, readonly [string, Prec]>> = { add: ["+", Prec.Additive], sub: ["-", Prec.Additive], mul: ["*", Prec.Multiplicative] };

/** Names a `const` is given after what it holds. */
function localBase(n: IrNode): string {
  switch (n.kind) {
    case "get":
      return n.field ?? "item";
    case "op":
      return n.op === "concat" || n.op === "text" ? "text" : n.op;
    case "map":
      return "items";
    case "cond":
      return "choice";
    case "render":
      return "prompt";
    case "record":
      return n.type.kind === "record" ? n.type.name.charAt(0).toLowerCase() + n.type.name.slice(1) : "record";
    default:
      return n.kind;
  }
}

/** Writes the nodes of one scope (a function body, a loop body, a branch) as statements and expressions. */
export class ScopeWriter {
  /** The `const` statements written so far, in order. */
  readonly lines: string[] = [];
  private readonly values = new Map<NodeId, Code>();

  constructor(
    private readonly cx: WriterContext,
    private readonly locals: Locals,
    /** The code of each bound name (a parameter, a loop element). */
    private readonly inputs: ReadonlyMap<string, Code>,
    private readonly parent?: ScopeWriter,
  ) {}

  /** Writes what `g`'s output needs; returns the output's expression. */
  scope(g: Subgraph): Code {
    const needed = reachable(g);
    const uses = new Map<NodeId, number>([[g.output, 1]]);
    const count = (id: NodeId, by: number) => uses.set(id, (uses.get(id) ?? 0) + by);
    for (const id of needed) {
      const n = g.nodes[id];
      for (const d of deps(n)) count(d, 1);
      // Read from inside a body or branch: computed once, out here, as the interpreter does.
      for (const s of subgraphsOf(n)) for (const d of freeRefs(s)) count(d, 2);
    }
    for (const id of topoOrder(g)) {
      if (!needed.has(id)) continue;
      const n = g.nodes[id];
      const code = this.node(n);
      const inline = n.kind === "input" || (n.kind === "const" && code.text.length <= 40) || (uses.get(id) ?? 0) <= 1;
      if (inline) {
        this.values.set(id, code);
        continue;
      }
      const name = this.locals.claim(localBase(n));
      this.lines.push(`const ${name} = ${statementText(code)};`);
      this.values.set(id, atom(name, code.mode));
    }
    return this.ref(g.output);
  }

  private ref(id: NodeId): Code {
    for (let w: ScopeWriter | undefined = this; w; w = w.parent) {
      const v = w.values.get(id);
      if (v) return v;
    }
    throw new Error(`IR invariant broken: ${id} used before it is computed`);
  }

  private input(name: string): Code {
    for (let w: ScopeWriter | undefined = this; w; w = w.parent) {
      const v = w.inputs.get(name);
      if (v) return v;
    }
    throw new Error(`IR invariant broken: no value bound to \`${name}\``);
  }

  /**
   * A body or branch as a function of its bindings: `(t) => expr`, or a block body where it
   * needs locals of its own. Returns the function's text and the mode of its result.
   */
  closure(g: Subgraph, bindings: readonly (readonly [string, Code["mode"]])[] = [], want?: (c: Code) => Code, named?: readonly string[]): { text: string; mode: Code["mode"]; value?: Code } {
    const params = named ?? bindings.map(([b]) => this.locals.claim(b));
    const inner = new ScopeWriter(this.cx, this.locals, new Map(bindings.map(([b, mode], i) => [b, atom(params[i], mode)])), this);
    const raw = inner.scope(g);
    const out = want ? want(raw) : raw;
    const head = `(${params.join(", ")}) =>`;
    if (inner.lines.length === 0) {
      const body = out.text.startsWith("{") ? `(${out.text})` : operand(out, Prec.Conditional);
      return { text: `${head} ${body}`, mode: out.mode, value: out };
    }
    return { text: `${head} {\n${[...inner.lines, `return ${out.text};`].map(indent).join("\n")}\n}`, mode: out.mode };
  }

  /** A branch's value in place: its expression, or a function called at once where it needs locals. */
  private branch(g: Subgraph): Code {
    const f = this.closure(g);
    return f.value ?? { text: `(${f.text})()`, mode: f.mode, prec: Prec.Atom };
  }

  /** The visitor: one case per node kind. */
  node(n: IrNode): Code {
    return subgraphsOf(n).length > 0 ? this.locals.within(() => this.write(n)) : this.write(n);
  }

  private write(n: IrNode): Code {
    switch (n.kind) {
      case "input":
        return this.input(n.name);
      case "const":
        return { text: dataLiteral(n.value), mode: "typed", prec: typeof n.value === "number" && n.value < 0 ? Prec.Unary : Prec.Atom };
      case "op":
        return this.op(n);
      case "get":
        return this.get(n);
      case "record": {
        const fields = n.fields.map(([k, id]) => [k, this.ref(id)] as const);
        const typed = fields.every(([, c]) => c.mode === "typed");
        const value = (c: Code) => (typed ? c.text : this.data(c, undefined));
        return atom(fields.length === 0 ? "{}" : `{ ${fields.map(([k, c]) => `${key(k)}: ${value(c)}`).join(", ")} }`, typed ? "typed" : "data");
      }
      case "list": {
        const items = n.items.map((id) => this.ref(id));
        const typed = items.every((c) => c.mode === "typed");
        const texts = items.map((c) => (typed ? c.text : this.data(c, undefined)));
        return { ...atom(`[${texts.join(", ")}]`, typed ? "typed" : "data"), items: texts };
      }
      case "map":
        return this.map(n);
      case "cond": {
        const condition = this.bool(this.ref(n.condition));
        const [yes, no] = [this.branch(n.then), this.branch(n.else)];
        const typed = yes.mode === "typed" && no.mode === "typed";
        const side = (c: Code) => (typed ? operand(c, Prec.Conditional) : this.data(c, undefined));
        return { text: `${operand(condition, Prec.Equality)} ? ${side(yes)} : ${side(no)}`, mode: typed ? "typed" : "data", prec: Prec.Conditional };
      }
      case "fold": {
        // Folded as data: the state's TypeScript type would otherwise be inferred from `init`.
        const named = [this.locals.claim(n.state), this.locals.claim(n.binding)];
        const toData = (c: Code) => atom(this.data(c, undefined), "data");
        const body = this.closure(n.body, [[n.state, "data"], [n.binding, "data"]], toData, named);
        return atom(`feste.foldList(${this.data(this.ref(n.init), this.typeOf(n.init))}, ${this.data(this.ref(n.list), this.typeOf(n.list))}, ${body.text})`, "data");
      }
      case "loop": {
        // `until` and the body read the same state: one name for both.
        const named = [this.locals.claim(n.state)];
        const state = [[n.state, "data"]] as const;
        const toData = (c: Code) => atom(this.data(c, undefined), "data");
        const until = this.closure(n.until, state, toData, named);
        const body = this.closure(n.body, state, toData, named);
        return atom(`feste.loopState(${this.data(this.ref(n.init), this.typeOf(n.init))}, ${n.max}, ${until.text}, ${body.text})`, "data");
      }
      case "fuse":
        return this.branch(n.body);
      case "render": {
        const args = n.args.map((id) => this.ref(id));
        return atom(`${this.cx.rendererOf(n.prompt)}(${args.map((c) => (c.mode === "typed" ? c.text : this.data(c, undefined))).join(", ")})`, "prompt");
      }
      case "call":
      case "embed":
      case "rerank":
      case "extern":
      case "batch":
      case "pick":
        throw new Error(`IR invariant broken: a prompt template holds a \`${n.kind}\` node`);
    }
  }

  private op(n: Extract<IrNode, { kind: "op" }>): Code {
    const args = n.args.map((id) => this.ref(id));
    const types = n.args.map((id) => this.typeOf(id));
    const typed = args.every((c) => c.mode === "typed");
    if (n.op === "concat" && args.length > 0) {
      const parts = joinLiterals(args.map((c, i) => operand(this.text(c, types[i]), Prec.Additive)));
      if (parts.length === 1) return { text: parts[0], mode: "typed", prec: /^"/.test(parts[0]) ? Prec.Atom : Prec.Additive };
      return { text: parts.join(" + "), mode: "typed", prec: Prec.Additive, parts };
    }
    if (n.op === "text") return this.text(args[0], types[0]);
    if (n.op === "concat_lists" && typed && types.every((t) => t?.kind === "list")) {
      const items = args.flatMap((c) => c.items ?? [`...${operand(c, Prec.Conditional)}`]);
      return { ...atom(`[${items.join(", ")}]`), items };
    }
    if (n.op === "len" && typed && types[0]?.kind === "list") return atom(`${operand(args[0], Prec.Atom)}.length`);
    if (n.op === "join" && typed && types[0]?.kind === "list") {
      return atom(`${operand(args[0], Prec.Atom)}.join(${args[1] ? args[1].text : '""'})`);
    }
    if (typed && types.every((t) => t !== undefined)) {
      const [a, b] = types as Type[];
      if (n.op in EQUALITY && this.comparable(a, b, n.args.map((id) => this.constOf(id)))) {
        return { text: `${operand(args[0], Prec.Relational)} ${EQUALITY[n.op]} ${operand(args[1], Prec.Relational)}`, mode: "typed", prec: Prec.Equality };
      }
      if (n.op in ORDER && ((isNumber(a) && isNumber(b)) || (a.kind === "string" && b.kind === "string"))) {
        return { text: `${operand(args[0], Prec.Additive)} ${ORDER[n.op]} ${operand(args[1], Prec.Additive)}`, mode: "typed", prec: Prec.Relational };
      }
      if (n.op in ARITHMETIC && isNumber(a) && isNumber(b)) {
        const [sign, prec] = ARITHMETIC[n.op];
        return { text: `${operand(args[0], prec)} ${sign} ${operand(args[1], prec + 1)}`, mode: "typed", prec };
      }
      if (n.op === "neg" && isNumber(a)) return { text: `-${operand(args[0], Prec.Unary)}`, mode: "typed", prec: Prec.Unary };
      if (n.op === "not" && a.kind === "bool") return { text: `!${operand(args[0], Prec.Unary)}`, mode: "typed", prec: Prec.Unary };
      if (n.op === "is_null") return { text: `${operand(args[0], Prec.Relational)} === null`, mode: "typed", prec: Prec.Equality };
    }
    return atom(`feste.applyOp(${literal(n.op)}, [${args.map((c, i) => this.data(c, types[i])).join(", ")}])`, "data");
  }

  private get(n: Extract<IrNode, { kind: "get" }>): Code {
    const target = this.ref(n.target);
    const type = this.typeOf(n.target);
    if (n.field !== undefined) {
      if (target.mode === "typed" && type?.kind === "record" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(n.field) && !(n.field in Object.prototype)) {
        const access = `${operand(target, Prec.Atom)}.${n.field}`;
        // An optional field may be absent from a record: it reads as null, as in the interpreter.
        return n.type.kind === "optional" || n.type.kind === "null" ? { text: `${access} ?? null`, mode: "typed", prec: Prec.Nullish } : atom(access);
      }
      return atom(`feste.field(${this.data(target, type)}, ${literal(n.field)})`, "data");
    }
    const index = this.ref(n.index!);
    if (target.mode === "typed" && type?.kind === "list" && index.mode === "typed") return atom(`feste.at(${target.text}, ${index.text})`);
    return atom(`feste.index(${this.data(target, type)}, ${this.data(index, undefined)})`, "data");
  }

  private map(n: Extract<IrNode, { kind: "map" }>): Code {
    const lists = n.lists.map((id) => this.ref(id));
    const type = this.typeOf(n.lists[0]);
    if (lists.length === 1 && lists[0].mode === "typed" && type?.kind === "list") {
      const binding = [[n.bindings[0], "typed"]] as const;
      // The filter and the body bind the same element: one name for both.
      const named = [this.locals.claim(n.bindings[0])];
      const filter = n.filter ? `.filter(${this.closure(n.filter, binding, (c) => this.bool(c), named).text})` : "";
      // Keeping the elements themselves (a filter alone) needs no `.map`.
      const out = n.body.nodes[n.body.output];
      if (filter && out?.kind === "input" && out.name === n.bindings[0]) return atom(`${operand(lists[0], Prec.Atom)}${filter}`);
      const body = this.closure(n.body, binding, undefined, named);
      return atom(`${operand(lists[0], Prec.Atom)}${filter}.map(${body.text})`, body.mode === "typed" ? "typed" : "data");
    }
    if (lists.length === 2 && lists[0].mode === "typed" && type?.kind === "list" && this.isPositionsOf(n.lists[1], n.lists[0])) {
      // A `{% for %}` reading `loop.*` walks the elements with their positions: `.map((x, i) => ...)`.
      const named = [this.locals.claim(n.bindings[0]), this.locals.claim("index0")];
      const body = this.closure(n.body, [[n.bindings[0], "typed"], [n.bindings[1], "typed"]], undefined, named);
      return atom(`${operand(lists[0], Prec.Atom)}.map(${body.text})`, body.mode === "typed" ? "typed" : "data");
    }
    const bindings = n.bindings.map((b) => [b, "data"] as const);
    const named = n.bindings.map((b) => this.locals.claim(b));
    const toData = (c: Code) => atom(this.data(c, undefined), "data");
    const filter = n.filter ? `, ${this.closure(n.filter, bindings, toData, named).text}` : "";
    const body = this.closure(n.body, bindings, toData, named);
    return atom(`feste.mapList([${lists.map((c, i) => this.data(c, this.typeOf(n.lists[i]))).join(", ")}], ${body.text}${filter})`, "data");
  }

  /** Whether node `positions` is `range(len(list))`: the positions of `list`'s elements. */
  private isPositionsOf(positions: NodeId, list: NodeId): boolean {
    const range = this.nodeOf(positions);
    if (range?.kind !== "op" || range.op !== "range" || range.args.length !== 1) return false;
    const len = this.nodeOf(range.args[0]);
    return len?.kind === "op" && len.op === "len" && len.args.length === 1 && len.args[0] === list;
  }

  /** `code` where a string is needed: as it is if it is one, else rendered as a template renders it. */
  private text(code: Code, type: Type | undefined): Code {
    if (code.mode === "typed" && type && isText(type)) return code;
    const constant = code.mode === "typed" && code.prec >= Prec.Unary ? scalarLiteral(code.text) : undefined;
    if (constant !== undefined) return atom(literal(renderValue(constant)));
    return atom(`feste.text(${code.text})`);
  }

  /** `code` where a boolean is needed. */
  private bool(code: Code): Code {
    return code.mode === "typed" ? code : { text: `${operand(code, Prec.Relational)} === true`, mode: "typed", prec: Prec.Equality };
  }

  /** `code` where `feste.Data` is needed. */
  private data(code: Code, type: Type | undefined): string {
    if (code.mode === "data" || (code.mode === "typed" && type && isPlain(type))) return code.text;
    return `feste.data(${code.text})`;
  }

  /**
   * Whether `===` means what Feste's `==` means for these operands: both scalars of the same
   * kind, or an enum and a constant that is one of its members (TypeScript rejects comparing
   * an enum with a string outside it, so that one goes through the runtime's `eq`).
   */
  private comparable(a: Type, b: Type, consts: readonly unknown[]): boolean {
    if (!isScalar(a) || !isScalar(b)) return false;
    if (a.kind === "null" || b.kind === "null") return true;
    if (a.kind === "enum" && b.kind === "enum") return a.name === b.name && a.file === b.file;
    const e = a.kind === "enum" ? a : b.kind === "enum" ? b : undefined;
    if (e) return consts.some((c) => typeof c === "string" && this.cx.enumMembers(e).includes(c));
    return (isText(a) && isText(b)) || (isNumber(a) && isNumber(b)) || a.kind === b.kind;
  }

  private readonly types = new Map<NodeId, Type>();
  private readonly consts = new Map<NodeId, unknown>();
  private readonly nodes = new Map<NodeId, IrNode>();

  /** Remembers each node's Feste type and constant value, for the writers of the nodes that read it. */
  learn(g: Subgraph): void {
    for (const n of Object.values(g.nodes)) {
      this.types.set(n.id, n.type);
      this.nodes.set(n.id, n);
      if (n.kind === "const") this.consts.set(n.id, n.value);
      for (const s of subgraphsOf(n)) this.learn(s);
    }
  }

  private typeOf(id: NodeId): Type | undefined {
    for (let w: ScopeWriter | undefined = this; w; w = w.parent) {
      const t = w.types.get(id);
      if (t) return t;
    }
    return undefined;
  }

  private nodeOf(id: NodeId): IrNode | undefined {
    for (let w: ScopeWriter | undefined = this; w; w = w.parent) {
      const n = w.nodes.get(id);
      if (n) return n;
    }
    return undefined;
  }

  private constOf(id: NodeId): unknown {
    for (let w: ScopeWriter | undefined = this; w; w = w.parent) if (w.consts.has(id)) return w.consts.get(id);
    return undefined;
  }
}

/** A number, boolean or null written as a literal, as its value. */
function scalarLiteral(text: string): Data | undefined {
  return /^(-?\d[\d.e+-]*|true|false|null)$/.test(text) ? (JSON.parse(text) as Data) : undefined;
}

/** Adjacent string literals of a `+` chain joined into one. */
function joinLiterals(parts: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (last !== undefined && isStringLiteral(last) && isStringLiteral(p)) out[out.length - 1] = literal((JSON.parse(last) as string) + (JSON.parse(p) as string));
    else out.push(p);
  }
  return out;
}

function isStringLiteral(text: string): boolean {
  return /^"(?:[^"\\]|\\.)*"$/.test(text);
}

/** One level of indentation for every line of a block's statement. */
export function indent(line: string): string {
  // Split on "\n" only: a string literal may hold U+2028, which `^` in a multiline RegExp matches after.
  return line.split("\n").map((l) => (l === "" ? l : `  ${l}`)).join("\n");
}

/** An initializer or returned value: a long string built with `+` one part a line. */
export function statementText(code: Code): string {
  if (!code.parts || code.text.length <= 90) return code.text;
  return code.parts.map((p) => p.split("\n").join("\n  ")).join(" +\n  ");
}
