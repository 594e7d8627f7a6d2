/**
 * Pictures of a graph: Graphviz DOT and Mermaid. Nodes are labelled with their kind, what
 * they act on and the `.feste` line they come from; a batch and its picks are drawn as one
 * cluster, and so are the bodies of loops and branches. Given client colours, model calls
 * and batch clusters take their client's colour and a legend names the clients. Output is
 * deterministic.
 */
import type { ClientColor } from "./client-colors.js";
import { deps, topoOrder } from "./graph.js";
import type { IrGraph, IrNode, NodeId, Subgraph } from "./nodes.js";

/** Where a node comes from, as the caller renders it (e.g. `support.feste:42`). */
export type LineOf = (n: IrNode) => string | undefined;

interface Cluster {
  readonly label: string;
  /** The client of a batch cluster. */
  readonly client?: string;
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
      return `extern ${n.io ? "io " : ""}${n.fn}`;
    case "get":
      return n.field !== undefined ? `.${n.field}` : "[index]";
    case "batch":
      return `batch ${n.client}${n.items ? ` ×${n.items.length}` : " over list"}`;
    case "pick":
      return `pick ${n.index}`;
    case "map":
      return "for";
    case "fold":
      return "fold";
    case "loop":
      return `loop max ${n.max}`;
    case "fuse":
      return `fused ${Object.keys(n.body.nodes).length}`;
    default:
      return n.kind;
  }
}

/**
 * Walks the graph once: aliases, labels, edges and clusters. Ids are hashes of content, so
 * the same id can stand for a node in two loop bodies: aliases are given per scope, and a
 * body sees the aliases of the scopes around it.
 */
function layout(g: IrGraph, lineOf: LineOf) {
  let count = 0;
  const labels: [string, string, IrNode][] = [];
  const edges: [string, string][] = [];
  const visit = (scope: Subgraph, clusterLabel: string, outer: ReadonlyMap<NodeId, string>): Cluster => {
    const cluster: Cluster = { label: clusterLabel, nodes: [], clusters: [] };
    const alias = new Map(outer);
    const order = topoOrder(scope);
    for (const id of order) {
      const a = `n${++count}`;
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
      if (n.kind === "map") cluster.clusters.push(visit(n.body, "for each element", alias));
      if (n.kind === "cond") cluster.clusters.push(visit(n.then, "then", alias), visit(n.else, "else", alias));
      if (n.kind === "fold") cluster.clusters.push(visit(n.body, "each step", alias));
      if (n.kind === "loop") cluster.clusters.push(visit(n.until, "until", alias), visit(n.body, `each round (at most ${n.max})`, alias));
    }
    for (const [id, members] of batches) cluster.clusters.push({ label: label(scope.nodes[id]), client: clientOf(scope.nodes[id]), nodes: members, clusters: [] });
    return cluster;
  };
  const root = visit(g, g.name, new Map());
  return { labels, edges, root };
}

/** The client a model call or batch goes to. */
function clientOf(n: IrNode): string | undefined {
  return n.kind === "call" || n.kind === "embed" || n.kind === "rerank" || n.kind === "batch" ? n.client : undefined;
}

const dotText = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

/**
 * The graph in Graphviz DOT. With `colors` (see `clientColors`), each model call and batch
 * cluster takes its client's colour and a legend cluster lists the clients the graph calls.
 */
export function toDot(g: IrGraph, lineOf: LineOf = () => undefined, colors?: ReadonlyMap<string, ClientColor>): string {
  const { labels, edges, root } = layout(g, lineOf);
  const out = [`digraph ${dotText(g.name)} {`, "  rankdir=TB;", '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica"];'];
  const used = new Set<string>();
  for (const [a, text, n] of labels) {
    const client = clientOf(n);
    if (client !== undefined) used.add(client);
    const fill = client === undefined ? "" : `, fillcolor="${colors?.get(client)?.fill ?? "#dbeafe"}"`;
    out.push(`  ${a} [label=${dotText(text)}${fill}];`);
  }
  let k = 0;
  const cluster = (c: Cluster, indent: string) => {
    for (const inner of c.clusters) {
      const line = inner.client === undefined ? undefined : colors?.get(inner.client)?.line;
      out.push(`${indent}subgraph cluster_${++k} {`, `${indent}  label=${dotText(inner.label)}; style=dashed;${line ? ` color="${line}"; penwidth=2;` : ""}`);
      if (inner.nodes.length) out.push(`${indent}  ${inner.nodes.join("; ")};`);
      cluster(inner, indent + "  ");
      out.push(`${indent}}`);
    }
  };
  cluster(root, "  ");
  if (colors) legend(out, [...used].sort(), colors);
  for (const [from, to] of edges) out.push(`  ${from} -> ${to};`);
  out.push("}");
  return out.join("\n") + "\n";
}

/** A cluster with one node per client, in its colour, so a reader can tell calls apart. */
function legend(out: string[], clients: readonly string[], colors: ReadonlyMap<string, ClientColor>): void {
  if (clients.length === 0) return;
  out.push("  subgraph cluster_legend {", '    label="clients"; style=solid; color="#9ca3af";');
  clients.forEach((c, i) => out.push(`    legend_${i + 1} [label=${dotText(c)}, fillcolor="${colors.get(c)?.fill ?? "#dbeafe"}"];`));
  // Invisible edges keep the legend in one column.
  for (let i = 1; i < clients.length; i++) out.push(`    legend_${i} -> legend_${i + 1} [style=invis];`);
  out.push("  }");
}

const mermaidText = (s: string) => `"${s.replace(/"/g, "#quot;").replace(/\n/g, "<br/>")}"`;

/** The graph as a Mermaid flowchart; with `colors`, model calls are filled with their client's colour. */
export function toMermaid(g: IrGraph, lineOf: LineOf = () => undefined, colors?: ReadonlyMap<string, ClientColor>): string {
  const { labels, edges, root } = layout(g, lineOf);
  const out = ["flowchart TD"];
  const byClient = new Map<string, string[]>();
  for (const [a, text, n] of labels) {
    out.push(`  ${a}[${mermaidText(text)}]`);
    const client = clientOf(n);
    if (client !== undefined) byClient.set(client, [...(byClient.get(client) ?? []), a]);
  }
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
  for (const client of [...byClient.keys()].sort()) {
    const color = colors?.get(client);
    if (!color) continue;
    // Client names are identifiers, so they make valid class names.
    out.push(`  classDef client_${client} fill:${color.fill},stroke:${color.line}`, `  class ${byClient.get(client)!.join(",")} client_${client}`);
  }
  return out.join("\n") + "\n";
}
