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

import type { Size } from "./size.js";

export type { Size } from "./size.js";
export { planGraph } from "./plan-graph.js";

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
  /** In a graph inlined into the caller: the call site in the graph the plan is for. */
  readonly via?: Span;
  /** Other steps whose calls become ready with this one's and travel in the same requests. */
  readonly sharesWith?: readonly Span[];
}

/** A call of an `extern io fn`: an effect, never merged or cached, so `feste plan` lists it. */
export interface PlanEffect {
  readonly fn: string;
  /** How many times it runs, as a formula in input lengths. */
  readonly calls: Size;
  readonly conditional: boolean;
  readonly span?: Span;
  readonly via?: Span;
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
  /** Total requests as a formula in input lengths; `≤ ...` when the run may send fewer. */
  readonly requests: Size;
  /** Identical calls (embeddings; completions at temperature 0 or with `dedupe: true`) are asked once: repeated inputs send fewer. */
  readonly dedupes?: true;
  readonly dryRun?: DryRun;
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
