/**
 * Model-call depth: how many model calls lie on the longest path to a node within its scope.
 * Calls at the same depth cannot depend on each other, so they may be sent together without
 * delaying either; a `map`, `fold`, `loop` or `cond` holding model calls counts as one level.
 */
import { deps, walkNodes } from "../../ir/graph.js";
import { isModelNode, type IrNode, type NodeId, type Subgraph } from "../../ir/nodes.js";
import { orderOf } from "../../ir/evaluate-pure.js";

const holdsModel = new WeakMap<IrNode, boolean>();

/** Whether a node is a model call or holds one in its subgraphs. */
export function involvesModel(n: IrNode): boolean {
  let v = holdsModel.get(n);
  if (v === undefined) {
    v = isModelNode(n);
    if (!v && (n.kind === "map" || n.kind === "fold" || n.kind === "loop" || n.kind === "cond" || n.kind === "fuse")) {
      walkNodes({ nodes: { [n.id]: n }, output: n.id }, (inner) => {
        if (isModelNode(inner)) v = true;
      });
    }
    holdsModel.set(n, v);
  }
  return v;
}

/** Depth of every node of the scope; what comes from enclosing scopes is at depth 0. */
export function modelDepths(g: Subgraph): Map<NodeId, number> {
  const depth = new Map<NodeId, number>();
  for (const id of orderOf(g)) {
    const n = g.nodes[id];
    let d = 0;
    for (const dep of deps(n)) d = Math.max(d, depth.get(dep) ?? 0);
    depth.set(id, d + (involvesModel(n) ? 1 : 0));
  }
  return depth;
}
