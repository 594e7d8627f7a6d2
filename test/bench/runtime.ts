/**
 * The runtime benchmark: each workload (W1-W7, see runtime/workloads.ts) run by each system
 * (naive SDK calls, Promise.all, LangChain.js, `feste exec`, the generated module; bare
 * `fetch` as a reference on W4 Cohere) against the stand-in server in its own process.
 * Prints a table, writes test/bench/results-runtime.json,
 * and exits 1 if feste sent more requests than the floor or any system's result differs from
 * the naive system's. Run by `npm run bench` (built first); `--quick` is the CI-sized run.
 *
 *   tsx test/bench/runtime.ts [--quick] [--n=200] [--texts=5000] [--chain=100] [--latency=100]
 *                             [--per-item=0] [--jitter=400] [--docs=1000] [--queries=20]
 *                             [--runs=5] [--only=w1,w3]
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { generateLargeGraph } from "./generate-large-graph.js";
import { langchain } from "./runtime/langchain.js";
import { naive } from "./runtime/naive.js";
import { promiseAll } from "./runtime/promise-all.js";
import { bareFetch } from "./runtime/bare-fetch.js";
import { report, type Context, type Row, type SystemName } from "./runtime/report.js";
import { feedback, questions } from "./runtime/inputs.js";
import { startServerProcess, type BenchServer } from "./runtime/server-process.js";
import { chainProgram, workloads, type PeerPrograms, type Settings, type Workload } from "./runtime/workloads.js";
import { KEY } from "./runtime/peer-calls.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const work = join(here, ".work");
const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const quick = process.argv.includes("--quick");
const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7).split(",");
const settings: Settings = {
  n: arg("n", quick ? 40 : 200),
  texts: arg("texts", quick ? 500 : 5000),
  chain: arg("chain", quick ? 20 : 100),
  latencyMs: arg("latency", quick ? 20 : 100),
  perItemMs: arg("per-item", 0),
  jitterMs: arg("jitter", quick ? 80 : 400),
  fanOut: [arg("fan-small", quick ? 50 : 200), arg("fan-large", quick ? 200 : 1000)],
  undeclared: arg("undeclared", quick ? 120 : 300),
  docs: arg("docs", 1000),
  queries: arg("queries", 20),
};
const RUNS = arg("runs", quick ? 1 : 5);
const PURE_NODES = arg("nodes", quick ? 20_000 : 100_000);
const PEERS: Partial<Record<SystemName, PeerPrograms>> = { naive, "Promise.all": promiseAll, "LangChain.js": langchain, "bare fetch": bareFetch };

/** Copies the programs (and writes W5's) to the work folder and compiles them to TypeScript there. */
function prepare(): void {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, "inputs"), { recursive: true });
  cpSync(join(here, "programs"), join(work, "programs"), { recursive: true });
  writeFileSync(join(work, "programs", "w5-chain.feste"), chainProgram(settings.chain));
  writeFileSync(join(work, "programs", "w0-startup.feste"), "graph main() -> int {\n  1\n}\n");
  const programs = readdirSync(join(work, "programs")).map((f) => join(work, "programs", f));
  const r = spawnSync(process.execPath, [join(root, "dist/cli/main.js"), "compile", ...programs, "-o", join(work, "generated")], { stdio: "inherit" });
  if (r.status !== 0) throw new Error("compiling the bench programs failed");
}

/**
 * The generated modules as an application ships them: compiled to JavaScript, importing the
 * built `feste/runtime`. Imported as TypeScript, tsx would resolve `feste/runtime` to the
 * sources through tsconfig's paths and measure its own transform (a wrapper on every closure).
 */
async function shipModules(): Promise<void> {
  const dir = join(work, "generated");
  const entryPoints = readdirSync(dir).filter((f) => f.endsWith(".ts")).map((f) => join(dir, f));
  await build({ entryPoints, outdir: join(work, "shipped"), format: "esm", platform: "node", target: "node20", outExtension: { ".js": ".mjs" }, logLevel: "error" });
}

interface Outcome {
  readonly value?: unknown;
  readonly error?: string;
}

/** One `feste exec` of the workload's program, as a user runs it (a fresh process each time). */
function festeExec(w: Workload, env: NodeJS.ProcessEnv): Promise<Outcome> {
  const input = join(work, "inputs", `${w.id}.json`);
  writeFileSync(input, JSON.stringify(w.input));
  const args = [join(root, "dist/cli/main.js"), "exec", join(work, "programs", w.program), "--input", `@${input}`, "--json", "--no-cache"];
  if (w.timeScale) args.push("--time-scale", String(w.timeScale));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => resolve(code === 0 ? { value: JSON.parse(out) } : { error: (err || out).trim().split("\n").slice(0, 3).join(" ") }));
  });
}

/** The generated module of a workload's program, imported once (outside any measured run). */
function generatedModule(w: Workload): Promise<{ main(input: unknown, options: object): Promise<unknown> }> {
  return import(pathToFileURL(join(work, "shipped", w.program.replace(/\.feste$/, ".mjs"))).href);
}

/** One call of the generated module's `main`, as an application makes it. */
async function festeModule(w: Workload): Promise<Outcome> {
  const mod = await generatedModule(w);
  return { value: await mod.main(w.input, w.timeScale ? { timeScale: w.timeScale } : {}) };
}

async function attempt(run: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await run();
  } catch (e) {
    return { error: e instanceof Error ? e.message.split("\n")[0] : String(e) };
  }
}

/** Runs one system on one workload: a warm-up (not in --quick), then RUNS measured runs. */
async function measureSystem(w: Workload, system: SystemName, server: BenchServer, run: () => Promise<Outcome>): Promise<Row> {
  if (!quick) await attempt(run);
  const runs: Row["runs"][number][] = [];
  let value: unknown;
  let error: string | undefined;
  for (let i = 0; i < RUNS; i++) {
    await server.reset();
    const t0 = performance.now();
    const o = await attempt(run);
    const wallMs = performance.now() - t0;
    const stats = await server.stats();
    const { openai, cohere } = stats.firstStart;
    const spreadMs = openai !== undefined && cohere !== undefined ? Math.abs(openai - cohere) : undefined;
    runs.push({ wallMs, requests: stats.requests, status429: stats.status429, failed: o.error !== undefined, ...(spreadMs !== undefined ? { spreadMs } : {}) });
    if (o.error !== undefined) error ??= o.error;
    else value ??= o.value;
  }
  return { workload: w.id, system, runs, value, error };
}

async function benchWorkload(w: Workload): Promise<{ rows: Row[]; floor: ReturnType<Workload["floor"]> }> {
  const server = await startServerProcess(w.server);
  const env = { ...process.env, OPENAI_API_KEY: KEY, CO_API_KEY: KEY, BENCH_OPENAI_URL: server.openaiBaseURL, BENCH_COHERE_URL: server.cohereBaseURL, NO_COLOR: "1" };
  Object.assign(process.env, env);
  const context = { openaiBaseURL: server.openaiBaseURL, cohereBaseURL: server.cohereBaseURL, input: w.input };
  const rows: Row[] = [];
  try {
    for (const [system, programs] of Object.entries(PEERS) as [SystemName, PeerPrograms][]) {
      const program = programs[w.peerProgram];
      if (program) rows.push(progress(await measureSystem(w, system, server, async () => ({ value: await program(context) }))));
    }
    rows.push(progress(await measureSystem(w, "feste exec", server, () => festeExec(w, env))));
    await generatedModule(w);
    rows.push(progress(await measureSystem(w, "feste module", server, () => festeModule(w))));
  } finally {
    await server.close();
  }
  const reference = rows.find((r) => r.value !== undefined && r.system === "naive") ?? rows.find((r) => r.value !== undefined);
  return { rows, floor: w.floor(reference?.value) };
}

function progress(row: Row): Row {
  const walls = row.runs.map((r) => r.wallMs.toFixed(0)).join(", ");
  process.stderr.write(`  ${row.workload} ${row.system}: ${walls} ms${row.error ? ` (failed: ${row.error})` : ""}\n`);
  return row;
}

/** W5's second half: a graph of pure local nodes, run by the scheduler in process; µs per node. */
async function pureNodes(): Promise<{ nodes: number; medianMs: number; usPerNode: number }> {
  const lib = (await import(pathToFileURL(join(root, "dist/index.js")).href)) as typeof import("../../src/index.js");
  const rt = (await import(pathToFileURL(join(root, "dist/runtime/index.js")).href)) as typeof import("../../src/runtime/index.js");
  const { FakeBackend } = (await import(pathToFileURL(join(root, "dist/testing/index.js")).href)) as typeof import("../../src/testing/index.js");
  const checked = lib.checkFile("big.feste", lib.memoryHost({ "big.feste": generateLargeGraph(PURE_NODES) })).checked!;
  const program = lib.optimize(lib.lower(checked));
  let nodes = 0;
  lib.walkNodes(program.graphs.big, () => nodes++);
  const times: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const t0 = performance.now();
    await rt.runGraph(program, "big", { x: 3, s: "ab" }, { backend: new FakeBackend() });
    if (i > 0 || quick) times.push(performance.now() - t0);
  }
  const medianMs = times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
  return { nodes, medianMs, usPerNode: (medianMs * 1000) / nodes };
}

/**
 * W7's pure step in process: the per-query `for` (1 cosine per document, then top 3 and the
 * prompt) over fixed vectors, run the old way, walking the IR per element (`evaluatePure`,
 * the reference), and by the closures the interpreter now compiles once; µs per element
 * (one document scored against one query).
 */
async function ragPure(): Promise<Context["ragPure"]> {
  const lib = (await import(pathToFileURL(join(root, "dist/index.js")).href)) as typeof import("../../src/index.js");
  const { fakeVector } = (await import(pathToFileURL(join(root, "dist/testing/index.js")).href)) as typeof import("../../src/testing/index.js");
  const file = join(here, "programs", "w7-rag.feste");
  const checked = lib.checkFile(file, lib.memoryHost({ [file]: readFileSync(file, "utf8") })).checked!;
  const program = lib.optimize(lib.lower(checked));
  const g = program.graphs.main;
  const perQuery = Object.values(g.nodes).find((n) => n.kind === "map")!;
  const [docVectors, queryVectors] = Object.values(g.nodes).filter((n) => n.kind === "batch");
  const docs = feedback(settings.docs);
  const queries = questions(settings.queries);
  const values = new Map<string, unknown>([
    [docVectors.id, docs.map((d) => fakeVector(d, 64))],
    [queryVectors.id, queries.map((q) => fakeVector(q, 64))],
  ]);
  const frame = () => {
    const f = new lib.Frame(new Map<string, never>([["docs", docs as never], ["queries", queries as never]]));
    for (const n of Object.values(g.nodes)) if (n.kind === "input") f.values.set(n.id, (n.name === "docs" ? docs : queries) as never);
    for (const [id, v] of values) f.values.set(id, v as never);
    return f;
  };
  const scope = { nodes: { [perQuery.id]: perQuery }, output: perQuery.id };
  const elements = settings.docs * settings.queries;
  // Each run gets a fresh frame, made before the clock starts.
  const median = (run: (f: ReturnType<typeof frame>) => unknown) => {
    const times: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const f = frame();
      const t0 = performance.now();
      run(f);
      if (i > 0 || quick) times.push(performance.now() - t0);
    }
    return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
  };
  const compiled = lib.compiledScope(program, scope);
  const beforeMs = median((f) => lib.evaluatePure(program, scope, f));
  const afterMs = median((f) => compiled(f));
  return { elements, beforeMs, afterMs, beforeUs: (beforeMs * 1000) / elements, afterUs: (afterMs * 1000) / elements };
}

/** How many fresh processes the start-up row times (odd, for a median). */
const STARTUP_RUNS = arg("startup-runs", quick ? 5 : 21);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Wall time of one process `node ARGS`, from spawn to exit. */
function timeProcess(args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { stdio: "ignore" });
    child.on("close", () => resolve(performance.now() - t0));
  });
}

/**
 * How long `feste exec` takes with nothing to send (process start, compile, run), as the
 * median of fresh processes of the built CLI, beside `node -e 0` timed in the same loop (the
 * floor any Node CLI starts from) and the load average, since the machine may be shared.
 */
async function execStartup(): Promise<Context["startup"]> {
  const w = { id: "w0", program: "w0-startup.feste", input: {} } as unknown as Workload;
  await festeExec(w, process.env); // writes the input file, warms the disk cache
  const args = [join(root, "dist/cli/main.js"), "exec", join(work, "programs", w.program), "--input", `@${join(work, "inputs", "w0.json")}`, "--json", "--no-cache"];
  const exec: number[] = [];
  const bare: number[] = [];
  const load = loadavg()[0];
  for (let i = 0; i < STARTUP_RUNS; i++) {
    exec.push(await timeProcess(args));
    bare.push(await timeProcess(["-e", "0"]));
  }
  return { runs: STARTUP_RUNS, execMs: median(exec), nodeMs: median(bare), load: Math.max(load, loadavg()[0]) };
}

prepare();
await shipModules();
const chosen = workloads(settings).filter((w) => !only || only.includes(w.id));
const results = [];
for (const w of chosen) {
  process.stderr.write(`${w.title}\n`);
  results.push({ workload: w, ...(await benchWorkload(w)) });
}
const pure = await pureNodes();
const rag = chosen.some((w) => w.id === "w7") ? await ragPure() : undefined;
const startup = await execStartup();
const ok = report(results, { settings, runs: RUNS, quick, pure, ...(rag ? { ragPure: rag } : {}), startupMs: startup.execMs, startup, cores: cpus().length, node: process.version }, join(here, "results-runtime.json"));
process.exit(ok ? 0 : 1);
