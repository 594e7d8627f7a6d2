/**
 * Asserts stand at the top of a `test` block: `feste test` checks each one once, in order.
 * One inside an `if` or `for` would run per element or not at all, which reads like a check
 * but is not one, so it is an error (FE2054).
 */
import type * as A from "../1-parse/ast.js";
import type { CheckContext } from "./context.js";

/** Reports every assert in a block nested inside the test's own block. */
export function reportNestedAsserts(ctx: CheckContext, test: A.Block): void {
  for (const s of test.statements) {
    if (s.kind === "letStmt") inExpr(ctx, s.value);
    else if (s.kind === "assertStmt") inExpr(ctx, s.condition);
    else inExpr(ctx, s.expr);
  }
}

function inBlock(ctx: CheckContext, b: A.Block): void {
  for (const s of b.statements) {
    if (s.kind === "assertStmt") ctx.report("FE2054", s.span, [], { help: "bind what you want to check with `let` and assert it at the top of the test" });
  }
  reportNestedAsserts(ctx, b);
}

function inExpr(ctx: CheckContext, e: A.Expr): void {
  switch (e.kind) {
    case "if":
      inExpr(ctx, e.condition);
      inBlock(ctx, e.then);
      if (e.else) e.else.kind === "block" ? inBlock(ctx, e.else) : inExpr(ctx, e.else);
      return;
    case "for":
      inExpr(ctx, e.iterable);
      if (e.filter) inExpr(ctx, e.filter);
      inBlock(ctx, e.body);
      return;
    case "fold":
      inExpr(ctx, e.init);
      inExpr(ctx, e.iterable);
      inBlock(ctx, e.body);
      return;
    case "loop":
      inExpr(ctx, e.init);
      inExpr(ctx, e.condition);
      inBlock(ctx, e.body);
      return;
    case "record":
      for (const f of e.fields) inExpr(ctx, f.value);
      return;
    case "list":
      for (const i of e.items) inExpr(ctx, i);
      return;
    case "map":
      for (const m of e.entries) inExpr(ctx, m.value);
      return;
    case "binary":
      inExpr(ctx, e.left);
      inExpr(ctx, e.right);
      return;
    case "unary":
      inExpr(ctx, e.operand);
      return;
    case "paren":
      inExpr(ctx, e.expr);
      return;
    case "call":
      inExpr(ctx, e.callee);
      for (const a of e.args) inExpr(ctx, a.value);
      return;
    case "field":
      inExpr(ctx, e.target);
      return;
    case "index":
      inExpr(ctx, e.target);
      inExpr(ctx, e.index);
      return;
    default:
      return;
  }
}
