/**
 * Phase 3 for `feste test`: each `test` block of the root module becomes a parameterless
 * graph (named `test#1`, `test#2`, ... in source order; test names may be any string) whose
 * value holds each assert's outcome, as `src/ir/tests.ts` describes. The body is lowered
 * like a graph's, so graph calls are inlined and model calls batched by the optimizer.
 */
import type * as A from "../1-parse/ast.js";
import type { CheckedProgram } from "../2-check/index.js";
import { ScopeBuilder } from "../../ir/builder.js";
import type { IrGraph, NodeId } from "../../ir/nodes.js";
import type { IrAssert, IrTest, IrTestSuite } from "../../ir/tests.js";
import { BOOL, UNKNOWN, list } from "../../ir/types.js";
import { LowerContext } from "./context.js";
import { ExprLowerer } from "./lower-expr.js";

const COMPARISONS: Readonly<Record<string, string>> = { "==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge" };

/** The test graphs of the root module of `checked` and where their asserts are. */
export function lowerTests(checked: CheckedProgram): IrTestSuite {
  const cx = new LowerContext(checked);
  const root = checked.program.modules.get(checked.program.root)!;
  const graphs: Record<string, IrGraph> = Object.create(null) as Record<string, IrGraph>;
  const tests: IrTest[] = [];
  for (const d of root.module.declarations) {
    if (d.kind !== "testDecl") continue;
    const key = `test#${tests.length + 1}`;
    const lx = new ExprLowerer(cx, new ScopeBuilder(cx.ids));
    const { outcomes, asserts } = lowerBody(lx, d.body);
    const type = list(list(UNKNOWN));
    const output = lx.add({ kind: "list", type, items: outcomes }, d.body.span);
    graphs[key] = { name: key, params: [], type, ...lx.scope.finish(output), span: d.name.span };
    tests.push({ name: d.name.text, graph: key, span: d.name.span, asserts });
  }
  const sorted = <T>(o: Record<string, T>) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
  return { program: { graphs: sorted(graphs), prompts: sorted(cx.prompts), clients: sorted(cx.clients), types: sorted(cx.types) }, tests };
}

/**
 * The test's `let`s in order, and one outcome node per assert. (The checker allows asserts
 * only at the top of a test, so none hide in nested blocks.)
 */
function lowerBody(lx: ExprLowerer, body: A.Block): { outcomes: NodeId[]; asserts: IrAssert[] } {
  const env = new Map<string, NodeId>();
  const outcomes: NodeId[] = [];
  const asserts: IrAssert[] = [];
  for (const s of body.statements) {
    if (s.kind === "letStmt") env.set(s.name.text, lx.expr(s.value, env));
    else if (s.kind === "assertStmt") {
      const c = unparen(s.condition);
      const outcome = list(UNKNOWN);
      if (c.kind === "binary" && c.op in COMPARISONS) {
        const left = lx.expr(c.left, env);
        const right = lx.expr(c.right, env);
        const holds = lx.add({ kind: "op", type: BOOL, op: COMPARISONS[c.op], args: [left, right] }, c.span);
        outcomes.push(lx.add({ kind: "list", type: outcome, items: [holds, left, right] }, s.condition.span));
        asserts.push({ span: s.condition.span, compare: c.op as IrAssert["compare"] });
      } else {
        outcomes.push(lx.add({ kind: "list", type: outcome, items: [lx.expr(s.condition, env)] }, s.condition.span));
        asserts.push({ span: s.condition.span });
      }
    }
    // A trailing expression is a test's value, which nothing reads: the cull pass would drop it.
  }
  return { outcomes, asserts };
}

function unparen(e: A.Expr): A.Expr {
  return e.kind === "paren" ? unparen(e.expr) : e;
}
