/**
 * `fold`: computes at compile time what depends only on constants: operators and builtins on
 * literals, records and lists of constants, prompts rendered with literal arguments, a
 * `cond` whose condition is known (the other branch disappears), and a `map`, `fold` or
 * `loop` over constants with a pure body. What would fail at run time (say, a division by zero) is left for
 * the run, which reports it with its location.
 */
import type { NewNode } from "../../ir/builder.js";
import { deps, directDeps, reachable, subgraphsOf } from "../../ir/graph.js";
import { evalLocal, evaluatePure, Frame, NotPure } from "../../ir/evaluate-pure.js";
import type { IrNode, IrProgram, NodeId, Subgraph } from "../../ir/nodes.js";
import { rewriteScope, type Rewriter } from "../../ir/rewrite.js";
import type { Value } from "../../ir/value.js";
import { FesteRuntimeError } from "../../ir/errors.js";
import { mapScopes, type Pass } from "./pass.js";

/** Longest list fold writes into the IR. */
const MAX_FOLDED_ITEMS = 10_000;

const FOLDABLE = new Set(["op", "record", "list", "get", "render", "map", "fold", "loop", "fuse"]);

/** What a subgraph's output needs from enclosing scopes (dead code in it does not count). */
function neededFreeRefs(g: Subgraph): NodeId[] {
  const free = new Set<NodeId>();
  for (const id of reachable(g)) for (const d of deps(g.nodes[id])) if (!(d in g.nodes)) free.add(d);
  if (!(g.output in g.nodes)) free.add(g.output);
  return [...free];
}

/** The folding rewriter; `fission` uses it too, on the loops it creates after `fold` ran. */
export function foldWith(program: IrProgram): Rewriter {
  return (moved, _original, b) => {
    const constOf = (id: NodeId) => {
      const n = b.lookup(id);
      return n?.kind === "const" ? n : undefined;
    };
    if (moved.kind === "cond") {
      const c = constOf(moved.condition);
      if (!c) return undefined;
      const branch = c.value === true ? moved.then : moved.else;
      for (const n of Object.values(branch.nodes)) b.adopt(n);
      return branch.output;
    }
    if (!FOLDABLE.has(moved.kind)) return undefined;
    const probe = { ...moved, id: "" } as IrNode;
    const needed = [...directDeps(probe), ...subgraphsOf(probe).flatMap(neededFreeRefs)];
    if (!needed.every((id) => constOf(id))) return undefined;
    const frame = new Frame(new Map());
    for (const id of needed) frame.values.set(id, constOf(id)!.value);
    let value: Value;
    try {
      value = moved.kind === "map" || moved.kind === "fold" || moved.kind === "loop" ? evaluatePure(program, { nodes: { probe: { ...probe, id: "probe" } }, output: "probe" }, frame) : evalLocal(program, probe, frame, (g, f) => evaluatePure(program, g, f));
    } catch (e) {
      if (e instanceof NotPure || e instanceof FesteRuntimeError) return undefined;
      throw e;
    }
    // A huge constant (`range(1000000)`) is cheaper to compute at run time than to carry.
    if (Array.isArray(value) && value.length > MAX_FOLDED_ITEMS) return undefined;
    return b.add({ kind: "const", type: moved.type, value } as NewNode);
  };
}

export const fold: Pass = {
  name: "fold",
  summary: "compute at compile time what depends only on constants",
  run: (program, cx) => mapScopes(program, (g) => rewriteScope(g, cx.ids, foldWith(program)), { prompts: true }),
};
