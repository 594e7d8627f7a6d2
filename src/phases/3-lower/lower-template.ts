/**
 * Templates become ordinary string-building nodes: text is a constant, `{{ x | f }}` is the
 * builtin `f` applied to `x` then `text` (how values render), `{% if %}` is a `cond` and
 * `{% for %}` a `map` joined without separator. Prompts and template literals share this,
 * so rendering means the same in the interpreter and in generated code.
 */
import type * as A from "../1-parse/ast.js";
import type { NodeId } from "../../ir/nodes.js";
import { BOOL, INT, STRING, list } from "../../ir/types.js";
import { LOOP_INFO } from "../2-check/check-template.js";
import type { Env, ExprLowerer } from "./lower-expr.js";

export function lowerTemplateParts(lx: ExprLowerer, parts: readonly A.TemplatePart[], env: Env, span?: A.Expr["span"]): NodeId {
  const pieces = parts.map((p) => lowerPart(lx, p, env));
  if (pieces.length === 0) return lx.constant("", STRING, span);
  if (pieces.length === 1) return pieces[0];
  return lx.add({ kind: "op", type: STRING, op: "concat", args: pieces }, span);
}

function lowerPart(lx: ExprLowerer, p: A.TemplatePart, env: Env): NodeId {
  switch (p.kind) {
    case "text":
      return lx.constant(p.value, STRING, p.span);
    case "interpolation": {
      let value = lx.expr(p.expr, env);
      for (const f of p.filters) {
        const args = f.args.map((a) => lx.expr(a.value, env));
        value = lx.add({ kind: "op", type: STRING, op: f.name.text, args: [value, ...args] }, f.span);
      }
      return lx.add({ kind: "op", type: STRING, op: "text", args: [value] }, p.span);
    }
    case "templateIf":
      return lowerBranches(lx, p.branches, p.else, env, p.span);
    case "templateFor": {
      if (mentions(p.body, "loop")) return lowerForWithLoop(lx, p, env);
      const iterable = lx.expr(p.iterable, env);
      const binding = lx.cx.uniqueBinding(p.binding.text);
      const iterType = lx.cx.checked.types.get(p.iterable);
      const bound = (inner: ExprLowerer) =>
        new Map(env).set(p.binding.text, inner.add({ kind: "input", type: iterType?.kind === "list" ? iterType.element : STRING, name: binding }, p.binding.span));
      const filter = p.filter ? lx.sub((inner) => inner.expr(p.filter!, bound(inner))) : undefined;
      const body = lx.sub((inner) => lowerTemplateParts(inner, p.body, bound(inner), p.span));
      const pieces = lx.add({ kind: "map", type: list(STRING), lists: [iterable], bindings: [binding], body, ...(filter ? { filter } : {}) }, p.span);
      return lx.add({ kind: "op", type: STRING, op: "join", args: [pieces] }, p.span);
    }
  }
}

/**
 * A `{% for %}` whose body reads `loop.*`: the kept elements (after the filter, as Jinja
 * counts them) walked in lockstep with their positions, and `loop` a record built from both.
 */
function lowerForWithLoop(lx: ExprLowerer, p: A.TemplateFor, env: Env): NodeId {
  const iterType = lx.cx.checked.types.get(p.iterable);
  const elementType = iterType?.kind === "list" ? iterType.element : STRING;
  const binding = lx.cx.uniqueBinding(p.binding.text);
  const input = (inner: ExprLowerer) => inner.add({ kind: "input", type: elementType, name: binding }, p.binding.span);
  let kept = lx.expr(p.iterable, env);
  if (p.filter) {
    const filter = lx.sub((inner) => inner.expr(p.filter!, new Map(env).set(p.binding.text, input(inner))));
    kept = lx.add({ kind: "map", type: list(elementType), lists: [kept], bindings: [binding], body: lx.sub((inner) => input(inner)), filter }, p.span);
  }
  const length = lx.add({ kind: "op", type: INT, op: "len", args: [kept] }, p.span);
  const positions = lx.add({ kind: "op", type: list(INT), op: "range", args: [length] }, p.span);
  const at = lx.cx.uniqueBinding("loop.index0");
  const body = lx.sub((inner) => {
    const i = inner.add({ kind: "input", type: INT, name: at }, p.span);
    const one = inner.constant(1, INT);
    const index = inner.add({ kind: "op", type: INT, op: "add", args: [i, one] }, p.span);
    const first = inner.add({ kind: "op", type: BOOL, op: "eq", args: [i, inner.constant(0, INT)] }, p.span);
    const last = inner.add({ kind: "op", type: BOOL, op: "eq", args: [index, length] }, p.span);
    const loop = inner.add({ kind: "record", type: LOOP_INFO, fields: [["index", index], ["index0", i], ["first", first], ["last", last], ["length", length]] }, p.span);
    return lowerTemplateParts(inner, p.body, new Map(env).set(p.binding.text, input(inner)).set("loop", loop), p.span);
  });
  const pieces = lx.add({ kind: "map", type: list(STRING), lists: [kept, positions], bindings: [binding, at], body }, p.span);
  return lx.add({ kind: "op", type: STRING, op: "join", args: [pieces] }, p.span);
}

/** Whether AST `node` reads the name `name` anywhere inside (plain data, walked generically). */
function mentions(node: unknown, name: string): boolean {
  if (Array.isArray(node)) return node.some((x) => mentions(x, name));
  if (node === null || typeof node !== "object") return false;
  const o = node as Record<string, unknown>;
  if (o.kind === "ident" && o.name === name) return true;
  return Object.entries(o).some(([k, v]) => k !== "span" && mentions(v, name));
}

function lowerBranches(lx: ExprLowerer, branches: readonly A.TemplateBranch[], otherwise: readonly A.TemplatePart[] | undefined, env: Env, span: A.TemplateIf["span"]): NodeId {
  const [first, ...rest] = branches;
  const condition = lx.expr(first.condition, env);
  return lx.add(
    {
      kind: "cond",
      type: STRING,
      condition,
      then: lx.sub((inner) => lowerTemplateParts(inner, first.body, env, span)),
      else: lx.sub((inner) => (rest.length > 0 ? lowerBranches(inner, rest, otherwise, env, span) : lowerTemplateParts(inner, otherwise ?? [], env, span))),
    },
    span,
  );
}
