/**
 * `feste exec FILE [--graph NAME] [--input JSON|@file] [--eager] [--fake] [--json]`: runs a
 * graph and prints its value as JSON on stdout. Graph mode runs the optimized graph on the
 * scheduler; `--eager` runs the program as written, statement by statement, printing each
 * step. `--fake` starts the offline stand-in server in this process and points every client
 * at it. Without `--input`, a `FILE.input.json` beside the program is used if there is one.
 */
import { existsSync } from "node:fs";
import { batchApiBackend, providerBackend, type ProviderOptions } from "../providers/index.js";
import { openCache, type AnswerCache } from "../runtime/cache/index.js";
import { graphClients } from "../runtime/graph-clients.js";
import type { EagerStep } from "../runtime/evaluate.js";
import { runGraph } from "../runtime/run.js";
import { pointAt, startStandIn } from "../testing/stand-in/index.js";
import { coordinate, distributedFlag, distributedSummary } from "./distributed-exec.js";
import { closeExterns, runExtern } from "./extern-loader.js";
import { keyVariables, missingKeys, untrimmedKeyWarnings } from "./key-check.js";
import { rememberSecrets } from "./secrets.js";
import { printDiagnostics } from "./output.js";
import { jsonFailures, reportDiagnosticsAsJson, reportFailure } from "./failure.js";
import { ProgressLine } from "./progress-line.js";
import { chooseGraph, CliExit, compileOrExit, disabledPasses, readInputs } from "./program-options.js";
import { renderSummary, type TokenCount } from "./run-summary.js";
import { printRuntimeError } from "./runtime-error.js";
import { lineLocator } from "./source-lines.js";
import { startTrace } from "./trace-file.js";

export interface ExecOptions {
  graph?: string;
  input?: string;
  eager?: boolean;
  fake?: boolean;
  fakeLatency?: string;
  json?: boolean;
  opt?: unknown;
  keepGoing?: boolean;
  deadline?: string;
  /** A path, or false for `--no-cache`. */
  cache?: string | false;
  batchApi?: boolean;
  timeScale?: string;
  /** `--trace FILE`: Chrome trace-event JSON of every request sent. */
  trace?: string;
  /** `local` (default) or `bullmq`, with `redis`: a distributed run. */
  scheduler?: string;
  redis?: string;
}

/** Where answers are cached unless `--cache` says otherwise. */
export const DEFAULT_CACHE = ".feste/cache.sqlite";

export async function runExec(file: string, opts: ExecOptions): Promise<number> {
  const result = compileOrExit(file, disabledPasses(opts.opt), /*quiet*/ opts.json === true);
  // Eager mode runs the program as written: no pass has batched or reordered anything.
  const program = opts.eager ? result.lowered : result.optimized;
  const graph = chooseGraph(result, program, opts.graph, file);
  const inputs = readInputs(program, graph, opts.input ?? besideInput(file));
  if (!inputs) {
    const params = program.graphs[graph].params.map((p) => p.name).join(", ");
    reportFailure("input", `\`${graph}\` takes ${params}: give them with --input '{...}' or --input @file.json`);
    throw new CliExit(2);
  }
  rememberSecrets(process.env, keyVariables(program, graph));
  if (!opts.fake) {
    for (const w of untrimmedKeyWarnings(program, graph, process.env)) process.stderr.write(w + "\n");
    const missing = missingKeys(program, graph, process.env);
    if (missing.length > 0) {
      if (!reportDiagnosticsAsJson("key", missing, (f) => result.program.sources.get(f))) printDiagnostics(missing, (f) => result.program.sources.get(f), process.stderr);
      return 1;
    }
  }
  // Flags are read before anything starts, so a bad one leaves nothing running.
  const latencyMs = numberFlag("--fake-latency", "milliseconds", opts.fakeLatency, /*strict*/ false) ?? 0;
  const deadline = numberFlag("--deadline", "seconds", opts.deadline, /*strict*/ true);
  const timeScale = numberFlag("--time-scale", "a factor", opts.timeScale, /*strict*/ true);
  const redis = distributedFlag(opts);
  // A graph that calls no model reads no answers: the SQLite module is not even loaded.
  let cache: AnswerCache | undefined;
  try {
    if (graphClients(program, graph).length > 0) cache = await openCacheFor(opts);
  } catch (e) {
    if (printRuntimeError(e, result.program.sources, opts.json === true)) return 1;
    throw e;
  }
  const trace = opts.trace === undefined ? undefined : startTrace(opts.trace, `${graph} (${file})`);
  const server = opts.fake ? await startStandIn({ latencyMs }) : undefined;
  const tokens = new Map<string, TokenCount>();
  const providers: ProviderOptions = {
    ...(server ? { override: pointAt(server) } : {}),
    onUsage: (c, u) => {
      const t = tokens.get(c.name) ?? { inputTokens: 0, outputTokens: 0 };
      tokens.set(c.name, { inputTokens: t.inputTokens + u.inputTokens, outputTokens: t.outputTokens + u.outputTokens });
    },
  };
  const backend = opts.batchApi ? batchApiBackend(providers) : providerBackend(providers);
  const live = !opts.json && process.stderr.isTTY ? new ProgressLine(process.stderr) : undefined;
  const locate = lineLocator(result.program.sources);
  const abort = new AbortController();
  // SIGTERM (a service manager, `kill`, a container stopping) ends the run as Ctrl-C does:
  // in-flight requests aborted, the cache closed, the trace written; only the exit code differs.
  let stoppedBy: "SIGINT" | "SIGTERM" | undefined;
  const interrupt = (signal: "SIGINT" | "SIGTERM") => {
    stoppedBy ??= signal;
    abort.abort(Object.assign(new Error("interrupted"), { name: "AbortError" }));
  };
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  const timer = deadline === undefined ? undefined : setTimeout(() => abort.abort(new Error("deadline")), deadline * 1000);
  let coordinator: Awaited<ReturnType<typeof coordinate>> | undefined;
  try {
    if (redis) coordinator = await coordinate(redis, program, server, providers.onUsage);
    const run = await runGraph(coordinator?.program ?? program, graph, inputs, {
      backend: coordinator?.backend ?? backend,
      ...(coordinator ? { storedAnswers: coordinator.storedAnswers } : {}),
      externs: coordinator?.externs ?? runExtern,
      eager: opts.eager === true,
      keepGoing: opts.keepGoing === true,
      signal: abort.signal,
      ...(cache ? { cache } : {}),
      ...(timeScale !== undefined ? { timeScale } : {}),
      ...(trace ? { trace: trace.recorder } : {}),
      ...(live ? { onProgress: (p) => live.update(p) } : {}),
      ...(opts.eager && !opts.json ? { onStep: (s: EagerStep) => printStep(s, locate, live) } : {}),
    });
    live?.clear();
    process.stdout.write(JSON.stringify(run.value, null, 2) + "\n");
    // With --keep-going: the partial value above, then each failure with its .feste line.
    for (const failure of run.failures) printRuntimeError(failure, result.program.sources, /*json*/ false);
    if (!opts.json) process.stderr.write(renderSummary(program, graph, run.stats, tokens, server !== undefined, opts.batchApi === true));
    if (!opts.json && coordinator) process.stderr.write(distributedSummary(coordinator));
    if (run.failures.length > 0) process.stderr.write(`${run.failures.length} call${run.failures.length === 1 ? "" : "s"} failed; the value above is partial\n`);
    return run.failures.length > 0 ? 1 : 0;
  } catch (e) {
    live?.clear();
    if (abort.signal.aborted && abort.signal.reason?.message === "deadline") {
      reportFailure("deadline", `the run passed its deadline of ${deadline} s; nothing more was sent`);
      return 1;
    }
    if (abort.signal.aborted) {
      const word = stoppedBy === "SIGTERM" ? "terminated" : "interrupted";
      if (jsonFailures()) reportFailure("interrupted", word);
      else process.stderr.write(`${word}\n`);
      return stoppedBy === "SIGTERM" ? 143 : 130;
    }
    if (printRuntimeError(e, result.program.sources, opts.json === true)) return 1;
    throw e;
  } finally {
    clearTimeout(timer);
    cache?.close();
    process.off("SIGINT", interrupt);
    process.off("SIGTERM", interrupt);
    await Promise.all([server?.close(), closeExterns(), coordinator?.close()]);
    trace?.write(/*quiet*/ opts.json === true);
  }
}

/**
 * The cache a run uses: `--cache PATH`, else the default file; none with `--no-cache`. A
 * `--fake` run caches only where `--cache` names a file, so stand-in answers never end up in
 * the cache real runs read. A file that cannot be written stops the run before anything is
 * sent (FE4030); a write failing later warns once and the run goes on.
 */
async function openCacheFor(opts: ExecOptions): Promise<AnswerCache | undefined> {
  if (opts.cache === false || (opts.fake && opts.cache === undefined)) return undefined;
  const cache = await openCache(opts.cache ?? DEFAULT_CACHE, { onWarning: (w) => process.stderr.write(`warning: ${w}\n`) });
  for (const w of cache.warnings) process.stderr.write(`warning: ${w}\n`);
  return cache;
}

/** `examples/support.input.json` for `examples/support.feste`, if it exists. */
function besideInput(file: string): string | undefined {
  const path = file.replace(/\.feste$/, "") + ".input.json";
  return existsSync(path) ? `@${path}` : undefined;
}

/** A numeric flag's value: 0 or more (above 0 when `strict`), or exit 2 naming the flag. */
function numberFlag(flag: string, unit: string, text: string | undefined, strict: boolean): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || (strict && n === 0)) {
    reportFailure("usage", `${flag} takes ${unit}, not \`${text}\``);
    throw new CliExit(2);
  }
  return n;
}

/** One eager step: what ran, where in the program, how long it took. */
function printStep(s: EagerStep, locate: ReturnType<typeof lineLocator>, live: ProgressLine | undefined): void {
  live?.clear();
  const n = s.node;
  const what = n.kind === "extern" ? `extern ${n.fn}` : "client" in n ? `${n.kind} ${n.client}` : n.kind;
  const at = locate(n.span);
  process.stderr.write(`  ${what.padEnd(24)} ${(at ? `${at.file}:${at.line}` : "").padEnd(28)} ${s.ms.toFixed(0).padStart(6)} ms\n`);
}
