/**
 * The reference interpreter of the IR: runs a graph one node at a time, in dependency
 * order, awaiting each model request before the next. It defines what a program means (the
 * scheduler must give the same results), serves eager mode, and is the oracle the optimizer
 * is tested against. Every node of a scope runs, as the scheduler would run it, so an
 * unoptimized graph also pays for what the optimizer would cull.
 */
import { FesteRuntimeError } from "../ir/errors.js";
import { evalLocal, Frame, holdsPrompts, orderOf } from "../ir/evaluate-pure.js";
import type { IrClient, IrNode, IrProgram, Settings, Subgraph } from "../ir/nodes.js";
import { requestLimit } from "../ir/clients.js";
import { splitRequests, tokensPerRequest } from "../ir/requests.js";
import { tokensOf } from "./tokens.js";
import type { Type } from "../ir/types.js";
import { asData, isPrompt, type Data, type PromptValue, type Value } from "../ir/value.js";
import type { ModelBackend } from "./backend.js";

export interface EvaluateOptions {
  readonly backend: ModelBackend;
  /** Counts a text's tokens for request budgets; default: OpenAI's o200k tokenizer. */
  readonly countTokens?: (text: string) => number;
  /** Runs an `extern fn`; without it, graphs that call one fail. */
  readonly externs?: (module: string, fn: string, args: readonly Data[]) => Promise<Data>;
}

/** The concrete client whose endpoint a (possibly combined) client's calls go to. */
export function endpointClient(program: IrProgram, name: string): IrClient {
  let c = program.clients[name];
  while (c.combinator) c = program.clients[c.combinator.members[0]];
  return c;
}

/** A plain string sent to a model is one user message. */
export function asPrompt(v: Value): PromptValue {
  return isPrompt(v) ? v : { $prompt: { lang: "en", messages: [{ role: "user", content: asData(v) as string }] } };
}

export class Evaluator {
  constructor(
    readonly program: IrProgram,
    readonly opts: EvaluateOptions,
  ) {}

  async run(graphName: string, inputs: Readonly<Record<string, Data>>): Promise<Data> {
    const g = this.program.graphs[graphName];
    const bound = new Map<string, Value>(g.params.map((p) => [p.name, inputs[p.name] ?? null]));
    return asData(await this.scope(g, new Frame(bound)));
  }

  async scope(g: Subgraph, frame: Frame): Promise<Value> {
    for (const id of orderOf(g)) {
      const n = g.nodes[id];
      try {
        frame.values.set(id, await this.node(n, frame));
      } catch (e) {
        throw e instanceof FesteRuntimeError ? e.at(n.span) : e;
      }
    }
    return frame.get(g.output);
  }

  /** Sends prompts in as many requests as the endpoint needs; answers in order. */
  async complete(clientName: string, settings: Settings, prompts: readonly PromptValue[], output: Type): Promise<Data[]> {
    const per = requestLimit(this.program, clientName, settings);
    const out: Data[] = [];
    for (let i = 0; i < prompts.length; i += per) {
      const req = { client: this.program.clients[clientName], settings, prompts: prompts.slice(i, i + per), output, types: this.program.types };
      out.push(...(await this.opts.backend.complete(req)));
    }
    return out;
  }

  /** Sends texts in as many requests as the endpoint's item and token limits need; vectors in order. */
  async embed(clientName: string, settings: Settings, texts: readonly string[]): Promise<number[][]> {
    const endpoint = endpointClient(this.program, clientName);
    const chunks = splitRequests(texts, requestLimit(this.program, clientName, settings), tokensPerRequest(endpoint), this.opts.countTokens ?? tokensOf);
    const out: number[][] = [];
    for (const chunk of chunks) out.push(...(await this.opts.backend.embed({ client: this.program.clients[clientName], settings, texts: chunk })));
    return out;
  }

  private async node(n: IrNode, frame: Frame): Promise<Value> {
    switch (n.kind) {
      case "call":
        return (await this.complete(n.client, n.settings, [asPrompt(frame.get(n.prompt))], n.type))[0];
      case "embed": {
        const input = frame.data(n.input);
        if (typeof input === "string") return (await this.embed(n.client, n.settings, [input]))[0];
        return this.embed(n.client, n.settings, input as string[]);
      }
      case "rerank":
        return this.opts.backend.rerank({
          client: this.program.clients[n.client],
          settings: n.settings,
          query: frame.data(n.query) as string,
          documents: frame.data(n.documents) as string[],
        });
      case "extern":
        if (!this.opts.externs) throw new FesteRuntimeError("FE4005", `\`${n.fn}\` cannot run: no extern function runner was given`);
        return this.opts.externs(n.module, n.fn, n.args.map((a) => frame.data(a)));
      case "map":
        return this.map(n, frame);
      case "cond": {
        const branch = frame.data(n.condition) === true ? n.then : n.else;
        return this.scope(branch, new Frame(new Map(), frame));
      }
      case "batch":
        return this.batch(n, frame);
      case "fuse":
        return this.scope(n.body, new Frame(new Map(), frame));
      default:
        return evalLocal(this.program, n, frame, () => {
          throw new Error("unreachable: subgraph kinds are handled above");
        });
    }
  }

  private async map(n: Extract<IrNode, { kind: "map" }>, frame: Frame): Promise<Value> {
    const lists = n.lists.map((id) => frame.get(id) as unknown as Value[]);
    const length = lists[0]?.length ?? 0;
    if (lists.some((l) => l.length !== length)) throw new Error("IR invariant broken: map over lists of different lengths");
    const out: Value[] = [];
    for (let i = 0; i < length; i++) {
      const inputs = new Map<string, Value>(n.bindings.map((b, k) => [b, lists[k][i]]));
      if (n.filter && asData(await this.scope(n.filter, new Frame(inputs, frame))) !== true) continue;
      const v = await this.scope(n.body, new Frame(inputs, frame));
      out.push(holdsPrompts(n.type) ? v : asData(v));
    }
    return out as unknown as Value;
  }

  private async batch(n: Extract<IrNode, { kind: "batch" }>, frame: Frame): Promise<Data[]> {
    const items: Value[] = n.items ? n.items.map((id) => frame.get(id)) : (frame.get(n.list!) as unknown as Value[]);
    if (n.endpoint === "call") return this.complete(n.client, n.settings, items.map(asPrompt), n.element);
    const isList = (i: number) => (n.items ? n.listItems?.[i] === true : n.itemIsList === true);
    if (!n.itemIsList && !n.listItems) return this.embed(n.client, n.settings, items.map((v) => asData(v) as string));
    // Some items are lists of texts: embed every text together, then give each item its vectors.
    const texts = items.map((v, i) => (isList(i) ? (asData(v) as string[]) : [asData(v) as string]));
    const vectors = await this.embed(n.client, n.settings, texts.flat());
    let at = 0;
    return texts.map((t, i) => (isList(i) ? vectors.slice(at, (at += t.length)) : vectors[at++]));
  }
}

/** Runs `graph` of `program` with the reference interpreter. */
export function evaluate(program: IrProgram, graph: string, inputs: Readonly<Record<string, Data>>, opts: EvaluateOptions): Promise<Data> {
  return new Evaluator(program, opts).run(graph, inputs);
}
