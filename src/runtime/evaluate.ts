/**
 * The reference interpreter of the IR: runs a graph one node at a time, in dependency
 * order (which follows the program text), awaiting each model request before the next. It
 * defines what a program means (the scheduler must give the same results), serves eager mode
 * (`eager: true`: one prompt or text per request, each step reported), and is the oracle the
 * optimizer is tested against. Every node of a scope runs, as the scheduler would run it, so
 * an unoptimized graph also pays for what the optimizer would cull.
 */
import { FesteRuntimeError } from "../ir/errors.js";
import { compiledNode } from "../ir/compile-pure.js";
import { evalLocal, Frame, holdsPrompts, orderOf, runsLocally, runStateAsync } from "../ir/evaluate-pure.js";
import type { IrClient, IrNode, IrProgram, Settings, Subgraph } from "../ir/nodes.js";
import { requestLimit } from "../ir/clients.js";
import { evenShare, splitRequests, tokensPerRequest } from "../ir/requests.js";
import { tokensOf } from "./tokens.js";
import type { Type } from "../ir/types.js";
import { asData, isPrompt, type Data, type PromptValue, type Value } from "../ir/value.js";
import type { ModelBackend } from "./backend.js";
import { memberFor, routeTo } from "./client-route.js";
import type { ExternRunner } from "./run-hooks.js";
import { callExternNode } from "./extern-call.js";
import { runToolLoop } from "./tool-loop.js";

/** One finished node, as eager mode reports it. */
export interface EagerStep {
  readonly node: IrNode;
  readonly ms: number;
}

export interface EvaluateOptions {
  readonly backend: ModelBackend;
  /** Counts a text's tokens for request budgets; default: OpenAI's o200k tokenizer. */
  readonly countTokens?: (text: string) => number;
  /** Runs an `extern fn`; without it, graphs that call one fail. */
  readonly externs?: ExternRunner;
  /** Eager mode: no batching, one prompt or text per request. */
  readonly eager?: boolean;
  /** Told after each node that talks to a model or an extern function, or holds a subgraph. */
  readonly onStep?: (step: EagerStep) => void;
  readonly signal?: AbortSignal;
  /**
   * Run a `map` or fused body with no model call in it by closures compiled once
   * (`ir/compile-pure.ts`) instead of node by node. Eager mode sets it; the reference the
   * tests compare against leaves it off.
   */
  readonly compiled?: boolean;
  /**
   * Where eager mode sends its calls, one at a time: the dispatcher, so eager runs are retried,
   * paced, timed out, cached and failed over exactly as graph mode's (only batching and
   * parallelism differ). Without it, calls go straight to the backend (the reference oracle).
   */
  readonly calls?: CallSender;
}

/** Sends one model call and answers it; the dispatcher is one. */
export interface CallSender {
  complete(client: string, settings: Settings, prompt: PromptValue, output: Type): Promise<Data>;
  embed(client: string, settings: Settings, text: string): Promise<number[]>;
  rerank(client: string, settings: Settings, query: string, documents: readonly string[]): Promise<Data>;
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
      this.opts.signal?.throwIfAborted();
      const started = performance.now();
      try {
        frame.values.set(id, await this.node(n, frame));
        if (this.opts.onStep && STEP_KINDS.has(n.kind)) this.opts.onStep({ node: n, ms: performance.now() - started });
      } catch (e) {
        throw e instanceof FesteRuntimeError ? e.at(n.span) : e;
      }
    }
    return frame.get(g.output);
  }

  /** Sends prompts in as many requests as the endpoint needs; answers in order. */
  async complete(clientName: string, settings: Settings, prompts: readonly PromptValue[], output: Type): Promise<Data[]> {
    const calls = this.opts.calls;
    if (calls) return this.oneByOne(prompts, (p) => calls.complete(clientName, settings, p, output));
    const limit = this.opts.eager ? 1 : requestLimit(this.program, clientName, settings);
    return this.byMember(clientName, prompts, async (member, some) => {
      const per = evenShare(some.length, limit);
      const out: Data[] = [];
      for (let i = 0; i < some.length; i += per) {
        const req = { ...routeTo(this.program, clientName, settings, member), prompts: some.slice(i, i + per), output, types: this.program.types, ...this.signal() };
        out.push(...(await this.opts.backend.complete(req)));
      }
      return out;
    });
  }

  /** Sends texts in as many requests as the endpoint's item and token limits need; vectors in order. */
  async embed(clientName: string, settings: Settings, texts: readonly string[]): Promise<number[][]> {
    const calls = this.opts.calls;
    if (calls) return this.oneByOne(texts, (t) => calls.embed(clientName, settings, t));
    const endpoint = endpointClient(this.program, clientName);
    const per = this.opts.eager ? 1 : requestLimit(this.program, clientName, settings);
    return this.byMember(clientName, texts, async (member, some) => {
      const out: number[][] = [];
      for (const chunk of splitRequests(some, per, tokensPerRequest(endpoint), this.opts.countTokens ?? tokensOf)) {
        out.push(...(await this.opts.backend.embed({ ...routeTo(this.program, clientName, settings, member), texts: chunk, ...this.signal() })));
      }
      return out;
    });
  }

  /** Each item as its own call, the next sent once the previous one is answered. */
  private async oneByOne<I, A>(items: readonly I[], send: (item: I) => Promise<A>): Promise<A[]> {
    const out: A[] = [];
    for (const item of items) out.push(await send(item));
    return out;
  }

  /** Sends items grouped by the member of a combined client that answers each; answers in item order. */
  private async byMember<I extends PromptValue | string, A>(client: string, items: readonly I[], send: (member: number, some: I[]) => Promise<A[]>): Promise<A[]> {
    const members = items.map((item) => memberFor(this.program, client, item));
    const out: A[] = new Array(items.length);
    for (const m of [...new Set(members)].sort((a, b) => a - b)) {
      const at = members.flatMap((x, i) => (x === m ? [i] : []));
      const answers = await send(m, at.map((i) => items[i]));
      at.forEach((i, k) => (out[i] = answers[k]));
    }
    return out;
  }

  private signal(): { signal?: AbortSignal } {
    return this.opts.signal ? { signal: this.opts.signal } : {};
  }

  private async node(n: IrNode, frame: Frame): Promise<Value> {
    switch (n.kind) {
      case "call":
        if (n.tools) {
          const send = async (p: PromptValue, settings: Settings) => (await this.complete(n.client, settings, [p], n.type))[0];
          return runToolLoop({ client: n.client, settings: n.settings, tools: n.tools, maxSteps: n.maxSteps ?? 8 }, asPrompt(frame.get(n.prompt)), send, this.opts.externs, this.program.types, this.opts.signal);
        }
        return (await this.complete(n.client, n.settings, [asPrompt(frame.get(n.prompt))], n.type))[0];
      case "embed": {
        const input = frame.data(n.input);
        if (typeof input === "string") return (await this.embed(n.client, n.settings, [input]))[0];
        return this.embed(n.client, n.settings, input as string[]);
      }
      case "rerank":
        if (this.opts.calls) return this.opts.calls.rerank(n.client, n.settings, frame.data(n.query) as string, frame.data(n.documents) as string[]);
        return this.opts.backend.rerank({
          ...routeTo(this.program, n.client, n.settings, memberFor(this.program, n.client, frame.data(n.query) as string)),
          ...this.signal(),
          query: frame.data(n.query) as string,
          documents: frame.data(n.documents) as string[],
        });
      case "extern":
        return callExternNode(n, n.args.map((a) => frame.data(a)), this.opts.externs, this.program.types, this.opts.signal);
      case "map":
        return this.opts.compiled && runsLocally(n) ? compiledNode(this.program, n, { everyNode: true })(frame) : this.map(n, frame);
      case "fold":
      case "loop":
        return runStateAsync(n, frame, (g, f) => this.scope(g, f));
      case "cond": {
        const branch = frame.data(n.condition) === true ? n.then : n.else;
        return this.scope(branch, new Frame(new Map(), frame));
      }
      case "batch":
        return this.batch(n, frame);
      case "fuse":
        if (this.opts.compiled && runsLocally(n)) return compiledNode(this.program, n, { everyNode: true })(frame);
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

/** The nodes eager mode reports as steps. */
const STEP_KINDS: ReadonlySet<IrNode["kind"]> = new Set(["call", "embed", "rerank", "batch", "extern"]);

/** Runs `graph` of `program` with the reference interpreter. */
export function evaluate(program: IrProgram, graph: string, inputs: Readonly<Record<string, Data>>, opts: EvaluateOptions): Promise<Data> {
  return new Evaluator(program, opts).run(graph, inputs);
}
