/**
 * Lowers the state-carrying forms: `fold` to a `fold` node and `loop` to a `loop` node, each
 * with its body (and the loop's `until`) as a subgraph over `input` nodes for the state and
 * the element, as `for` lowers to `map`. A loop's bound is resolved here to a number.
 */
import type * as A from "../1-parse/ast.js";
import type { NodeId } from "../../ir/nodes.js";
import { STRING, type Type } from "../../ir/types.js";
import { literalValue } from "../2-check/literal-value.js";
import type { Env, ExprLowerer } from "./lower-expr.js";

export function lowerFold(lx: ExprLowerer, e: A.FoldExpr, env: Env, type: Type): NodeId {
  const init = lx.expr(e.init, env);
  const list = lx.expr(e.iterable, env);
  const state = lx.cx.uniqueBinding(e.state.text);
  const binding = lx.cx.uniqueBinding(e.binding.text);
  const iterType = lx.cx.checked.types.get(e.iterable);
  const body = lx.sub((inner) => {
    const s = inner.add({ kind: "input", type, name: state }, e.state.span);
    const x = inner.add({ kind: "input", type: iterType?.kind === "list" ? iterType.element : STRING, name: binding }, e.binding.span);
    return inner.block(e.body, new Map(env).set(e.state.text, s).set(e.binding.text, x));
  });
  return lx.add({ kind: "fold", type, init, list, state, binding, body }, e.span);
}

export function lowerLoop(lx: ExprLowerer, e: A.LoopExpr, env: Env, type: Type): NodeId {
  const init = lx.expr(e.init, env);
  const state = lx.cx.uniqueBinding(e.state.text);
  const bound = (inner: ExprLowerer) => new Map(env).set(e.state.text, inner.add({ kind: "input", type, name: state }, e.state.span));
  const until = lx.sub((inner) => inner.expr(e.condition, bound(inner)));
  const body = lx.sub((inner) => inner.block(e.body, bound(inner)));
  return lx.add({ kind: "loop", type, init, state, until, body, max: loopMax(lx, e.max) }, e.span);
}

/** The number a checked `max` stands for: a literal, or the value of the `const` it names. */
function loopMax(lx: ExprLowerer, max: A.IntLit | A.Ident): number {
  if (max.kind === "int") return max.value;
  const ref = lx.cx.checked.refs.get(max);
  const v = ref?.kind === "const" ? literalValue(ref.sym.decl.value) : undefined;
  if (typeof v !== "number") throw new Error(`lowering: loop bound \`${max.name}\` is not a checked constant`);
  return v;
}
