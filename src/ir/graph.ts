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
    case "fold":
      return [n.init, n.list];
    case "loop":
      return [n.init];
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
  if (n.kind === "fold") return [n.body];
  if (n.kind === "loop") return [n.until, n.body];
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
 * so the order is stable and reads like the program. Kahn's algorithm over integer indices
 * with a binary heap (n log n); dependencies outside the scope are taken as given.
 */
export function topoOrder(g: Subgraph): NodeId[] {
  const ids = Object.keys(g.nodes);
  const n = ids.length;
  const index = new Map<NodeId, number>();
  for (let i = 0; i < n; i++) index.set(ids[i], i);
  const pos = new Float64Array(n);
  const indegree = new Int32Array(n);
  const users: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    const node = g.nodes[ids[i]];
    pos[i] = node.span?.start ?? Number.MAX_SAFE_INTEGER;
    for (const d of deps(node)) {
      const j = index.get(d);
      if (j === undefined) continue;
      indegree[i]++;
      users[j].push(i);
    }
  }
  const before = (a: number, b: number) => pos[a] < pos[b] || (pos[a] === pos[b] && ids[a] < ids[b]);
  const heap: number[] = [];
  const push = (x: number) => {
    heap.push(x);
    for (let i = heap.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (!before(heap[i], heap[p])) break;
      [heap[p], heap[i]] = [heap[i], heap[p]];
      i = p;
    }
  };
  const pop = () => {
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l], heap[m])) m = l;
        if (r < heap.length && before(heap[r], heap[m])) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i], heap[m]];
        i = m;
      }
    }
    return top;
  };
  for (let i = 0; i < n; i++) if (indegree[i] === 0) push(i);
  const out: NodeId[] = [];
  while (heap.length > 0) {
    const i = pop();
    out.push(ids[i]);
    for (const u of users[i]) if (--indegree[u] === 0) push(u);
  }
  if (out.length !== n) throw new Error("IR invariant broken: the graph has a cycle");
  return out;
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
