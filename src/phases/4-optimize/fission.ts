/**
 * Loop fission, the half of `batch` that works on `for`: a model call in a `map` body that
 * depends on the loop element becomes one batched call over the list. The body is split at
 * the call: a `map` computes every element's prompt (or text), a `batch` sends them all, and
 * the rest of the body runs in a `map` that also walks the answers. Repeated until the body
 * holds no such call at its first model level; calls inside an `if` in the body stay per
 * element (the runtime batches those dynamically).
 */
import type { NewNode, ScopeBuilder } from "../../ir/builder.js";
import { reachable } from "../../ir/graph.js";
import type { IdTable } from "../../ir/ids.js";
import type { CallNode, EmbedNode, MapNode, NodeId, Subgraph } from "../../ir/nodes.js";
import { rewriteScope } from "../../ir/rewrite.js";
import { BOOL, list } from "../../ir/types.js";
import { involvesModel } from "./model-depth.js";

type MapShape = Omit<MapNode, "id">;

/** The in-scope nodes `id` needs, itself included. */
function ancestors(g: Subgraph, id: NodeId): Set<NodeId> {
  return reachable({ nodes: g.nodes, output: id });
}

/** Calls at the body's first model level that read the loop element. */
function firstLevelCalls(m: MapShape): (CallNode | EmbedNode)[] {
  const out: (CallNode | EmbedNode)[] = [];
  for (const n of Object.values(m.body.nodes)) {
    if (n.kind !== "call" && n.kind !== "embed") continue;
    if (n.kind === "call" && n.tools) continue;
    const up = ancestors(m.body, n.id);
    up.delete(n.id);
    const nodes = [...up].map((x) => m.body.nodes[x]);
    if (nodes.some(involvesModel)) continue;
    if (!nodes.some((x) => x.kind === "input" && m.bindings.includes(x.name))) continue;
    out.push(n);
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** Adds a loop fission created, folded when it works on constants only. */
type AddLoop = (shape: MapShape, b: ScopeBuilder, span: MapNode["span"]) => NodeId;

/** Adds the fissioned form of a map to `b` and returns the id of its final map. */
export function fissionMap(m: MapShape, b: ScopeBuilder, ids: IdTable, addLoop: AddLoop = (shape, inner, span) => inner.add(shape as NewNode, span)): NodeId | undefined {
  if (firstLevelCalls(m).length === 0) return undefined;
  let shape: MapShape = m;
  if (shape.filter) {
    // Filter first, so every split map walks the same (kept) elements; a filter that calls a
    // model is itself a loop to split.
    const maskShape: MapShape = { kind: "map", type: list(BOOL), lists: shape.lists, bindings: shape.bindings, body: shape.filter };
    const mask = fissionMap(maskShape, b, ids, addLoop) ?? addLoop(maskShape, b, m.span);
    const lists = shape.lists.map((l) => b.add({ kind: "op", type: b.lookup(l)?.type ?? list(BOOL), op: "filter_mask", args: [l, mask] } as NewNode));
    const { filter: _filter, ...rest } = shape;
    shape = { ...rest, lists };
  }
  for (let calls = firstLevelCalls(shape); calls.length > 0; calls = firstLevelCalls(shape)) {
    const lists = [...shape.lists];
    const bindings = [...shape.bindings];
    const answers = new Map<NodeId, NewNode>();
    for (const c of calls) {
      const inputId = c.kind === "call" ? c.prompt : c.input;
      const inputNode = shape.body.nodes[inputId];
      const keep = ancestors(shape.body, inputId);
      const body: Subgraph = { nodes: Object.fromEntries([...keep].map((x) => [x, shape.body.nodes[x]])), output: inputId };
      // A loop that hands each element straight to the model needs no map of its own.
      const direct = inputNode?.kind === "input" ? shape.bindings.indexOf(inputNode.name) : -1;
      const inputs = direct >= 0 ? shape.lists[direct] : addLoop({ kind: "map", type: list(inputNode?.type ?? c.type), lists: shape.lists, bindings: shape.bindings, body }, b, m.span);
      const itemIsList = c.kind === "embed" && inputNode?.type.kind === "list";
      const batch = b.add({
        kind: "batch",
        type: list(c.type),
        endpoint: c.kind,
        client: c.client,
        settings: c.settings,
        list: inputs,
        element: c.type,
        ...(itemIsList ? { itemIsList: true } : {}),
        // Two calls that must not merge make two batches, even over the same prompts.
        ...(c.site !== undefined ? { sites: [c.site] } : {}),
      } as NewNode, c.span);
      // Named after the batch and this loop's own binding: two loops batching the same calls
      // (one inside the other) must not share the name.
      const name = `$${batch}@${shape.bindings[0]}`;
      lists.push(batch);
      bindings.push(name);
      answers.set(c.id, { kind: "input", type: c.type, name } as NewNode);
    }
    const replaced = rewriteScope(shape.body, ids, (moved, original, inner) => {
      const answer = answers.get(original.id);
      return answer ? inner.add(answer, original.span) : undefined;
    });
    // What only fed the calls now batched is dead in the rest of the body.
    const body = rewriteScope(replaced, ids, () => undefined, { onlyReachable: true });
    shape = { ...shape, lists, bindings, body };
  }
  // A loop that only hands back each answer is the list of answers itself.
  const out = shape.body.nodes[shape.body.output];
  if (!shape.filter && out?.kind === "input" && Object.keys(shape.body.nodes).length === 1) {
    const k = shape.bindings.indexOf(out.name);
    if (k >= 0) return shape.lists[k];
  }
  return b.add(shape as NewNode, m.span);
}
