/** `cull`: drops every node the output does not need, model calls of unused `let`s included. */
import { rewriteScope } from "../../ir/rewrite.js";
import { mapScopes, type Pass } from "./pass.js";

export const cull: Pass = {
  name: "cull",
  summary: "drop what no output needs",
  run: (program, cx) => mapScopes(program, (g) => rewriteScope(g, cx.ids, () => undefined, { onlyReachable: true }), { prompts: true }),
};
