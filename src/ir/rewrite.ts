/**
 * Rebuilding scopes, the one mechanism every optimizer pass uses. Ids are content hashes, so
 * when a node changes, every node that reads it gets a new id too: `rewriteScope` walks a
 * scope in dependency order, remaps each node's dependencies to their new ids, rebuilds its
 * subgraphs the same way, and lets the pass replace the node.
 */
import { ScopeBuilder, type NewNode } from "./builder.js";
import { directDeps, reachable, subgraphsOf } from "./graph.js";
import { orderOf } from "./evaluate-pure.js";
import type { IdTable } from "./ids.js";
import type { IrNode, NodeId, Subgraph } from "./nodes.js";

/** Old ids to new ids, scope by scope. */
export class Remap {
  private readonly map = new Map<NodeId, NodeId>();

  constructor(readonly parent?: Remap) {}

  set(from: NodeId, to: NodeId): void {
    this.map.set(from, to);
  }

  get(id: NodeId): NodeId {
    for (let r: Remap | undefined = this; r; r = r.parent) {
      const to = r.map.get(id);
      if (to !== undefined) return to;
    }
    return id;
  }
}

/** A copy of a node (without its id) with every dependency and subgraph passed through `f`/`sub`. */
export function mapNode(n: IrNode, f: (id: NodeId) => NodeId, sub: (g: Subgraph) => Subgraph): NewNode {
  const { id: _id, span: _span, ...rest } = n;
  const ids = (xs: readonly NodeId[]) => xs.map(f);
  switch (rest.kind) {
    case "input":
    case "const":
      return rest;
    case "render":
    case "op":
    case "extern":
      return { ...rest, args: ids(rest.args) };
    case "call":
      return { ...rest, prompt: f(rest.prompt) };
    case "embed":
      return { ...rest, input: f(rest.input) };
    case "rerank":
      return { ...rest, query: f(rest.query), documents: f(rest.documents) };
    case "record":
      return { ...rest, fields: rest.fields.map(([k, v]) => [k, f(v)] as const) };
    case "list":
      return { ...rest, items: ids(rest.items) };
    case "get":
      return { ...rest, target: f(rest.target), ...(rest.index !== undefined ? { index: f(rest.index) } : {}) };
    case "map":
      return { ...rest, lists: ids(rest.lists), body: sub(rest.body), ...(rest.filter ? { filter: sub(rest.filter) } : {}) };
    case "fold":
      return { ...rest, init: f(rest.init), list: f(rest.list), body: sub(rest.body) };
    case "loop":
      return { ...rest, init: f(rest.init), until: sub(rest.until), body: sub(rest.body) };
    case "cond":
      return { ...rest, condition: f(rest.condition), then: sub(rest.then), else: sub(rest.else) };
    case "batch":
      return { ...rest, ...(rest.items ? { items: ids(rest.items) } : {}), ...(rest.list !== undefined ? { list: f(rest.list) } : {}) };
    case "pick":
      return { ...rest, batch: f(rest.batch) };
    case "fuse":
      return { ...rest, body: sub(rest.body) };
  }
}

/**
 * Decides what a node becomes: return an id (the node's replacement, built with `b`),
 * undefined to keep it as remapped, or null to leave it out (only for a node nothing else
 * in the scope reads). `moved` has new dependency ids and rebuilt subgraphs.
 */
export type Rewriter = (moved: NewNode, original: IrNode, b: ScopeBuilder, remap: Remap) => NodeId | undefined | null;

export interface RewriteOptions {
  /** Drop what the scope's output does not need (the `cull` pass). */
  readonly onlyReachable?: boolean;
}

/**
 * Rebuilds a scope through `rw`. A node whose dependencies and subgraphs come out unchanged
 * is kept as the same object (no rehashing), and a scope in which nothing changed is returned
 * as it was, so a pass that changes little costs little.
 */
export function rewriteScope(g: Subgraph, ids: IdTable, rw: Rewriter, opts: RewriteOptions = {}, parent?: ScopeBuilder, outer?: Remap): Subgraph {
  const b = new ScopeBuilder(ids, parent);
  const remap = new Remap(outer);
  const keep = opts.onlyReachable ? reachable(g) : undefined;
  let changed = false;
  for (const id of orderOf(g)) {
    if (keep && !keep.has(id)) {
      changed = true;
      continue;
    }
    const n = g.nodes[id];
    const oldSubs = subgraphsOf(n);
    const newSubs = oldSubs.map((s) => rewriteScope(s, ids, rw, opts, b, remap));
    const same = newSubs.every((s, i) => s === oldSubs[i]) && directDeps(n).every((d) => remap.get(d) === d);
    let k = 0;
    const moved = same ? (n as unknown as NewNode) : mapNode(n, (d) => remap.get(d), () => newSubs[k++]);
    const replaced = rw(moved, n, b, remap);
    if (replaced === null) {
      changed = true;
      continue;
    }
    const to = replaced ?? (same ? b.adopt(n) : b.add(moved, n.span));
    if (to !== id || !(to in b.nodes)) changed = true;
    remap.set(id, to);
  }
  const output = remap.get(g.output);
  return changed || output !== g.output ? b.finish(output) : g;
}
