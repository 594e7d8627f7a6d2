/**
 * Reading graphs: a node's dependencies (including what its subgraphs use from outside),
 * topological order, and walks. Pure functions over IR data; results are memoised per node
 * object, which is immutable.
 */
import type { IrNode, NodeId, Subgraph } from "./nodes.js";

/** The ids a node reads directly, not counting its subgraphs' insides. */
export function directDeps(n: IrNode): NodeId[] {
  switch (n.kind) {
    case "input":
    case "const":
      return [];
    case "render":
    case "op":
    case "extern":
      return [...n.args];
    case "call":
      return [n.prompt];
    case "embed":
      return [n.input];
    case "rerank":
      return [n.query, n.documents];
    case "record":
      return n.fields.map(([, id]) => id);
    case "list":
      return [...n.items];
    case "get":
      return n.index === undefined ? [n.target] : [n.target, n.index];
    case "map":
      return [...n.lists];
    case "cond":
      return [n.condition];
    case "batch":
      return n.items ? [...n.items] : [n.list!];
    case "pick":
      return [n.batch];
    case "fuse":
      return [];
  }
}

/** The subgraphs a node holds. */
export function subgraphsOf(n: IrNode): Subgraph[] {
  if (n.kind === "map") return n.filter ? [n.body, n.filter] : [n.body];
  if (n.kind === "cond") return [n.then, n.else];
  if (n.kind === "fuse") return [n.body];
  return [];
}

const freeCache = new WeakMap<Subgraph, NodeId[]>();

/** Ids a subgraph (and the subgraphs inside it) reads from enclosing scopes, sorted. */
export function freeRefs(g: Subgraph): NodeId[] {
  const cached = freeCache.get(g);
  if (cached) return cached;
  const free = new Set<NodeId>();
  for (const n of Object.values(g.nodes)) {
    for (const d of deps(n)) if (!(d in g.nodes)) free.add(d);
  }
  if (!(g.output in g.nodes)) free.add(g.output);
  const out = [...free].sort();
  freeCache.set(g, out);
  return out;
}

const depsCache = new WeakMap<IrNode, NodeId[]>();

/** Everything a node needs before it can run: direct reads and its subgraphs' free ids. */
export function deps(n: IrNode): NodeId[] {
  const cached = depsCache.get(n);
  if (cached) return cached;
  const all = new Set(directDeps(n));
  for (const g of subgraphsOf(n)) for (const d of freeRefs(g)) all.add(d);
  const out = [...all];
  depsCache.set(n, out);
  return out;
}

/**
 * The nodes of a scope in dependency order, ties broken by source position and then by id,
 * so the order is stable and reads like the program. Iterative Kahn's algorithm with a heap
 * (n log n); dependencies outside the scope are taken as given.
 */
export function topoOrder(g: Subgraph): NodeId[] {
  const ids = Object.keys(g.nodes).sort();
  const key = new Map(ids.map((id) => [id, `${String(g.nodes[id].span?.start ?? 9e15).padStart(16, "0")}:${id}`]));
  const indegree = new Map<NodeId, number>();
  const users = new Map<NodeId, NodeId[]>();
  for (const id of ids) {
    const inScope = deps(g.nodes[id]).filter((d) => d in g.nodes);
    indegree.set(id, inScope.length);
    for (const d of inScope) {
      const list = users.get(d);
      if (list) list.push(id);
      else users.set(d, [id]);
    }
  }
  const ready = new MinHeap();
  for (const id of ids) if (indegree.get(id) === 0) ready.push(key.get(id)!);
  const out: NodeId[] = [];
  while (ready.size > 0) {
    const id = ready.pop().slice(17);
    out.push(id);
    for (const u of users.get(id) ?? []) {
      const k = indegree.get(u)! - 1;
      indegree.set(u, k);
      if (k === 0) ready.push(key.get(u)!);
    }
  }
  if (out.length !== ids.length) throw new Error("IR invariant broken: the graph has a cycle");
  return out;
}

/** A binary min-heap of sort keys, for a stable topological order in n log n. */
class MinHeap {
  private readonly xs: NodeId[] = [];

  get size(): number {
    return this.xs.length;
  }

  push(x: NodeId): void {
    const xs = this.xs;
    xs.push(x);
    let i = xs.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (xs[p] <= xs[i]) break;
      [xs[p], xs[i]] = [xs[i], xs[p]];
      i = p;
    }
  }

  pop(): NodeId {
    const xs = this.xs;
    const top = xs[0];
    const last = xs.pop()!;
    if (xs.length > 0) {
      xs[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < xs.length && xs[l] < xs[m]) m = l;
        if (r < xs.length && xs[r] < xs[m]) m = r;
        if (m === i) break;
        [xs[m], xs[i]] = [xs[i], xs[m]];
        i = m;
      }
    }
    return top;
  }
}

/** The ids reachable from the scope's output (and from anything its subgraphs read). */
export function reachable(g: Subgraph): Set<NodeId> {
  const seen = new Set<NodeId>();
  const stack = [g.output];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id) || !(id in g.nodes)) continue;
    seen.add(id);
    stack.push(...deps(g.nodes[id]));
  }
  return seen;
}

/** Calls `visit` on every node of a scope and of all subgraphs inside it, outermost first. */
export function walkNodes(g: Subgraph, visit: (n: IrNode, scope: Subgraph) => void): void {
  const stack: Subgraph[] = [g];
  while (stack.length > 0) {
    const scope = stack.pop()!;
    for (const id of Object.keys(scope.nodes).sort()) {
      const n = scope.nodes[id];
      visit(n, scope);
      stack.push(...subgraphsOf(n));
    }
  }
}
