/**
 * Prompt renderers as plain string building: each role section's subgraph (constants, the
 * parameters, operations, field and index access, records, lists, `if` and `for`) becomes a
 * sequence of `const` statements over the runtime's own operations, in dependency order.
 * Constants are JSON literals, so no text from a template ever becomes code; locals start
 * with `$`, which no Feste name can, so they never shadow a parameter.
 */
import { topoOrder } from "../../ir/graph.js";
import type { IrNode, IrPrompt, NodeId, Subgraph } from "../../ir/nodes.js";
import { dataLiteral, literal, objectKey } from "./names.js";

/** Calls another prompt's renderer by its key (for a prompt used inside a template). */
export type RendererOf = (promptKey: string) => string;

/** The statements of a renderer's body; `params` are the parameters' identifiers in order. */
export function rendererBody(p: IrPrompt, params: readonly string[], rendererOf: RendererOf): string[] {
  const w = new ScopeWriter(new Map(p.params.map((param, i) => [param.name, `feste.data(${params[i]})`])), rendererOf);
  const sections = p.sections.map((s) => `[${literal(s.role)}, ${w.scope(s.text)}]`);
  return [...w.lines, `return feste.prompt(${literal(p.lang)}, [${sections.join(", ")}]);`];
}

class ScopeWriter {
  readonly lines: string[] = [];
  private count = 0;
  private readonly names = new Map<NodeId, string>();

  constructor(
    private readonly inputs: ReadonlyMap<string, string>,
    private readonly rendererOf: RendererOf,
    private readonly parent?: ScopeWriter,
  ) {}

  private nameOf(id: NodeId): string {
    for (let w: ScopeWriter | undefined = this; w; w = w.parent) {
      const n = w.names.get(id);
      if (n) return n;
    }
    throw new Error(`IR invariant broken: ${id} used before it is computed`);
  }

  private input(name: string): string {
    for (let w: ScopeWriter | undefined = this; w; w = w.parent) {
      const v = w.inputs.get(name);
      if (v) return v;
    }
    throw new Error(`IR invariant broken: no value bound to \`${name}\``);
  }

  private fresh(): string {
    let depth = 0;
    for (let w = this.parent; w; w = w.parent) depth++;
    return `$${depth === 0 ? "" : `${depth}_`}${this.count++}`;
  }

  /** Writes a scope's nodes; returns the expression of its output. */
  scope(g: Subgraph): string {
    for (const id of topoOrder(g)) {
      const name = this.fresh();
      this.lines.push(`const ${name}: feste.Data = ${this.node(g.nodes[id])};`);
      this.names.set(id, name);
    }
    return this.nameOf(g.output);
  }

  /** A nested scope written as an arrow function's body. */
  private closure(g: Subgraph, bindings: readonly string[] = []): string {
    const params = bindings.map((_, i) => `$e${this.depth()}_${i}`);
    const inner = new ScopeWriter(new Map(bindings.map((b, i) => [b, params[i]])), this.rendererOf, this);
    const out = inner.scope(g);
    const typed = params.map((p) => `${p}: feste.Data`).join(", ");
    return `(${typed}): feste.Data => {\n${[...inner.lines, `return ${out};`].map((l) => `  ${l}`).join("\n")}\n}`;
  }

  private depth(): number {
    let d = 0;
    for (let w = this.parent; w; w = w.parent) d++;
    return d;
  }

  private node(n: IrNode): string {
    const ref = (id: NodeId) => this.nameOf(id);
    switch (n.kind) {
      case "input":
        return this.input(n.name);
      case "const":
        return dataLiteral(n.value);
      case "op":
        return `feste.applyOp(${literal(n.op)}, [${n.args.map(ref).join(", ")}])`;
      case "get":
        return n.field !== undefined ? `feste.field(${ref(n.target)}, ${literal(n.field)})` : `feste.at(${ref(n.target)}, ${ref(n.index!)})`;
      case "record":
        return `{ ${n.fields.map(([k, id]) => `${objectKey(k)}: ${ref(id)}`).join(", ")} }`;
      case "list":
        return `[${n.items.map(ref).join(", ")}]`;
      case "cond":
        return `${ref(n.condition)} === true ? (${this.closure(n.then)})() : (${this.closure(n.else)})()`;
      case "map": {
        const filter = n.filter ? `, ${this.closure(n.filter, n.bindings)}` : "";
        return `feste.mapList([${n.lists.map(ref).join(", ")}], ${this.closure(n.body, n.bindings)}${filter})`;
      }
      case "fold":
        return `feste.foldList(${ref(n.init)}, ${ref(n.list)}, ${this.closure(n.body, [n.state, n.binding])})`;
      case "loop":
        return `feste.loopState(${ref(n.init)}, ${n.max}, ${this.closure(n.until, [n.state])}, ${this.closure(n.body, [n.state])})`;
      case "fuse":
        return `(${this.closure(n.body)})()`;
      case "render":
        return `feste.data(${this.rendererOf(n.prompt)}(${n.args.map((a) => `${ref(a)} as never`).join(", ")}))`;
      default:
        throw new Error(`IR invariant broken: a prompt template holds a \`${n.kind}\` node`);
    }
  }
}
