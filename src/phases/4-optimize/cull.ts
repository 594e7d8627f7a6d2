/**
 * `cull`: drops every node the output does not need, model calls of unused `let`s included.
 * What an outer scope keeps is decided before its inner scopes are culled, so a node read
 * only by dead code in a loop body survives one round: rounds repeat until nothing changes
 * (usually two; an unchanged round returns the same graph and costs little).
 */
import type { Subgraph } from "../../ir/nodes.js";
import { rewriteScope } from "../../ir/rewrite.js";
import { mapScopes, type Pass, type PassContext } from "./pass.js";

/** Drops what the scope's output does not need, inner scopes included, to a fixpoint. */
export function cullScope(g: Subgraph, cx: PassContext): Subgraph {
  for (;;) {
    const next = rewriteScope(g, cx.ids, () => undefined, { onlyReachable: true });
    if (next === g) return g;
    g = next;
  }
}

export const cull: Pass = {
  name: "cull",
  summary: "drop what no output needs",
  run: (program, cx) => mapScopes(program, (g) => cullScope(g, cx), { prompts: true }),
};
