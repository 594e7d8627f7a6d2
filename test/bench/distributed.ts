/**
 * W1 on BullMQ: N short documents summarised on a completion endpoint (batched 20 to a
 * request), then one chat call writes the report, against the stand-in server (100 ms a
 * request by default). Run locally, then with 1, 2 and 4 `feste worker` processes sharing
 * one Redis; each row reports wall time, requests, jobs, throughput (documents a second) and
 * the overhead per job: (distributed wall - local wall) / jobs.
 *
 *   npx tsx test/bench/distributed.ts [--quick] [--n=2000] [--latency=100]
 *
 * Writes test/bench/results-distributed.json. `benchDistributed(opts)` returns the rows for
 * `npm run bench`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileFile } from "../../src/compile.js";
import { startCoordinator } from "../../src/distributed/index.js";
import type { IrProgram } from "../../src/ir/nodes.js";
import { memoryHost } from "../../src/phases/1-parse/index.js";
import { providerBackend } from "../../src/providers/index.js";
import { runGraph } from "../../src/runtime/run.js";
import { pointAt, startStandIn, type StandInServer } from "../../src/testing/index.js";
import { startRedis } from "../support/redis-server.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");

const W1 = `
client davinci: openai.completion { model: "gpt-3.5-turbo-instruct", max_tokens: 60, temperature: 0, max_batch: 20 }
client writer: cohere.chat { model: "command-r-plus", temperature: 0, max_tokens: 400 }
prompt summarize(doc: string) """
  Summarise the following customer feedback in one sentence of at most 20 words.
  Feedback: {{ doc }}
  Summary:
  """
prompt report(summaries: string[]) """
  Write one paragraph for the product team from these summaries:
  {% for s in summaries %}- {{ s }}
  {% endfor %}
  """
graph main(docs: string[]) -> string {
  let summaries = for d in docs { davinci(summarize(d)) }
  writer(report(summaries))
}
`;

export interface DistributedRow {
  /** "local", or "bullmq ×k" */
  readonly mode: string;
  readonly workers: number;
  readonly n: number;
  readonly wallMs: number;
  readonly requests: number;
  readonly jobs: number;
  /** Documents a second. */
  readonly throughput: number;
  /** (wall - local wall) / jobs, in ms; 0 for the local row. */
  readonly overheadPerJobMs: number;
}

export interface BenchOptions {
  readonly n?: number;
  readonly workers?: readonly number[];
  readonly latencyMs?: number;
  /** Runs per row; the median is reported. */
  readonly runs?: number;
}

/** Runs the benchmark and returns its rows: local first, then one per worker count. */
export async function benchDistributed(opts: BenchOptions = {}): Promise<DistributedRow[]> {
  const n = opts.n ?? 2000;
  const runs = opts.runs ?? 3;
  const program = compileFile("w1.feste", memoryHost({ "w1.feste": W1 })).optimized!;
  const docs = Array.from({ length: n }, (_, i) => `Order ${i}: the ${["kettle", "lamp", "chair", "phone"][i % 4]} arrived ${i % 3 === 0 ? "late" : "on time"} and works ${i % 5 === 0 ? "badly" : "well"}.`);
  const [server, redis] = await Promise.all([startStandIn({ latencyMs: opts.latencyMs ?? 100 }), startRedis()]);
  const rows: DistributedRow[] = [];
  try {
    const local = await median(runs, async () => {
      server.reset();
      const t0 = performance.now();
      await runGraph(program, "main", { docs }, { backend: providerBackend({ override: pointAt(server) }) });
      return { wallMs: performance.now() - t0, requests: server.requests(), jobs: 0 };
    });
    rows.push(row("local", 0, n, local, local.wallMs));
    for (const k of opts.workers ?? [1, 2, 4]) {
      const workers = await Promise.all(Array.from({ length: k }, () => startWorkerProcess(redis.url)));
      try {
        const r = await median(runs, async () => {
          // Nothing answered by an earlier run: every run pays for every call.
          await redis.flush();
          server.reset();
          return distributedRun(program, docs, redis.url, server);
        });
        rows.push(row(`bullmq ×${k}`, k, n, r, local.wallMs));
      } finally {
        await Promise.all(workers.map(stopProcess));
      }
    }
  } finally {
    await Promise.all([server.close(), redis.stop()]);
  }
  return rows;
}

async function distributedRun(program: IrProgram, docs: string[], redis: string, server: StandInServer) {
  const c = await startCoordinator({ redis, program, standIn: { openaiBaseURL: server.openaiBaseURL, cohereBaseURL: server.cohereBaseURL } });
  try {
    const t0 = performance.now();
    await runGraph(c.program, "main", { docs }, { backend: c.backend, storedAnswers: c.storedAnswers, externs: c.externs });
    return { wallMs: performance.now() - t0, requests: server.requests(), jobs: c.stats.modelJobs + c.stats.externJobs };
  } finally {
    await c.close();
  }
}

type Sample = { wallMs: number; requests: number; jobs: number };

async function median(runs: number, once: () => Promise<Sample>): Promise<Sample> {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) samples.push(await once());
  return [...samples].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(samples.length / 2)];
}

function row(mode: string, workers: number, n: number, s: Sample, localMs: number): DistributedRow {
  return {
    mode,
    workers,
    n,
    wallMs: +s.wallMs.toFixed(1),
    requests: s.requests,
    jobs: s.jobs,
    throughput: +((n / s.wallMs) * 1000).toFixed(0),
    overheadPerJobMs: s.jobs === 0 ? 0 : +((s.wallMs - localMs) / s.jobs).toFixed(2),
  };
}

/** A `feste worker`, from the build when there is one (as `npm run bench` makes it), else from source. */
async function startWorkerProcess(redis: string): Promise<ChildProcess> {
  const built = join(root, "dist/cli/main.js");
  const args = existsSync(built) ? [built] : ["--import", "tsx", join(root, "src/cli/main.ts")];
  const child = spawn(process.execPath, [...args, "worker", "--redis", redis], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
  let out = "";
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on("data", (d) => {
      out += d;
      if (out.includes("ready (pid")) resolve();
    });
    child.once("exit", () => reject(new Error(`worker exited: ${out}`)));
  });
  return child;
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  process.kill(child.pid!, "SIGTERM");
  return exited;
}

function printTable(rows: readonly DistributedRow[]): void {
  console.log(`W1 (map-reduce) on BullMQ, N=${rows[0]?.n}: wall time, requests, jobs, throughput, overhead per job vs local`);
  console.log(`${"mode".padEnd(12)} ${"wall ms".padStart(9)} ${"requests".padStart(9)} ${"jobs".padStart(6)} ${"docs/s".padStart(8)} ${"overhead/job ms".padStart(16)}`);
  for (const r of rows) {
    console.log(`${r.mode.padEnd(12)} ${r.wallMs.toFixed(0).padStart(9)} ${String(r.requests).padStart(9)} ${String(r.jobs).padStart(6)} ${String(r.throughput).padStart(8)} ${(r.mode === "local" ? "-" : r.overheadPerJobMs.toFixed(2)).padStart(16)}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  const quick = process.argv.includes("--quick");
  const rows = await benchDistributed({ n: Number(flag("n") ?? (quick ? 200 : 2000)), latencyMs: Number(flag("latency") ?? 100), runs: quick ? 1 : 3 });
  printTable(rows);
  writeFileSync(join(here, "results-distributed.json"), JSON.stringify({ bench: "distributed-w1", rows }, null, 2) + "\n");
  process.exit(0);
}
