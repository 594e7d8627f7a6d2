/**
 * Builds the node table of one scope with hash-consing: adding a node whose content is
 * already there returns the existing id. Used by lowering and by every optimizer pass, so
 * ids mean the same thing everywhere.
 */
import type { Span } from "../diagnostics/diagnostic.js";
import { IdTable, typeKey } from "./ids.js";
import type { IrNode, NodeId, Subgraph } from "./nodes.js";

/** A node as built, before it has an id. */
export type NewNode = IrNode extends infer N ? (N extends IrNode ? Omit<N, "id"> : never) : never;

/** Canonical text of a node's content: sorted keys, types in full, subgraphs by their ids. */
export function canonical(n: NewNode | IrNode): string {
  return JSON.stringify(n, (key, value) => {
    if (key === "id" || key === "span") return undefined;
    if (key === "type" || key === "element") return typeKey(value);
    if (value && typeof value === "object" && !Array.isArray(value)) {
      if ("nodes" in value && "output" in value) return { output: value.output, nodes: Object.keys(value.nodes).sort() };
      return Object.fromEntries(Object.keys(value).sort().map((k) => [k, value[k]]));
    }
    return value;
  });
}

export class ScopeBuilder {
  readonly nodes: Record<NodeId, IrNode> = {};

  /**
   * With a `parent`, a node equal to one the enclosing scope already computes is not added
   * again: the inner scope reads the outer node (which its own dependencies then include).
   */
  constructor(
    readonly ids: IdTable,
    readonly parent?: ScopeBuilder,
  ) {}

  /** The node with this id in this scope or an enclosing one. */
  lookup(id: NodeId): IrNode | undefined {
    for (let b: ScopeBuilder | undefined = this; b; b = b.parent) if (id in b.nodes) return b.nodes[id];
    return undefined;
  }

  /** Adds a node (or finds its equal) and returns its id. The first span wins. */
  add(node: NewNode, span?: Span): NodeId {
    const id = this.ids.idFor(node.kind, canonical(node));
    if (!(id in this.nodes) && !this.parent?.lookup(id)) this.nodes[id] = { ...node, id, ...(span ? { span } : {}) } as IrNode;
    return id;
  }

  /** Puts an already built node in this scope as it is. */
  adopt(node: IrNode): NodeId {
    if (!(node.id in this.nodes)) this.nodes[node.id] = node;
    return node.id;
  }

  finish(output: NodeId): Subgraph {
    return { nodes: this.nodes, output };
  }
}
