/**
 * `batch`: sends model calls together. First, loop fission turns calls inside `for` bodies
 * into one batched call over the list. Then, in every scope, calls that share a batch key
 * (client, every effective setting, answer type; for embeddings, whether the input is one
 * text or a list) and sit at the same model-call depth become one `batch` node read back
 * with `pick`. Calls at different depths are never merged statically, so no call waits for
 * one it does not depend on; the runtime's dynamic batching covers those. How many requests
 * a batch needs follows the endpoint's limits (`src/ir/requests.ts`).
 */
import { canonical, ScopeBuilder, type NewNode } from "../../ir/builder.js";
import type { IdTable } from "../../ir/ids.js";
import { typeKey } from "../../ir/ids.js";
import type { IrNode, IrProgram, MapNode, NodeId, Subgraph } from "../../ir/nodes.js";
import { cullScope } from "./cull.js";
import { foldWith } from "./fold.js";
import { mapNode, Remap, rewriteScope } from "../../ir/rewrite.js";
import { list } from "../../ir/types.js";
import { deps, directDeps, subgraphsOf } from "../../ir/graph.js";
import { orderOf } from "../../ir/evaluate-pure.js";
import { fissionMap } from "./fission.js";
import { modelDepths } from "./model-depth.js";
import { mapScopes, type Pass } from "./pass.js";

function batchKey(n: IrNode): string | undefined {
  // A tool-calling conversation is one call of its own; its turns batch at run time.
  if (n.kind === "call" && n.tools) return undefined;
  if (n.kind === "call") return JSON.stringify(["call", n.client, canonical({ ...n.settings } as never), typeKey(n.type)]);
  // Embeddings of one text and of a list of texts share requests: the texts travel together.
  if (n.kind === "embed") return JSON.stringify(["embed", n.client, canonical({ ...n.settings } as never)]);
  return undefined;
}

/** Groups of two or more calls that may share a batch, each sorted by id. */
function groups(g: Subgraph): NodeId[][] {
  const depth = modelDepths(g);
  const byKey = new Map<string, NodeId[]>();
  for (const id of orderOf(g)) {
    const key = batchKey(g.nodes[id]);
    if (key === undefined) continue;
    const k = `${depth.get(id)}|${key}`;
    const members = byKey.get(k);
    if (members) members.push(id);
    else byKey.set(k, [id]);
  }
  // Members in source order, so the first call written is item 0.
  const at = (id: NodeId) => g.nodes[id].span?.start ?? 0;
  return [...byKey.values()].filter((ids) => ids.length > 1).map((ids) => ids.sort((a, b) => at(a) - at(b) || (a < b ? -1 : 1)));
}

/**
 * A dependency order in which each group's members come together, after all their inputs.
 * Members of a group are at one depth, so none depends on another and no cycle can form.
 */
function unitOrder(g: Subgraph, grouped: NodeId[][]): NodeId[][] {
  const unitOf = new Map<NodeId, number>();
  const units: NodeId[][] = [];
  for (const members of grouped) {
    for (const m of members) unitOf.set(m, units.length);
    units.push(members);
  }
  for (const id of orderOf(g)) if (!unitOf.has(id)) unitOf.set(id, units.push([id]) - 1);
  const indegree = units.map(() => 0);
  const users: number[][] = units.map(() => []);
  units.forEach((members, u) => {
    const needs = new Set<number>();
    for (const m of members) for (const d of deps(g.nodes[m])) if (d in g.nodes && unitOf.get(d) !== u) needs.add(unitOf.get(d)!);
    indegree[u] = needs.size;
    for (const v of needs) users[v].push(u);
  });
  const ready = units.map((_, u) => u).filter((u) => indegree[u] === 0);
  const out: NodeId[][] = [];
  while (ready.length > 0) {
    const u = ready.pop()!;
    out.push(units[u]);
    for (const v of users[u]) if (--indegree[v] === 0) ready.push(v);
  }
  return out;
}

function batchScope(g: Subgraph, ids: IdTable, parent?: ScopeBuilder, outer?: Remap): Subgraph {
  const b = new ScopeBuilder(ids, parent);
  const remap = new Remap(outer);
  for (const unit of unitOrder(g, groups(g))) {
    if (unit.length === 1) {
      const n = g.nodes[unit[0]];
      const oldSubs = subgraphsOf(n);
      const newSubs = oldSubs.map((s) => batchScope(s, ids, b, remap));
      // Unchanged nodes are kept as they are: no rebuilding, no rehashing.
      const same = newSubs.every((s, i) => s === oldSubs[i]) && directDeps(n).every((d) => remap.get(d) === d);
      let k = 0;
      remap.set(n.id, same ? b.adopt(n) : b.add(mapNode(n, (d) => remap.get(d), () => newSubs[k++]), n.span));
      continue;
    }
    const members = unit.map((id) => g.nodes[id] as Extract<IrNode, { kind: "call" | "embed" }>);
    const first = members[0];
    const items = members.map((m) => remap.get(m.kind === "call" ? m.prompt : m.input));
    const listItems = members.map((m) => m.kind === "embed" && m.type.kind === "list" && m.type.element.kind === "list");
    const batch = b.add(
      {
        kind: "batch",
        type: list(first.type),
        endpoint: first.kind,
        client: first.client,
        settings: first.settings,
        items,
        element: first.type,
        ...(listItems.some(Boolean) ? { listItems } : {}),
        ...(members.some((m) => m.site !== undefined) ? { sites: members.map((m) => m.site ?? "") } : {}),
      } as NewNode,
      first.span,
    );
    members.forEach((m, i) => remap.set(m.id, b.add({ kind: "pick", type: m.type, batch, index: i } as NewNode, m.span)));
  }
  const out = b.finish(remap.get(g.output));
  const unchanged = out.output === g.output && Object.keys(out.nodes).length === Object.keys(g.nodes).length && Object.keys(g.nodes).every((id) => out.nodes[id] === g.nodes[id]);
  return unchanged ? g : out;
}

/** Fission of every `map`, innermost first (subgraphs are rewritten before their node). */
function fissionScope(g: Subgraph, ids: IdTable, program: IrProgram): Subgraph {
  const fold = foldWith(program);
  // A loop fission creates over constants (say, the prompts of a constant list) is folded here,
  // since `fold` has already run.
  const addLoop = (shape: Omit<MapNode, "id">, b: ScopeBuilder, span: MapNode["span"]) => fold(shape as NewNode, shape as never, b, new Remap()) ?? b.add(shape as NewNode, span);
  return rewriteScope(g, ids, (moved, _original, b) => (moved.kind === "map" ? fissionMap(moved, b, ids, addLoop) : undefined));
}

export const batch: Pass = {
  name: "batch",
  summary: "send model calls together: calls in a loop as one batch over the list, equal calls at one depth as one group",
  // Fission can leave the loop it replaced, and what only that loop read, dead.
  run: (program, cx) => mapScopes(program, (g) => cullScope(batchScope(fissionScope(g, cx.ids, program), cx.ids), cx)),
};
