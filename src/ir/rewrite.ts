/**
 * Rebuilding scopes, the one mechanism every optimizer pass uses. Ids are content hashes, so
 * when a node changes, every node that reads it gets a new id too: `rewriteScope` walks a
 * scope in dependency order, remaps each node's dependencies to their new ids, rebuilds its
 * subgraphs the same way, and lets the pass replace the node.
 */
import { ScopeBuilder, type NewNode } from "./builder.js";
import { reachable, topoOrder } from "./graph.js";
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

export function rewriteScope(g: Subgraph, ids: IdTable, rw: Rewriter, opts: RewriteOptions = {}, parent?: ScopeBuilder, outer?: Remap): Subgraph {
  const b = new ScopeBuilder(ids, parent);
  const remap = new Remap(outer);
  const keep = opts.onlyReachable ? reachable(g) : undefined;
  for (const id of topoOrder(g)) {
    if (keep && !keep.has(id)) continue;
    const n = g.nodes[id];
    const moved = mapNode(n, (d) => remap.get(d), (s) => rewriteScope(s, ids, rw, opts, b, remap));
    const replaced = rw(moved, n, b, remap);
    if (replaced === null) continue;
    remap.set(id, replaced ?? b.add(moved, n.span));
  }
  return b.finish(remap.get(g.output));
}
