/**
 * Running a graph: `runGraph` is what `feste exec` and generated modules call. Graph mode
 * hands the graph to the scheduler (everything ready runs at once, calls batched as they
 * become ready); eager mode (`eager: true`, or `context.run({ eager: true }, ...)`) runs it
 * statement by statement on the reference interpreter, one prompt per request, reporting
 * each step. Both send through a dispatcher (retries, pacing, timeouts, cache, fallback) and
 * count what they send the same way.
 */
import { setMaxListeners } from "node:events";
import type { IrProgram } from "../ir/nodes.js";
import type { Data } from "../ir/value.js";
import type { ModelBackend } from "./backend.js";
import { context } from "./context.js";
import { CountingBackend, type ClientCount } from "./counting-backend.js";
import { cachingBackend, type AnswerCache } from "./cache/index.js";
import { Evaluator, type EagerStep } from "./evaluate.js";
import type { ExternRunner } from "./run-hooks.js";
import { Scheduler } from "./scheduler.js";
import { graphClients } from "./graph-clients.js";
import { Dispatcher } from "./dispatcher.js";
import { Clock } from "./reliability/clock.js";
import { tokensOf } from "./tokens.js";
import { tracingBackend, type TraceRecorder } from "./trace/index.js";

/** How `runGraph` runs a graph: the backend and extern runner it talks to, and what it reports. */
export interface GraphRunOptions {
  readonly backend: ModelBackend;
  readonly externs?: ExternRunner;
  /** Statement by statement, no batching; default: the enclosing `context`'s setting. */
  readonly eager?: boolean;
  readonly signal?: AbortSignal;
  /** Counts a text's tokens for request budgets; default: OpenAI's o200k tokenizer. */
  readonly countTokens?: (text: string) => number;
  /**
   * Finish every branch that does not depend on a failed call and return the partial value
   * (a failed `for` element is null, a failed output is null) with `failures`, instead of
   * failing at the first error. Graph mode only.
   */
  readonly keepGoing?: boolean;
  /** Answers already paid for are read from here, and new ones written before they count as done. */
  readonly cache?: AnswerCache;
  /**
   * Wraps the counted backend in a layer answering what is already stored elsewhere (a
   * distributed run's Redis), so only what is really sent counts as a request.
   */
  readonly storedAnswers?: (counted: ModelBackend) => ModelBackend;
  /** Provider time over real time (tests against a stand-in with a scaled clock); default 1. */
  readonly timeScale?: number;
  /** How long a ready call may wait for others to join while extern functions still run (ms). */
  readonly batchWindowMs?: number;
  /** Told whenever a node finishes or a request starts or ends. */
  readonly onProgress?: (p: Progress) => void;
  /** Eager mode: told after each step. */
  readonly onStep?: (step: EagerStep) => void;
  /** Records every request sent and every cache lookup (`feste exec --trace`). */
  readonly trace?: TraceRecorder;
}

export interface Progress {
  readonly nodesDone: number;
  /** Nodes known so far: a `map` adds its body's nodes per element as it expands. */
  readonly nodesTotal: number;
  readonly requests: number;
  readonly inFlight: number;
  readonly elapsedMs: number;
}

export interface RunStats {
  readonly mode: "graph" | "eager";
  /** Requests sent to providers (cache hits are not requests). */
  readonly requests: number;
  /** With a cache: calls answered from it, and calls sent. */
  readonly cache?: { readonly hits: number; readonly misses: number };
  readonly byClient: Readonly<Record<string, ClientCount>>;
  readonly wallMs: number;
}

export interface RunResult {
  readonly value: Data;
  readonly stats: RunStats;
  /** With `keepGoing`: every call that failed, each a `FesteRuntimeError` with its `.feste` span. */
  readonly failures: readonly unknown[];
}

/** The default backstop window for dynamic batching. */
export const DEFAULT_BATCH_WINDOW_MS = 10;

/** Runs `graph` of `program` on `inputs`; rejects with the first failure (a `FesteRuntimeError` with its `.feste` span). */
export async function runGraph(program: IrProgram, graph: string, inputs: Readonly<Record<string, Data>>, options: GraphRunOptions): Promise<RunResult> {
  const eager = options.eager ?? context.current().eager ?? false;
  const started = performance.now();
  let nodesDone = 0;
  let nodesTotal = 0;
  const report = () =>
    options.onProgress?.({ nodesDone, nodesTotal, requests: counted.requests, inFlight: counted.inFlight, elapsedMs: performance.now() - started });
  // The trace sits right above the provider, so it records each request that leaves, retries included.
  const sent = options.trace ? tracingBackend(options.backend, options.trace) : options.backend;
  const counted = new CountingBackend(sent, options.onProgress && report);
  // The cache sits in front of the counter, so only what really leaves is counted.
  const trace = options.trace;
  const lookups = trace ? { onLookup: (client: string, hits: number, items: number) => trace.lookup(client, hits, items) } : {};
  const stored = options.storedAnswers ? options.storedAnswers(counted) : counted;
  const backend: ModelBackend = options.cache ? cachingBackend(stored, options.cache, lookups) : stored;
  const hitsBefore = options.cache ? { ...options.cache.stats } : undefined;
  const abort = new AbortController();
  // Every call backing off or waiting for its turn listens on the run's signal at once; a
  // rate-limited run has hundreds, which is no leak, so Node must not warn about them.
  setMaxListeners(0, abort.signal);
  const cancel = () => abort.abort(options.signal?.reason);
  if (options.signal?.aborted) cancel();
  options.signal?.addEventListener("abort", cancel, { once: true });
  try {
    // SDKs loaded and clients made before the first request, so none waits for a module load.
    await options.backend.warm?.(graphClients(program, graph));
    let value: Data;
    let failures: readonly unknown[] = [];
    if (eager) {
      const onStep = (s: EagerStep) => {
        nodesDone++;
        nodesTotal = nodesDone;
        options.onStep?.(s);
        report();
      };
      // The same send path as graph mode: only batching and parallelism differ.
      const clock = new Clock(options.timeScale);
      const calls = new Dispatcher(program, backend, { countTokens: options.countTokens ?? tokensOf, signal: abort.signal, windowMs: 0, busy: () => false, clock });
      value = await new Evaluator(program, { backend, eager: true, compiled: true, onStep, signal: abort.signal, calls, ...pick(options) }).run(graph, inputs);
    } else {
      const onNode = (what: "start" | "done") => {
        if (what === "start") nodesTotal++;
        else nodesDone++;
        if (what === "done") report();
      };
      const hooks = { backend, countTokens: options.countTokens ?? tokensOf, windowMs: options.batchWindowMs ?? DEFAULT_BATCH_WINDOW_MS, onNode, ...pick(options), ...(options.timeScale ? { timeScale: options.timeScale } : {}) };
      const scheduler = new Scheduler(program, { ...hooks, ...(options.keepGoing ? { keepGoing: true } : {}) }, abort);
      value = await scheduler.run(graph, inputs);
      failures = scheduler.failures;
    }
    const cache = options.cache && hitsBefore ? { hits: options.cache.stats.hits - hitsBefore.hits, misses: options.cache.stats.misses - hitsBefore.misses } : undefined;
    return { value, failures, stats: { mode: eager ? "eager" : "graph", requests: counted.requests, byClient: counted.byClient, wallMs: performance.now() - started, ...(cache ? { cache } : {}) } };
  } finally {
    options.signal?.removeEventListener("abort", cancel);
  }
}

function pick(options: GraphRunOptions): { externs?: ExternRunner; countTokens?: (text: string) => number } {
  return { ...(options.externs ? { externs: options.externs } : {}), ...(options.countTokens ? { countTokens: options.countTokens } : {}) };
}
