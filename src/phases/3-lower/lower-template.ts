/**
 * Templates become ordinary string-building nodes: text is a constant, `{{ x | f }}` is the
 * builtin `f` applied to `x` then `text` (how values render), `{% if %}` is a `cond` and
 * `{% for %}` a `map` joined without separator. Prompts and template literals share this,
 * so rendering means the same in the interpreter and in generated code.
 */
import type * as A from "../1-parse/ast.js";
import type { NodeId } from "../../ir/nodes.js";
import { STRING, list } from "../../ir/types.js";
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
