/**
 * `dedupe`: merges equal nodes. Pure nodes are already one node per distinct content; this
 * pass lets identical model calls merge too, where that cannot change an answer: embeddings
 * and rerankings always, chat and completion calls when their effective temperature is 0 or
 * the client says `dedupe: true`. A call at another temperature keeps its call site, so two
 * such calls stay two calls. Inner scopes stop recomputing what their enclosing scope has.
 */
import type { NewNode } from "../../ir/builder.js";
import { answersAlike } from "../../ir/clients.js";
import type { IrProgram } from "../../ir/nodes.js";
import { rewriteScope, type Rewriter } from "../../ir/rewrite.js";
import { mapScopes, type Pass } from "./pass.js";

/** Drops the call site of calls that every client behind them would answer alike. */
function stripSites(program: IrProgram): Rewriter {
  return (moved, original, b) => {
    if (moved.kind !== "call" && moved.kind !== "embed" && moved.kind !== "rerank") return undefined;
    if (moved.site === undefined || (moved.kind === "call" && moved.tools) || !answersAlike(program, moved.client, moved.kind, moved.settings)) return undefined;
    const { site: _site, ...rest } = moved;
    return b.add(rest as NewNode, original.span);
  };
}

export const dedupe: Pass = {
  name: "dedupe",
  summary: "merge equal nodes, and identical model calls where the answer cannot differ",
  run: (program, cx) => mapScopes(program, (g) => rewriteScope(g, cx.ids, stripSites(program)), { prompts: true }),
};
