/**
 * The IR as readable text, for golden tests and `feste plan --ir`: one line per node in
 * dependency order, subgraphs indented under the node that holds them. Ids are shown as
 * short aliases (`%1`, `%2`, ...) numbered in order of appearance, so the text stays legible
 * and does not change when the hash function does.
 */
import { showType } from "./types.js";
import { topoOrder } from "./graph.js";
import type { IrGraph, IrNode, IrProgram, NodeId, Subgraph } from "./nodes.js";

export function printProgram(p: IrProgram): string {
  const out: string[] = [];
  for (const [k, t] of Object.entries(p.types)) {
    out.push(t.kind === "enum" ? `enum ${k} { ${t.members.join(", ")} }` : `type ${k} { ${t.fields.map((f) => `${f.name}: ${showType(f.type)}${f.optional ? "?" : ""}`).join(", ")} }`);
  }
  for (const [k, c] of Object.entries(p.clients)) {
    const what = c.combinator ? `${c.combinator.name}(${c.combinator.members.join(", ")})` : `${c.endpoint}`;
    out.push(`client ${k}: ${what} ${JSON.stringify(c.settings)}`);
  }
  for (const [k, pr] of Object.entries(p.prompts)) {
    out.push(`prompt ${k}(${pr.params.map((x) => `${x.name}: ${showType(x.type)}`).join(", ")}) -> ${showType(pr.output)} lang ${pr.lang}`);
    for (const s of pr.sections) {
      out.push(`  ${s.role}:`);
      out.push(...printScope(s.text, new Aliases(), "    "));
    }
  }
  for (const g of Object.values(p.graphs)) out.push(...printGraph(g));
  return out.join("\n") + "\n";
}

export function printGraph(g: IrGraph): string[] {
  const aliases = new Aliases();
  return [`graph ${g.name}(${g.params.map((x) => `${x.name}: ${showType(x.type)}`).join(", ")}) -> ${showType(g.type)}`, ...printScope(g, aliases, "  ")];
}

class Aliases {
  private readonly names = new Map<NodeId, string>();
  private readonly bindings = new Map<string, string>();
  of(id: NodeId): string {
    let a = this.names.get(id);
    if (!a) {
      a = `%${this.names.size + 1}`;
      this.names.set(id, a);
    }
    return a;
  }
  /** Bindings the optimizer named after node ids read as `$answer1`, `$answer2`, ... */
  binding(name: string): string {
    if (!name.startsWith("$")) return name;
    let a = this.bindings.get(name);
    if (!a) this.bindings.set(name, (a = `$answer${this.bindings.size + 1}`));
    return a;
  }
}

function printScope(g: Subgraph, aliases: Aliases, indent: string): string[] {
  const out: string[] = [];
  for (const id of topoOrder(g)) {
    const n = g.nodes[id];
    out.push(`${indent}${aliases.of(id)} = ${describe(n, aliases)} : ${showType(n.type)}`);
    const subs: [string, Subgraph][] =
      n.kind === "map"
        ? [["body", n.body], ...(n.filter ? [["filter", n.filter] as [string, Subgraph]] : [])]
        : n.kind === "cond"
          ? [["then", n.then], ["else", n.else]]
          : n.kind === "fold"
            ? [["body", n.body]]
            : n.kind === "loop"
              ? [["until", n.until], ["body", n.body]]
          : n.kind === "fuse"
            ? [["body", n.body]]
            : [];
    for (const [label, sub] of subs) {
      out.push(`${indent}  ${label}:`);
      out.push(...printScope(sub, aliases, indent + "    "));
    }
  }
  out.push(`${indent}output ${aliases.of(g.output)}`);
  return out;
}

function describe(n: IrNode, a: Aliases): string {
  const ids = (xs: readonly NodeId[]) => xs.map((x) => a.of(x)).join(", ");
  const settings = (s: object) => (Object.keys(s).length ? ` ${JSON.stringify(s)}` : "");
  switch (n.kind) {
    case "input":
      return `input ${a.binding(n.name)}`;
    case "const":
      return `const ${JSON.stringify(n.value)}`;
    case "render":
      return `render ${n.prompt}(${ids(n.args)})`;
    case "call":
      return `call ${n.client}(${a.of(n.prompt)})${settings(n.settings)}${n.site ? ` @${n.site}` : ""}`;
    case "embed":
      return `embed ${n.client}(${a.of(n.input)})${settings(n.settings)}${n.site ? ` @${n.site}` : ""}`;
    case "rerank":
      return `rerank ${n.client}(${a.of(n.query)}, ${a.of(n.documents)})${settings(n.settings)}${n.site ? ` @${n.site}` : ""}`;
    case "op":
      return `op ${n.op}(${ids(n.args)})`;
    case "extern":
      return `extern ${n.io ? "io " : ""}${n.fn}(${ids(n.args)}) from ${JSON.stringify(n.module)}`;
    case "record":
      return `record { ${n.fields.map(([k, v]) => `${k}: ${a.of(v)}`).join(", ")} }`;
    case "list":
      return `list [${ids(n.items)}]`;
    case "get":
      return n.field !== undefined ? `get ${a.of(n.target)}.${n.field}` : `get ${a.of(n.target)}[${a.of(n.index!)}]`;
    case "map":
      return `map (${n.bindings.map((b, i) => `${a.binding(b)} in ${a.of(n.lists[i])}`).join(", ")})`;
    case "fold":
      return `fold ${a.binding(n.state)} = ${a.of(n.init)} for ${a.binding(n.binding)} in ${a.of(n.list)}`;
    case "loop":
      return `loop ${a.binding(n.state)} = ${a.of(n.init)} max ${n.max}`;
    case "cond":
      return `cond ${a.of(n.condition)}`;
    case "batch":
      return `batch ${n.endpoint} ${n.client} ${n.items ? `[${ids(n.items)}]` : `over ${a.of(n.list!)}`}${n.listItems ? ` lists ${JSON.stringify(n.listItems)}` : ""}${n.itemIsList ? " of lists" : ""}${settings(n.settings)}${n.sites ? ` sites ${n.sites.length}` : ""}`;
    case "pick":
      return `pick ${a.of(n.batch)}[${n.index}]`;
    case "fuse":
      return `fuse ${Object.keys(n.body.nodes).length} nodes`;
  }
}
