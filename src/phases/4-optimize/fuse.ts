/**
 * `fuse`: merges chains of local pure nodes into one task, so the scheduler deals with one
 * node where there were many. A pure node joins the group of its readers when they are all
 * pure and all in one group; each group of two or more becomes a `fuse` node whose body holds
 * the group. Groups are maximal, so fusing again changes nothing.
 */
import type { NewNode } from "../../ir/builder.js";
import { deps } from "../../ir/graph.js";
import { orderOf } from "../../ir/evaluate-pure.js";
import type { IrNode, NodeId, Subgraph } from "../../ir/nodes.js";
import { rewriteScope } from "../../ir/rewrite.js";
import { mapScopes, type Pass } from "./pass.js";

const FUSIBLE = new Set<IrNode["kind"]>(["const", "op", "record", "list", "get", "render", "fuse"]);

/** For each node that ends a group, the group's members in dependency order. */
function findGroups(g: Subgraph): Map<NodeId, NodeId[]> {
  const order = orderOf(g);
  const readers = new Map<NodeId, NodeId[]>();
  for (const id of order) for (const d of deps(g.nodes[id])) if (d in g.nodes) (readers.get(d) ?? readers.set(d, []).get(d)!).push(id);
  // Walk consumers before producers: a node joins its readers' group when they all belong
  // to one group (counting groups, not readers, keeps the groups maximal).
  const root = new Map<NodeId, NodeId>();
  for (let i = order.length - 1; i >= 0; i--) {
    const id = order[i];
    const r = readers.get(id) ?? [];
    const groups = new Set(r.map((x) => root.get(x)!));
    const joins = id !== g.output && r.length > 0 && groups.size === 1 && FUSIBLE.has(g.nodes[id].kind) && r.every((x) => FUSIBLE.has(g.nodes[x].kind));
    root.set(id, joins ? [...groups][0] : id);
  }
  const groups = new Map<NodeId, NodeId[]>();
  for (const id of order) (groups.get(root.get(id)!) ?? groups.set(root.get(id)!, []).get(root.get(id)!)!).push(id);
  for (const [k, members] of groups) if (members.length < 2) groups.delete(k);
  return groups;
}

function fuseScope(g: Subgraph, cx: Parameters<Pass["run"]>[1]): Subgraph {
  const groups = findGroups(g);
  const member = new Set([...groups.values()].flat());
  return rewriteScope(g, cx.ids, (moved, original, b, remap) => {
    // The groups were found for this scope; an inner scope's node with the same id is not one.
    if (b.parent) return undefined;
    const group = groups.get(original.id);
    if (group) {
      const body = rewriteScope({ nodes: Object.fromEntries(group.map((m) => [m, g.nodes[m]])), output: original.id }, cx.ids, () => undefined, {}, undefined, remap);
      return b.add({ kind: "fuse", type: original.type, body } as NewNode, original.span);
    }
    // Members other than a group's last node live only inside the fused body.
    return member.has(original.id) ? null : undefined;
  });
}

export const fuse: Pass = {
  name: "fuse",
  summary: "merge chains of local pure nodes into one task",
  run: (program, cx) => mapScopes(program, (g) => fuseScope(g, cx)),
};
