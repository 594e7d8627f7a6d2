/**
 * Types the state-carrying forms, `fold` and `loop`. Their state has the type of INIT
 * (an empty list takes the type expected of the whole form) and BODY's value must fit it,
 * because it becomes the next state; `until` takes a `bool`; `max` is a positive whole
 * number, written as a number or as the name of a `const`, so every loop has a known bound.
 */
import type * as A from "../1-parse/ast.js";
import { didYouMean } from "../../diagnostics/index.js";
import type { ExprChecker } from "./check-expr.js";
import { literalValue } from "./literal-value.js";
import { LocalScope } from "./local-scope.js";
import { BOOL, ERROR, UNKNOWN, assignable, iterHelp, showType, type Type } from "./types.js";

export function checkFold(c: ExprChecker, e: A.FoldExpr, scope: LocalScope, expected?: Type): Type {
  const state = stateType(c, e.init, scope, expected);
  const iter = c.check(e.iterable, scope);
  let element: Type = ERROR;
  if (iter.kind === "list") element = iter.element;
  else if (iter.kind === "unknown") element = UNKNOWN;
  else if (iter.kind !== "error") {
    c.ctx.report("FE2005", e.iterable.span, ["a list", `\`${showType(iter)}\``], { help: iterHelp(iter) });
  }
  const inner = new LocalScope(scope);
  c.bind(inner, e.state, state, "loop");
  c.bind(inner, e.binding, element, "loop");
  return body(c, "fold", e.state.text, e.body, inner, state);
}

export function checkLoop(c: ExprChecker, e: A.LoopExpr, scope: LocalScope, expected?: Type): Type {
  const state = stateType(c, e.init, scope, expected);
  const inner = new LocalScope(scope);
  c.bind(inner, e.state, state, "loop");
  const cond = c.check(e.condition, inner);
  if (cond.kind !== "error" && !assignable(cond, BOOL)) {
    c.ctx.report("FE2091", e.condition.span, [showType(cond)], {
      help: cond.kind === "optional" && assignable(cond.inner, BOOL) ? "give it a default: `(COND) ?? false`" : "compare it to something, e.g. `len(s) > 0`",
    });
  }
  loopBound(c, e.max);
  return body(c, "loop", e.state.text, e.body, inner, state);
}

/** The bound of a loop: a positive whole number, or undefined after a reported mistake. */
export function loopBound(c: ExprChecker, max: A.IntLit | A.Ident): number | undefined {
  if (max.kind === "int") {
    if (max.value > 0) return max.value;
    c.ctx.report("FE2092", max.span, [`\`${max.value}\``], { help: "loop at least once: `max 1` or more" });
    return undefined;
  }
  const sym = c.ctx.scope(c.file).get(max.name);
  if (sym?.kind !== "const") {
    const consts = [...c.ctx.scope(c.file)].filter(([, s]) => s.kind === "const").map(([n]) => n);
    c.ctx.report("FE2093", max.span, [max.name], { help: didYouMean(max.name, consts) ?? "declare it at the top level: `const rounds = 4`, or write the number" });
    return undefined;
  }
  c.ctx.refs.set(max, { kind: "const", sym });
  const v = literalValue(sym.decl.value);
  if (typeof v === "number" && Number.isSafeInteger(v) && v > 0) return v;
  c.ctx.report("FE2092", max.span, [`\`${max.name}\` = \`${JSON.stringify(v === undefined || typeof v === "symbol" ? null : v)}\``], { help: "give the constant a whole number above 0" });
  return undefined;
}

function stateType(c: ExprChecker, init: A.Expr, scope: LocalScope, expected?: Type): Type {
  const t = c.check(init, scope, expected);
  // `[]` says nothing of its elements; the type the whole form must have does.
  if (t.kind === "list" && t.element.kind === "unknown" && expected?.kind === "list") return expected;
  if (t.kind === "map" && t.value.kind === "unknown" && expected?.kind === "map") return expected;
  return t;
}

function body(c: ExprChecker, form: string, state: string, b: A.Block, inner: LocalScope, stateT: Type): Type {
  const t = c.block(b, inner, { expected: stateT });
  if (t.kind !== "error" && stateT.kind !== "error" && !assignable(t, stateT)) {
    const last = b.statements[b.statements.length - 1];
    c.ctx.report("FE2090", last?.span ?? b.span, [form, state, showType(stateT), showType(t)], {
      help: `make the body's value a \`${showType(stateT)}\`, or start \`${state}\` with a value of the type the body gives`,
    });
    return ERROR;
  }
  return stateT;
}
