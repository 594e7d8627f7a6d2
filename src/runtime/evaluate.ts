/**
 * The reference interpreter of the IR: runs a graph one node at a time, in dependency
 * order, awaiting each model request before the next. It defines what a program means (the
 * scheduler must give the same results), serves eager mode, and is the oracle the optimizer
 * is tested against. Every node of a scope runs, as the scheduler would run it, so an
 * unoptimized graph also pays for what the optimizer would cull.
 */
import { topoOrder } from "../ir/graph.js";
import type { IrClient, IrNode, IrProgram, NodeId, Settings, Subgraph } from "../ir/nodes.js";
import type { Type } from "../ir/types.js";
import { itemsPerRequest } from "../ir/requests.js";
import { asData, isPrompt, type Data, type PromptValue, type Value } from "../ir/value.js";
import type { ModelBackend } from "./backend.js";
import { FesteRuntimeError } from "./errors.js";
import { applyOp } from "./ops.js";

export interface EvaluateOptions {
  readonly backend: ModelBackend;
  /** Runs an `extern fn`; without it, graphs that call one fail. */
  readonly externs?: (module: string, fn: string, args: readonly Data[]) => Promise<Data>;
}

class Frame {
  readonly values = new Map<NodeId, Value>();

  constructor(
    readonly scope: Subgraph,
    readonly inputs: ReadonlyMap<string, Value>,
    readonly parent?: Frame,
  ) {}

  get(id: NodeId): Value {
    for (let f: Frame | undefined = this; f; f = f.parent) {
      const v = f.values.get(id);
      if (v !== undefined || f.values.has(id)) return v!;
    }
    throw new Error(`IR invariant broken: node ${id} was read before it ran`);
  }

  input(name: string): Value {
    for (let f: Frame | undefined = this; f; f = f.parent) if (f.inputs.has(name)) return f.inputs.get(name)!;
    throw new Error(`IR invariant broken: no value bound to \`${name}\``);
  }
}

const orders = new WeakMap<Subgraph, NodeId[]>();
function order(g: Subgraph): NodeId[] {
  let o = orders.get(g);
  if (!o) orders.set(g, (o = topoOrder(g)));
  return o;
}

/** The concrete client whose endpoint a (possibly combined) client's calls go to. */
export function endpointClient(program: IrProgram, name: string): IrClient {
  let c = program.clients[name];
  while (c.combinator) c = program.clients[c.combinator.members[0]];
  return c;
}

export class Evaluator {
  constructor(
    readonly program: IrProgram,
    readonly opts: EvaluateOptions,
  ) {}

  async run(graphName: string, inputs: Readonly<Record<string, Data>>): Promise<Data> {
    const g = this.program.graphs[graphName];
    const bound = new Map<string, Value>(g.params.map((p) => [p.name, inputs[p.name] ?? null]));
    return asData(await this.scope(g, new Frame(g, bound)));
  }

  async scope(g: Subgraph, frame: Frame): Promise<Value> {
    for (const id of order(g)) {
      const n = g.nodes[id];
      try {
        frame.values.set(id, await this.node(n, frame));
      } catch (e) {
        throw e instanceof FesteRuntimeError ? e.at(n.span) : e;
      }
    }
    return frame.get(g.output);
  }

  private data(frame: Frame, id: NodeId): Data {
    return asData(frame.get(id));
  }

  async renderPrompt(key: string, args: readonly Data[]): Promise<PromptValue> {
    const p = this.program.prompts[key];
    const inputs = new Map<string, Value>(p.params.map((param, i) => [param.name, args[i]]));
    const messages = [];
    for (const s of p.sections) messages.push({ role: s.role, content: asData(await this.scope(s.text, new Frame(s.text, inputs))) as string });
    return { $prompt: { lang: p.lang, messages } };
  }

  private asPrompt(v: Value): PromptValue {
    return isPrompt(v) ? v : { $prompt: { lang: "en", messages: [{ role: "user", content: asData(v) as string }] } };
  }

  /** Sends `items` in as many requests as the endpoint needs, answers in order. */
  async complete(clientName: string, settings: Settings, prompts: PromptValue[], output: Type): Promise<Data[]> {
    const client = endpointClient(this.program, clientName);
    const per = itemsPerRequest(client, settings);
    const out: Data[] = [];
    for (let i = 0; i < prompts.length; i += per) {
      out.push(...(await this.opts.backend.complete({ client: this.program.clients[clientName], settings, prompts: prompts.slice(i, i + per), output, types: this.program.types })));
    }
    return out;
  }

  async embed(clientName: string, settings: Settings, texts: string[]): Promise<number[][]> {
    const client = endpointClient(this.program, clientName);
    const per = itemsPerRequest(client, settings);
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += per) {
      out.push(...(await this.opts.backend.embed({ client: this.program.clients[clientName], settings, texts: texts.slice(i, i + per) })));
    }
    return out;
  }

  private async node(n: IrNode, frame: Frame): Promise<Value> {
    switch (n.kind) {
      case "input":
        return frame.input(n.name);
      case "const":
        return n.value;
      case "render":
        return this.renderPrompt(n.prompt, n.args.map((a) => this.data(frame, a)));
      case "call":
        return (await this.complete(n.client, n.settings, [this.asPrompt(frame.get(n.prompt))], n.type))[0];
      case "embed": {
        const input = this.data(frame, n.input);
        if (typeof input === "string") return (await this.embed(n.client, n.settings, [input]))[0];
        return this.embed(n.client, n.settings, input as string[]);
      }
      case "rerank":
        return this.opts.backend.rerank({
          client: this.program.clients[n.client],
          settings: n.settings,
          query: this.data(frame, n.query) as string,
          documents: this.data(frame, n.documents) as string[],
        });
      case "op":
        return applyOp(n.op, n.args.map((a) => this.data(frame, a)));
      case "extern": {
        if (!this.opts.externs) throw new FesteRuntimeError("FE4005", `\`${n.fn}\` cannot run: no extern function runner was given`);
        return this.opts.externs(n.module, n.fn, n.args.map((a) => this.data(frame, a)));
      }
      case "record":
        return Object.fromEntries(n.fields.map(([k, id]) => [k, this.data(frame, id)]));
      case "list":
        return n.items.map((id) => this.data(frame, id));
      case "get": {
        const target = this.data(frame, n.target);
        if (n.field !== undefined) return (target as Record<string, Data>)[n.field] ?? null;
        const xs = target as Data[];
        const i = this.data(frame, n.index!) as number;
        if (!Number.isInteger(i) || i < 0 || i >= xs.length) throw new FesteRuntimeError("FE4003", `index ${i} is out of range for a list of ${xs.length}`);
        return xs[i];
      }
      case "map":
        return this.map(n, frame);
      case "cond": {
        const branch = this.data(frame, n.condition) === true ? n.then : n.else;
        return this.scope(branch, new Frame(branch, new Map(), frame));
      }
      case "batch":
        return this.batch(n, frame);
      case "pick":
        return (frame.get(n.batch) as Data[])[n.index];
    }
  }

  private async map(n: Extract<IrNode, { kind: "map" }>, frame: Frame): Promise<Data[]> {
    const lists = n.lists.map((id) => this.data(frame, id) as Data[]);
    const length = lists[0]?.length ?? 0;
    if (lists.some((l) => l.length !== length)) throw new Error("IR invariant broken: map over lists of different lengths");
    const out: Data[] = [];
    for (let i = 0; i < length; i++) {
      const inputs = new Map<string, Value>(n.bindings.map((b, k) => [b, lists[k][i]]));
      if (n.filter && asData(await this.scope(n.filter, new Frame(n.filter, inputs, frame))) !== true) continue;
      out.push(asData(await this.scope(n.body, new Frame(n.body, inputs, frame))));
    }
    return out;
  }

  private async batch(n: Extract<IrNode, { kind: "batch" }>, frame: Frame): Promise<Data[]> {
    const items: Value[] = n.items ? n.items.map((id) => frame.get(id)) : (this.data(frame, n.list!) as Data[]);
    if (n.endpoint === "call") return this.complete(n.client, n.settings, items.map((v) => this.asPrompt(v)), n.element);
    if (!n.itemIsList) return this.embed(n.client, n.settings, items.map((v) => asData(v) as string));
    // Each item is a list of texts: embed them all together, then split the vectors back.
    const lists = items.map((v) => asData(v) as string[]);
    const vectors = await this.embed(n.client, n.settings, lists.flat());
    let at = 0;
    return lists.map((l) => vectors.slice(at, (at += l.length)));
  }
}

/** Runs `graph` of `program` with the reference interpreter. */
export function evaluate(program: IrProgram, graph: string, inputs: Readonly<Record<string, Data>>, opts: EvaluateOptions): Promise<Data> {
  return new Evaluator(program, opts).run(graph, inputs);
}
