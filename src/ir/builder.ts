/**
 * Builds the node table of one scope with hash-consing: adding a node whose content is
 * already there returns the existing id. Used by lowering and by every optimizer pass, so
 * ids mean the same thing everywhere.
 */
import type { Span } from "../diagnostics/diagnostic.js";
import { IdTable, typeKey } from "./ids.js";
import type { IrNode, NodeId, Subgraph } from "./nodes.js";
import type { Type } from "./types.js";

/** A node as built, before it has an id. */
export type NewNode = IrNode extends infer N ? (N extends IrNode ? Omit<N, "id"> : never) : never;

/** JSON with object keys sorted, so equal settings give equal text. */
function stable(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${stable(o[k])}`).join(",")}}`;
}

/**
 * JSON with object keys in their own order, for a constant that may hold a map: `{"a": 1,
 * "b": 2}` and `{"b": 2, "a": 1}` are different maps (`keys` tells them apart), so they must
 * not merge.
 */
function ordered(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return `[${v.map(ordered).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).map((k) => `${JSON.stringify(k)}:${ordered(o[k])}`).join(",")}}`;
}

/** Whether values of this type may hold a map, whose key order is part of the value. */
function holdsMap(t: Type | undefined): boolean {
  if (t === undefined) return false;
  if (t.kind === "map") return true;
  if (t.kind === "list") return holdsMap(t.element);
  if (t.kind === "optional") return holdsMap(t.inner);
  // A record's fields come in declaration order, but a field may be a map.
  return t.kind === "record" || t.kind === "unknown";
}

/** The fields that hold subgraphs (a constant record may have `nodes` and `output` too). */
const SUBGRAPH_FIELDS = new Set(["body", "filter", "then", "else", "until"]);

/**
 * Canonical text of a node's content: its fields in sorted order, types written in full and
 * subgraphs by their output and node ids. Equal content, equal text.
 */
export function canonical(n: NewNode | IrNode): string {
  const rec = n as unknown as Record<string, unknown>;
  let out = "";
  for (const key of Object.keys(rec).sort()) {
    if (key === "id" || key === "span") continue;
    const v = rec[key];
    if (v === undefined) continue;
    let text: string;
    if (key === "type" || key === "element") text = typeKey(v as Type);
    else if (SUBGRAPH_FIELDS.has(key)) {
      const g = v as Subgraph;
      text = `<${g.output};${Object.keys(g.nodes).sort().join(",")}>`;
    } else text = key === "value" && holdsMap(rec.type as Type) ? ordered(v) : stable(v);
    out += `${key}=${text};`;
  }
  return out;
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
    if (!(id in this.nodes) && !this.inEnclosing(node.kind, id)) this.nodes[id] = { ...node, id, ...(span ? { span } : {}) } as IrNode;
    return id;
  }

  /** Puts an already built node in this scope as it is (unless an enclosing scope has it). */
  adopt(node: IrNode): NodeId {
    if (!(node.id in this.nodes) && !this.inEnclosing(node.kind, node.id)) this.nodes[node.id] = node;
    return node.id;
  }

  /** An `input` binds a value in its own scope, so it is never taken from an enclosing one. */
  private inEnclosing(kind: string, id: NodeId): boolean {
    return kind !== "input" && this.parent?.lookup(id) !== undefined;
  }

  finish(output: NodeId): Subgraph {
    return { nodes: this.nodes, output };
  }
}
