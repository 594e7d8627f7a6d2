/**
 * `feste plan`: what running a graph will do, before anything runs. From the optimized IR:
 * the model steps by level (model-call depth), each with its client, its size and its
 * request count as a formula in the lengths of the inputs, and the critical path in model
 * calls. With inputs, a dry run against the stand-in server's deterministic answers gives
 * exact request counts, and token and cost estimates.
 */
import type { Span } from "../diagnostics/diagnostic.js";
import { deps } from "../ir/graph.js";
import { orderOf } from "../ir/evaluate-pure.js";
import type { IrClient, IrNode, IrProgram, NodeId, Subgraph } from "../ir/nodes.js";
import { requestLimit } from "../ir/clients.js";
import type { Data } from "../ir/value.js";
import { endpointClient } from "../runtime/evaluate.js";
import type { ExternRunner } from "../runtime/run-hooks.js";
import { runGraph } from "../runtime/run.js";
import { batchApiBackend, providerBackend } from "../providers/index.js";
import type { CompleteRequest, EmbedRequest, ModelBackend, RerankRequest } from "../runtime/backend.js";
import { pointAt, startStandIn } from "../testing/stand-in/index.js";
import { PRICES, PRICES_AS_OF } from "./prices.js";
import { DEFAULT_ANSWER_TOKENS, tokensOf } from "../runtime/tokens.js";

/** A count known exactly, or only as a formula in input lengths (`len(docs)`), or not at all. */
export interface Size {
  readonly text: string;
  readonly value?: number;
}

export interface PlanStep {
  readonly level: number;
  readonly kind: "call" | "embed" | "rerank" | "batch";
  readonly client: string;
  readonly endpoint: string;
  /** Prompts or texts the step sends. */
  readonly items: Size;
  readonly requests: Size;
  /** Inside a branch that may not run. */
  readonly conditional: boolean;
  readonly span?: Span;
}

/** A call of an `extern io fn`: an effect, never merged or cached, so `feste plan` lists it. */
export interface PlanEffect {
  readonly fn: string;
  /** How many times it runs, as a formula in input lengths. */
  readonly calls: Size;
  readonly conditional: boolean;
  readonly span?: Span;
}

export interface DryRun {
  readonly requests: number;
  readonly byClient: Readonly<Record<string, { readonly requests: number; readonly items: number; readonly inputTokens: number; readonly outputTokens: number; readonly cost?: number }>>;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Undefined when a model has no price in the table. */
  readonly cost?: number;
  readonly pricesAsOf: string;
  /** Set when OpenAI calls went as Batch API jobs: their cost is half the table's. */
  readonly batchApi?: true;
}

/** What OpenAI charges for Batch API requests, as a share of the normal price. */
export const BATCH_API_PRICE = 0.5;

export interface Plan {
  readonly graph: string;
  readonly steps: readonly PlanStep[];
  /** Calls of `extern io fn`s, in source order. */
  readonly effects: readonly PlanEffect[];
  readonly criticalPath: number;
  /** Total requests as a formula (exact when every size is known). */
  readonly requests: Size;
  readonly dryRun?: DryRun;
}

const exact = (n: number): Size => ({ text: String(n), value: n });
const UNKNOWN: Size = { text: "?" };

function mul(a: Size, b: Size): Size {
  if (a.value !== undefined && b.value !== undefined) return exact(a.value * b.value);
  if (a.value === 1) return b;
  if (b.value === 1) return a;
  return { text: `${a.text} × ${b.text}` };
}

function sum(xs: readonly Size[]): Size {
  if (xs.length === 0) return exact(0);
  if (xs.every((x) => x.value !== undefined)) return exact(xs.reduce((t, x) => t + x.value!, 0));
  const known = xs.filter((x) => x.value !== undefined).reduce((t, x) => t + x.value!, 0);
  // Like terms combine: `len(xs) + len(xs)` is `2 × len(xs)`.
  const terms = new Map<string, number>();
  for (const x of xs) if (x.value === undefined) terms.set(x.text, (terms.get(x.text) ?? 0) + 1);
  const parts = [...terms].map(([t, k]) => (k === 1 ? t : `${k} × ${t}`));
  return { text: [...parts, ...(known ? [String(known)] : [])].join(" + ") };
}

function perRequest(items: Size, per: number): Size {
  if (per === 1) return items;
  if (items.value !== undefined) return exact(Math.ceil(items.value / per));
  return { text: `ceil(${/\s/.test(items.text) ? `(${items.text})` : items.text} / ${per})` };
}

class Planner {
  readonly steps: PlanStep[] = [];
  readonly effects: PlanEffect[] = [];

  constructor(readonly program: IrProgram) {}

  private node(id: NodeId, scopes: readonly Subgraph[]): IrNode | undefined {
    for (let i = scopes.length - 1; i >= 0; i--) if (id in scopes[i].nodes) return scopes[i].nodes[id];
    return undefined;
  }

  /** The length of a list-valued node, as far as it can be told without running. */
  size(id: NodeId, scopes: readonly Subgraph[]): Size {
    const n = this.node(id, scopes);
    if (!n) return UNKNOWN;
    switch (n.kind) {
      case "input":
        return scopes.length === 1 ? { text: `len(${n.name})` } : UNKNOWN;
      case "const":
        return Array.isArray(n.value) ? exact(n.value.length) : UNKNOWN;
      case "list":
        return exact(n.items.length);
      case "map": {
        const s = this.size(n.lists[0], scopes);
        return n.filter ? { text: `≤ ${s.text}` } : s;
      }
      case "batch":
        return n.items ? exact(n.items.length) : this.size(n.list!, scopes);
      case "op":
        return n.op === "filter_mask" ? { text: `≤ ${this.size(n.args[0], scopes).text}` } : UNKNOWN;
      default:
        return UNKNOWN;
    }
  }

  private client(name: string): IrClient {
    return endpointClient(this.program, name);
  }

  /**
   * Records the model steps of a scope; returns the scope's longest chain of model calls.
   * `base` is the level reached before the scope starts; `times` how often it runs.
   */
  scope(g: Subgraph, scopes: readonly Subgraph[], base: number, times: Size, conditional: boolean, rounds?: Size): number {
    const chain = [...scopes, g];
    const end = new Map<NodeId, number>();
    let longest = 0;
    for (const id of orderOf(g)) {
      const n = g.nodes[id];
      let start = 0;
      for (const d of deps(n)) start = Math.max(start, end.get(d) ?? 0);
      let weight = 0;
      if (n.kind === "call" || n.kind === "embed" || n.kind === "rerank" || n.kind === "batch") {
        weight = 1;
        this.step(n, chain, base + start + 1, times, conditional, rounds);
      } else if (n.kind === "extern" && n.io) {
        this.effects.push({ fn: n.fn, calls: times, conditional, ...(n.span ? { span: n.span } : {}) });
      } else if (n.kind === "map") {
        const each = this.size(n.lists[0], chain);
        const inner = [n.body, ...(n.filter ? [n.filter] : [])].map((s) => this.scope(s, chain, base + start, mul(times, each), conditional || !!n.filter, rounds));
        weight = Math.max(...inner);
      } else if (n.kind === "fold" || n.kind === "loop") {
        // Each round's calls, across the elements of the map around, go out together.
        const count = n.kind === "fold" ? this.size(n.list, chain) : exact(n.max);
        const subs = n.kind === "fold" ? [n.body] : [n.until, n.body];
        let per = 0;
        for (const s of subs) per += this.scope(s, chain, base + start + per, times, conditional || n.kind === "loop", mul(rounds ?? exact(1), count));
        weight = per * (count.value ?? 1);
      } else if (n.kind === "cond") {
        weight = Math.max(this.scope(n.then, chain, base + start, times, true), this.scope(n.else, chain, base + start, times, true));
      }
      end.set(id, start + weight);
      longest = Math.max(longest, start + weight);
    }
    return longest;
  }

  /** `rounds`: inside a `fold` or `loop`, how many rounds run; each round's calls of every element travel together. */
  private step(n: Extract<IrNode, { kind: "call" | "embed" | "rerank" | "batch" }>, scopes: readonly Subgraph[], level: number, times: Size, conditional: boolean, rounds?: Size): void {
    const client = this.client(n.client);
    const per = requestLimit(this.program, n.client, n.settings);
    let items: Size;
    if (n.kind === "batch") {
      const count = n.items ? sum(n.items.map((id, i) => (n.listItems?.[i] ? this.size(id, scopes) : exact(1)))) : this.size(n.list!, scopes);
      items = n.endpoint === "embed" && n.itemIsList ? UNKNOWN : count;
    } else if (n.kind === "embed") {
      const input = this.node(n.input, scopes);
      items = input?.type.kind === "list" ? this.size(n.input, scopes) : exact(1);
    } else items = exact(1);
    const requests = n.kind === "rerank" ? exact(1) : perRequest(items, per);
    this.steps.push({
      level,
      kind: n.kind,
      client: n.client,
      endpoint: client.endpoint ?? "?",
      items: mul(rounds ?? exact(1), mul(times, items)),
      requests: rounds && n.kind !== "rerank" ? mul(rounds, perRequest(mul(times, items), per)) : mul(times, requests),
      conditional,
      ...(n.span ? { span: n.span } : {}),
    });
  }
}

/** The static plan of one graph. */
export function planGraph(program: IrProgram, graph: string): Plan {
  const g = program.graphs[graph];
  const planner = new Planner(program);
  const criticalPath = planner.scope(g, [], 0, exact(1), false);
  const steps = [...planner.steps].sort((a, b) => a.level - b.level || (a.span?.start ?? 0) - (b.span?.start ?? 0));
  const requests = sum(steps.map((s) => (s.conditional ? { text: `≤ ${s.requests.text}` } : s.requests)));
  const effects = [...planner.effects].sort((a, b) => (a.span?.start ?? 0) - (b.span?.start ?? 0));
  return { graph, steps, effects, criticalPath, requests };
}

type Meter = { requests: number; items: number; inputTokens: number; outputTokens: number; cost?: number };

/** What one request costs by the price table, or undefined for a model it does not list. */
export function priceOf(model: unknown, items: number, inputTokens: number, outputTokens: number): number | undefined {
  const price = PRICES[String(model ?? "")];
  if (!price) return undefined;
  if (price.perThousandSearches !== undefined) return (Math.ceil(Math.max(1, items) / 100) * price.perThousandSearches) / 1000;
  return (inputTokens * price.input + outputTokens * (price.output ?? 0)) / 1e6;
}

/** Wraps a backend to count requests, items, tokens and cost by client. */
class MeteredBackend implements ModelBackend {
  readonly byClient: Record<string, Meter> = {};
  private readonly unpriced = new Set<string>();

  /** `batchApi`: OpenAI requests go as Batch API jobs and cost `BATCH_API_PRICE` of the table's price. */
  constructor(
    private readonly inner: ModelBackend,
    private readonly batchApi = false,
  ) {}

  private meter(client: IrClient, model: unknown, items: number, inputTokens: number, outputTokens: number): void {
    const m = (this.byClient[client.name] ??= { requests: 0, items: 0, inputTokens: 0, outputTokens: 0, cost: 0 });
    m.requests++;
    m.items += items;
    m.inputTokens += inputTokens;
    m.outputTokens += outputTokens;
    const c = priceOf(model, items, inputTokens, outputTokens);
    const share = this.batchApi && client.provider === "openai" ? BATCH_API_PRICE : 1;
    if (c === undefined) this.unpriced.add(client.name);
    else if (m.cost !== undefined) m.cost += c * share;
  }

  /** Per-client figures; a client with any unpriced request has no cost. */
  result(): Record<string, Meter> {
    const out: Record<string, Meter> = {};
    for (const name of Object.keys(this.byClient).sort()) {
      const { cost, ...rest } = this.byClient[name];
      out[name] = this.unpriced.has(name) ? rest : { ...rest, cost };
    }
    return out;
  }

  complete(req: CompleteRequest): Promise<Data[]> {
    const input = req.prompts.reduce((t, p) => t + p.$prompt.messages.reduce((u, m) => u + tokensOf(m.content), 0), 0);
    const perAnswer = typeof req.settings.max_tokens === "number" ? req.settings.max_tokens : DEFAULT_ANSWER_TOKENS;
    this.meter(req.client, req.settings.model, req.prompts.length, input, perAnswer * req.prompts.length);
    return this.inner.complete(req);
  }

  embed(req: EmbedRequest): Promise<number[][]> {
    this.meter(req.client, req.settings.model, req.texts.length, req.texts.reduce((t, x) => t + tokensOf(x), 0), 0);
    return this.inner.embed(req);
  }

  rerank(req: RerankRequest): Promise<Data> {
    this.meter(req.client, req.settings.model, req.documents.length, tokensOf(req.query) + req.documents.reduce((t, x) => t + tokensOf(x), 0), 0);
    return this.inner.rerank(req);
  }
}

/** How a dry run sends its calls. */
export interface DryRunOptions {
  /** As `feste exec --batch-api` would: OpenAI calls as Batch API jobs, at half price. */
  readonly batchApi?: boolean;
}

/**
 * Runs the graph as `feste exec --fake` would: the same scheduler and providers, against a
 * stand-in server started on loopback for the purpose, answering at once. Nothing leaves the
 * machine; the requests counted are the ones a real run would send for these answers (with
 * `batchApi`, the model requests that travel as Batch API lines, not the file and batch requests).
 */
export async function dryRun(program: IrProgram, graph: string, inputs: Readonly<Record<string, Data>>, externs?: ExternRunner, options: DryRunOptions = {}): Promise<DryRun> {
  const server = await startStandIn();
  const providers = { override: pointAt(server) };
  const batchApi = options.batchApi === true;
  // The stand-in completes a batch at once, so the first poll finds it done.
  const backend = new MeteredBackend(batchApi ? batchApiBackend({ ...providers, pollMs: 1 }) : providerBackend(providers), batchApi);
  try {
    await runGraph(program, graph, inputs, { backend, ...(externs ? { externs } : {}) });
  } finally {
    await server.close();
  }
  const byClient = backend.result();
  const all = Object.values(byClient);
  const total = (k: "requests" | "inputTokens" | "outputTokens") => all.reduce((t, m) => t + m[k], 0);
  const cost = all.every((m) => m.cost !== undefined) ? all.reduce((t, m) => t + m.cost!, 0) : undefined;
  return { requests: total("requests"), byClient, inputTokens: total("inputTokens"), outputTokens: total("outputTokens"), ...(cost !== undefined ? { cost } : {}), pricesAsOf: PRICES_AS_OF, ...(batchApi ? { batchApi: true as const } : {}) };
}
