/**
 * What the scheduler needs to know about a scope before running it, computed once per
 * subgraph: for each node, how many events it waits for, and whom each node's completion
 * (or, for lists that arrive element by element, its start) releases.
 */
import { deps, freeRefs, subgraphsOf } from "../ir/graph.js";
import { orderOf } from "../ir/evaluate-pure.js";
import type { IrNode, NodeId, Subgraph } from "../ir/nodes.js";

export interface ScopeShape {
  /** Nodes in dependency order. */
  readonly ids: readonly NodeId[];
  /** Events each node waits for before it may start. */
  readonly gates: ReadonlyMap<NodeId, number>;
  /** Nodes released when a node's value is complete. */
  readonly onDone: ReadonlyMap<NodeId, readonly NodeId[]>;
  /** Nodes released as soon as a node starts producing its elements. */
  readonly onStart: ReadonlyMap<NodeId, readonly NodeId[]>;
  /** Fixed batches told, item by item, when an item of theirs is complete. */
  readonly onItem: ReadonlyMap<NodeId, readonly { readonly batch: NodeId; readonly index: number }[]>;
}

/** Nodes whose result arrives element by element. */
export function streams(n: IrNode): boolean {
  return (n.kind === "map" && !n.filter) || n.kind === "batch";
}

/** The dependencies a node can read element by element (the rest it needs whole). */
function elementwise(n: IrNode): Set<NodeId> {
  let direct: NodeId[] = [];
  if (n.kind === "map") direct = [...n.lists];
  else if (n.kind === "batch" && n.list) direct = [n.list];
  else if (n.kind === "pick") direct = [n.batch];
  const whole = new Set(subgraphsOf(n).flatMap((g) => freeRefs(g)));
  return new Set(direct.filter((d) => !whole.has(d)));
}

const shapes = new WeakMap<Subgraph, ScopeShape>();

export function shapeOf(g: Subgraph): ScopeShape {
  const known = shapes.get(g);
  if (known) return known;
  const gates = new Map<NodeId, number>();
  const onDone = new Map<NodeId, NodeId[]>();
  const onStart = new Map<NodeId, NodeId[]>();
  const onItem = new Map<NodeId, { batch: NodeId; index: number }[]>();
  const add = <T>(m: Map<NodeId, T[]>, k: NodeId, v: T) => (m.get(k) ?? m.set(k, []).get(k)!).push(v);
  for (const id of Object.keys(g.nodes)) {
    const n = g.nodes[id];
    const byElement = elementwise(n);
    let count = 0;
    if (n.kind === "batch" && n.items) {
      // A fixed batch starts at once and sends each item as it becomes ready.
      n.items.forEach((item, index) => item in g.nodes && add(onItem, item, { batch: id, index }));
    } else {
      for (const d of deps(n)) {
        if (!(d in g.nodes)) continue;
        count++;
        add(byElement.has(d) && streams(g.nodes[d]) ? onStart : onDone, d, id);
      }
    }
    gates.set(id, count);
  }
  const shape = { ids: orderOf(g), gates, onDone, onStart, onItem };
  shapes.set(g, shape);
  return shape;
}
