/**
 * Pictures of a graph: Graphviz DOT and Mermaid. Nodes are labelled with their kind, what
 * they act on and the `.feste` line they come from; a batch and its picks are drawn as one
 * cluster, and so are the bodies of loops and branches. Output is deterministic.
 */
import { deps, topoOrder } from "./graph.js";
import type { IrGraph, IrNode, NodeId, Subgraph } from "./nodes.js";

/** Where a node comes from, as the caller renders it (e.g. `support.feste:42`). */
export type LineOf = (n: IrNode) => string | undefined;

interface Cluster {
  readonly label: string;
  readonly nodes: NodeId[];
  readonly clusters: Cluster[];
}

function label(n: IrNode): string {
  switch (n.kind) {
    case "input":
      return `input ${n.name.replace(/#\d+$/, "")}`;
    case "const":
      return "const";
    case "render":
      return `render ${n.prompt}`;
    case "call":
    case "embed":
    case "rerank":
      return `${n.kind} ${n.client}`;
    case "op":
      return n.op;
    case "extern":
      return `extern ${n.fn}`;
    case "get":
      return n.field !== undefined ? `.${n.field}` : "[index]";
    case "batch":
      return `batch ${n.client}${n.items ? ` ×${n.items.length}` : " over list"}`;
    case "pick":
      return `pick ${n.index}`;
    case "map":
      return "for";
    case "fuse":
      return `fused ${Object.keys(n.body.nodes).length}`;
    default:
      return n.kind;
  }
}

/** Walks the graph once: aliases, labels, edges and clusters. */
function layout(g: IrGraph, lineOf: LineOf) {
  const alias = new Map<NodeId, string>();
  const labels: [string, string, IrNode][] = [];
  const edges: [string, string][] = [];
  const visit = (scope: Subgraph, clusterLabel: string): Cluster => {
    const cluster: Cluster = { label: clusterLabel, nodes: [], clusters: [] };
    const order = topoOrder(scope);
    for (const id of order) {
      const a = `n${alias.size + 1}`;
      alias.set(id, a);
      const n = scope.nodes[id];
      const line = lineOf(n);
      labels.push([a, line ? `${label(n)}\n${line}` : label(n), n]);
    }
    const batches = new Map<NodeId, string[]>();
    for (const id of order) {
      const n = scope.nodes[id];
      if (n.kind === "batch") batches.set(id, [alias.get(id)!]);
    }
    for (const id of order) {
      const n = scope.nodes[id];
      for (const d of deps(n)) if (alias.has(d)) edges.push([alias.get(d)!, alias.get(id)!]);
      if (n.kind === "pick" && batches.has(n.batch)) batches.get(n.batch)!.push(alias.get(id)!);
      else if (!batches.has(id)) cluster.nodes.push(alias.get(id)!);
      if (n.kind === "map") cluster.clusters.push(visit(n.body, "for each element"));
      if (n.kind === "cond") cluster.clusters.push(visit(n.then, "then"), visit(n.else, "else"));
    }
    for (const [id, members] of batches) cluster.clusters.push({ label: label(scope.nodes[id]), nodes: members, clusters: [] });
    return cluster;
  };
  const root = visit(g, g.name);
  return { labels, edges, root };
}

const dotText = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

export function toDot(g: IrGraph, lineOf: LineOf = () => undefined): string {
  const { labels, edges, root } = layout(g, lineOf);
  const out = [`digraph ${dotText(g.name)} {`, "  rankdir=TB;", '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica"];'];
  for (const [a, text, n] of labels) {
    const fill = n.kind === "call" || n.kind === "embed" || n.kind === "rerank" || n.kind === "batch" ? ', fillcolor="#dbeafe"' : "";
    out.push(`  ${a} [label=${dotText(text)}${fill}];`);
  }
  let k = 0;
  const cluster = (c: Cluster, indent: string) => {
    for (const inner of c.clusters) {
      out.push(`${indent}subgraph cluster_${++k} {`, `${indent}  label=${dotText(inner.label)}; style=dashed;`);
      if (inner.nodes.length) out.push(`${indent}  ${inner.nodes.join("; ")};`);
      cluster(inner, indent + "  ");
      out.push(`${indent}}`);
    }
  };
  cluster(root, "  ");
  for (const [from, to] of edges) out.push(`  ${from} -> ${to};`);
  out.push("}");
  return out.join("\n") + "\n";
}

const mermaidText = (s: string) => `"${s.replace(/"/g, "#quot;").replace(/\n/g, "<br/>")}"`;

export function toMermaid(g: IrGraph, lineOf: LineOf = () => undefined): string {
  const { labels, edges, root } = layout(g, lineOf);
  const out = ["flowchart TD"];
  for (const [a, text] of labels) out.push(`  ${a}[${mermaidText(text)}]`);
  let k = 0;
  const cluster = (c: Cluster, indent: string) => {
    for (const inner of c.clusters) {
      out.push(`${indent}subgraph c${++k}[${mermaidText(inner.label)}]`);
      for (const n of inner.nodes) out.push(`${indent}  ${n}`);
      cluster(inner, indent + "  ");
      out.push(`${indent}end`);
    }
  };
  cluster(root, "  ");
  for (const [from, to] of edges) out.push(`  ${from} --> ${to}`);
  return out.join("\n") + "\n";
}
