/**
 * Lowers expressions and blocks into nodes of one scope. Locals map names to node ids;
 * `for` and `if` build subgraphs whose nodes may read the enclosing scope's ids. Graph calls
 * are inlined with their parameters bound to the argument nodes; `&&`, `||` and `??` become
 * `cond` nodes so that their right side runs only when needed, as in every other mode.
 */
import type * as A from "../1-parse/ast.js";
import { ScopeBuilder, type NewNode } from "../../ir/builder.js";
import type { IrTool, NodeId, Settings, Subgraph } from "../../ir/nodes.js";
import type { Sym } from "../2-check/index.js";
import { resolveRelative } from "../1-parse/host.js";
import { BOOL, NULL, STRING, optional, type Type } from "../../ir/types.js";
import type { Data } from "../../ir/value.js";
import type { LowerContext } from "./context.js";
import { ensureClient, ensurePrompt, ensureType, namedTypesIn } from "./program-tables.js";
import { lowerTemplateParts } from "./lower-template.js";
import { lowerFold, lowerLoop } from "./lower-state.js";

export type Env = ReadonlyMap<string, NodeId>;

const BINARY_OPS: Record<string, string> = {
  "-": "sub", "*": "mul", "/": "div", "%": "mod", "==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge",
};

/** Nodes whose spans carry the call site of the graph they were inlined from (what `feste plan` lists). */
const VIA_KINDS: ReadonlySet<string> = new Set(["call", "embed", "rerank", "extern"]);

export class ExprLowerer {
  constructor(
    readonly cx: LowerContext,
    readonly scope: ScopeBuilder,
    /** Call sites of the graph calls being inlined, outermost first. */
    readonly inlinePath: readonly string[] = [],
    /** Inside an inlined graph: the outermost call site, which `feste plan` names beside the callee's line. */
    readonly via?: A.Expr["span"],
  ) {}

  private typeOf(e: A.Expr): Type {
    return this.cx.checked.types.get(e) ?? STRING;
  }

  add(node: NewNode, span?: A.Expr["span"]): NodeId {
    const site = this.via && span && VIA_KINDS.has(node.kind) ? { ...span, via: this.via } : span;
    return this.scope.add(node, site);
  }

  constant(value: Data, type: Type, span?: A.Expr["span"]): NodeId {
    return this.add({ kind: "const", type, value }, span);
  }

  /** A subgraph in a new scope that sees this one's locals. */
  sub(build: (inner: ExprLowerer) => NodeId): Subgraph {
    const inner = new ExprLowerer(this.cx, new ScopeBuilder(this.cx.ids), this.inlinePath, this.via);
    const out = build(inner);
    return inner.scope.finish(out);
  }

  block(b: A.Block, env: Env): NodeId {
    const local = new Map(env);
    let value: NodeId | undefined;
    for (const s of b.statements) {
      if (s.kind === "letStmt") local.set(s.name.text, this.expr(s.value, local));
      else if (s.kind === "exprStmt") value = this.expr(s.expr, local);
    }
    return value ?? this.constant(null, NULL, b.span);
  }

  expr(e: A.Expr, env: Env): NodeId {
    const type = this.typeOf(e);
    switch (e.kind) {
      case "int":
      case "float":
      case "bool":
        return this.constant(e.value, type, e.span);
      case "string":
        return this.constant(e.value, type, e.span);
      case "null":
        return this.constant(null, type, e.span);
      case "paren":
        return this.expr(e.expr, env);
      case "template":
        return lowerTemplateParts(this, e.parts, env, e.span);
      case "ident":
        return this.ident(e, env);
      case "record":
        return this.record(e, env, type);
      case "list":
        return this.add({ kind: "list", type, items: e.items.map((i) => this.expr(i, env)) }, e.span);
      case "unary":
        return this.add({ kind: "op", type, op: e.op === "!" ? "not" : "neg", args: [this.expr(e.operand, env)] }, e.span);
      case "binary":
        return this.binary(e, env, type);
      case "field": {
        const member = this.cx.checked.enumValues.get(e);
        if (member) return this.constant(member.member, type, e.span);
        return this.add({ kind: "get", type, target: this.expr(e.target, env), field: e.name.text }, e.span);
      }
      case "map":
        return this.mapLit(e, env, type);
      case "index":
        // A map lookup is an op (null for a missing key); a list element is a `get`.
        if (this.typeOf(e.target).kind === "map") return this.add({ kind: "op", type, op: "map_get", args: [this.expr(e.target, env), this.expr(e.index, env)] }, e.span);
        return this.add({ kind: "get", type, target: this.expr(e.target, env), index: this.expr(e.index, env) }, e.span);
      case "if":
        return this.add(
          {
            kind: "cond",
            type,
            condition: this.expr(e.condition, env),
            then: this.sub((inner) => inner.block(e.then, env)),
            else: this.sub((inner) => (e.else!.kind === "block" ? inner.block(e.else as A.Block, env) : inner.expr(e.else as A.IfExpr, env))),
          },
          e.span,
        );
      case "for":
        return this.forExpr(e, env, type);
      case "fold":
        return lowerFold(this, e, env, type);
      case "loop":
        return lowerLoop(this, e, env, type);
      case "call":
        return this.call(e, env, type);
    }
  }

  private ident(e: A.Ident, env: Env): NodeId {
    const local = env.get(e.name);
    if (local !== undefined) return local;
    const ref = this.cx.checked.refs.get(e);
    if (ref?.kind === "const") return this.expr(ref.sym.decl.value, env);
    throw new Error(`lowering: \`${e.name}\` is not bound (the checker should have reported it)`);
  }

  private record(e: A.RecordLit, env: Env, type: Type): NodeId {
    if (type.kind !== "record") throw new Error("lowering: record literal without a record type");
    const def = ensureType(this.cx, type);
    const given = new Map(e.fields.map((f) => [f.name.text, f.value]));
    const fields =
      def.kind === "record"
        ? def.fields.map((f) => {
            const value = given.get(f.name);
            return [f.name, value ? this.expr(value, env) : this.constant(null, optional(f.type))] as const;
          })
        : [];
    return this.add({ kind: "record", type, fields }, e.span);
  }

  /** `{ "k": v, ... }` as the op `map_of` over keys and values in turn, in the order written. */
  private mapLit(e: A.MapLit, env: Env, type: Type): NodeId {
    const args: NodeId[] = [];
    for (const entry of e.entries) args.push(this.constant((entry.key as A.StringLit).value, STRING, entry.key.span), this.expr(entry.value, env));
    return this.add({ kind: "op", type, op: "map_of", args }, e.span);
  }

  private binary(e: A.Binary, env: Env, type: Type): NodeId {
    const left = () => this.expr(e.left, env);
    switch (e.op) {
      case "&&":
        return this.add({ kind: "cond", type: BOOL, condition: left(), then: this.sub((i) => i.expr(e.right, env)), else: this.sub((i) => i.constant(false, BOOL)) }, e.span);
      case "||":
        return this.add({ kind: "cond", type: BOOL, condition: left(), then: this.sub((i) => i.constant(true, BOOL)), else: this.sub((i) => i.expr(e.right, env)) }, e.span);
      case "??": {
        const l = left();
        const isNull = this.add({ kind: "op", type: BOOL, op: "is_null", args: [l] }, e.span);
        return this.add({ kind: "cond", type, condition: isNull, then: this.sub((i) => i.expr(e.right, env)), else: { nodes: {}, output: l } }, e.span);
      }
      case "+":
        return this.add({ kind: "op", type, op: type.kind === "string" ? "concat" : type.kind === "list" ? "concat_lists" : "add", args: [left(), this.expr(e.right, env)] }, e.span);
      default:
        return this.add({ kind: "op", type, op: BINARY_OPS[e.op], args: [left(), this.expr(e.right, env)] }, e.span);
    }
  }

  private forExpr(e: A.ForExpr, env: Env, type: Type): NodeId {
    const iterable = this.expr(e.iterable, env);
    const binding = this.cx.uniqueBinding(e.binding.text);
    const elementType = type.kind === "list" ? type.element : STRING;
    const iterType = this.cx.checked.types.get(e.iterable);
    const bound = (inner: ExprLowerer) => {
      const id = inner.add({ kind: "input", type: iterType?.kind === "list" ? iterType.element : elementType, name: binding }, e.binding.span);
      return new Map(env).set(e.binding.text, id);
    };
    const filter = e.filter ? this.sub((inner) => inner.expr(e.filter!, bound(inner))) : undefined;
    const body = this.sub((inner) => inner.block(e.body, bound(inner)));
    return this.add({ kind: "map", type, lists: [iterable], bindings: [binding], body, ...(filter ? { filter } : {}) }, e.span);
  }

  /** Arguments in parameter order; a missing one takes its parameter's default. */
  private args(args: readonly (A.Expr | undefined)[], defaults: readonly (A.Expr | undefined)[], env: Env): NodeId[] {
    return args.map((a, i) => this.expr((a ?? defaults[i])!, env));
  }

  private call(e: A.Call, env: Env, type: Type): NodeId {
    const target = this.cx.checked.calls.get(e);
    if (!target) throw new Error("lowering: an unresolved call (the checker should have reported it)");
    switch (target.kind) {
      case "builtin": {
        // Optional trailing arguments are left out rather than passed as null.
        const given = target.args.slice(0, target.args.reduce((n, a, i) => (a ? i + 1 : n), 0));
        return this.add({ kind: "op", type, op: target.builtin.name, args: given.map((a) => this.expr(a!, env)) }, e.span);
      }
      case "prompt": {
        const decl = target.sym.decl as A.PromptDecl;
        const key = ensurePrompt(this.cx, target.sym as Extract<typeof target.sym, { kind: "prompt" }>);
        return this.add({ kind: "render", type, prompt: key, args: this.args(target.args, decl.params.map((p) => p.default), env) }, e.span);
      }
      case "extern": {
        const decl = target.sym.decl as A.ExternDecl;
        const module = resolveRelative(target.sym.file, decl.path.value);
        const args = this.args(target.args, decl.params.map((p) => p.default), env);
        const io = this.cx.checked.externIo.get(decl);
        if (!io) return this.add({ kind: "extern", type, fn: decl.name.text, module, args }, e.span);
        // Each io call site is its own node, so no pass can merge two effects into one.
        const site = [...this.inlinePath, `${e.span.file}:${e.span.start}`].join(">");
        return this.add({ kind: "extern", type, fn: decl.name.text, module, args, io, site }, e.span);
      }
      case "graph": {
        const decl = target.sym.decl as A.GraphDecl;
        const args = this.args(target.args, decl.params.map((p) => p.default), env);
        const calleeEnv = new Map(decl.params.map((p, i) => [p.name.text, args[i]]));
        const site = `${e.span.file}:${e.span.start}`;
        return new ExprLowerer(this.cx, this.scope, [...this.inlinePath, site], this.via ?? e.span).block(decl.body, calleeEnv);
      }
      case "model":
        return this.modelCall(e, target, env, type);
    }
  }

  private modelCall(e: A.Call, target: Extract<NonNullable<ReturnType<LowerContext["checked"]["calls"]["get"]>>, { kind: "model" }>, env: Env, type: Type): NodeId {
    const client = ensureClient(this.cx, target.client);
    const settings: Settings = { ...this.cx.clients[client].settings, ...target.settings };
    // Every call starts out distinct; the dedupe pass merges those that may be merged.
    const site = [...this.inlinePath, `${e.span.file}:${e.span.start}`].join(">");
    const kind = this.cx.clients[client].kind;
    const [first, second] = target.args.map((a) => this.expr(a, env));
    if (kind === "embedding") return this.add({ kind: "embed", type, client, input: first, settings, site }, e.span);
    if (kind === "rerank") return this.add({ kind: "rerank", type, client, query: first, documents: second, settings, site }, e.span);
    if (target.tools) return this.add({ kind: "call", type, client, prompt: first, settings, site, tools: target.tools.externs.map((t) => this.tool(t)), maxSteps: target.tools.maxSteps }, e.span);
    return this.add({ kind: "call", type, client, prompt: first, settings, site }, e.span);
  }

  /** An extern function as a tool: its signature (types added to the program) and doc. */
  private tool(sym: Extract<Sym, { kind: "extern" }>): IrTool {
    const d = sym.decl;
    const sig = this.cx.checked.signatures.get(d)!;
    for (const t of [sig.output, ...sig.params.map((p) => p.type)]) for (const inner of namedTypesIn(t)) ensureType(this.cx, inner);
    const io = this.cx.checked.externIo.get(d);
    return {
      name: d.name.text,
      module: resolveRelative(sym.file, d.path.value),
      params: sig.params.map((p) => ({ name: p.name, type: p.type })),
      output: sig.output,
      ...(d.doc ? { description: d.doc } : {}),
      ...(io ? { io } : {}),
      span: d.name.span,
    };
  }
}
