/**
 * Every example run with `--scheduler bullmq` (a coordinator in this process, two `feste
 * worker` processes sharing one Redis) gives the value a local run gives, and the stand-in
 * server receives the same number of requests on every path.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeHost } from "../../src/cli/node-host.js";
import { compileFile } from "../../src/compile.js";
import { memoryHost } from "../../src/phases/1-parse/index.js";
import { startCoordinator } from "../../src/distributed/index.js";
import type { Data } from "../../src/ir/value.js";
import { providerBackend } from "../../src/providers/index.js";
import { createExternPool } from "../../src/runtime/extern-pool.js";
import { runGraph } from "../../src/runtime/run.js";
import { pointAt, startStandIn, type StandInServer } from "../../src/testing/index.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";
import { jobsFinished, spawnWorker, type WorkerProcess } from "../support/workers.js";

const root = join(__dirname, "..", "..");
const examples = readdirSync(join(root, "examples")).filter((f) => f.endsWith(".feste")).map((f) => f.replace(/\.feste$/, "")).sort();
const pool = createExternPool();
let server: StandInServer;
let redis: TestRedis;
let workers: WorkerProcess[] = [];

beforeAll(async () => {
  [server, redis] = await Promise.all([startStandIn({ latencyMs: 5, perItemMs: 0.05 }), startRedis()]);
  workers = await Promise.all([spawnWorker(redis.url), spawnWorker(redis.url)]);
}, 60_000);
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await Promise.all([server?.close(), redis?.stop(), pool.close()]);
});

function load(name: string) {
  const r = compileFile(join("examples", `${name}.feste`), nodeHost);
  if (!r.optimized) throw new Error(`${name} does not compile`);
  const graph = Object.keys(r.optimized.graphs).includes("main") ? "main" : Object.keys(r.optimized.graphs)[0];
  const inputs = JSON.parse(readFileSync(join(root, "examples", `${name}.input.json`), "utf8")) as Record<string, Data>;
  return { program: r.optimized, graph, inputs };
}

describe("examples on BullMQ with two workers", () => {
  for (const name of examples) {
    it(`${name}: the same value and the same requests as a local run`, async () => {
      const { program, graph, inputs } = load(name);
      server.reset();
      const local = await runGraph(program, graph, inputs, { backend: providerBackend({ override: pointAt(server) }), externs: pool.run });
      const localPaths = server.byPath();

      server.reset();
      // Limits are scaled down 60 times so rpm-paced examples do not take minutes; the stand-in has no limit here.
      const c = await startCoordinator({ redis: redis.url, program, timeScale: 60, standIn: { openaiBaseURL: server.openaiBaseURL, cohereBaseURL: server.cohereBaseURL } });
      try {
        const run = await runGraph(c.program, graph, inputs, { backend: c.backend, storedAnswers: c.storedAnswers, externs: c.externs });
        expect(run.value).toEqual(local.value);
        expect(server.byPath()).toEqual(localPaths);
        expect(c.stats.modelJobs).toBe(server.requests());
        expect(run.stats.requests).toBe(server.requests());
        expect(server.log.every((e) => e.status === 200)).toBe(true);
        // Run again: every answer is read from Redis, nothing is sent or counted as sent.
        server.reset();
        const again = await runGraph(c.program, graph, inputs, { backend: c.backend, storedAnswers: c.storedAnswers, externs: c.externs });
        expect(again.value).toEqual(local.value);
        expect(again.stats.requests).toBe(0);
        expect(server.requests()).toBe(0);
      } finally {
        await c.close();
      }
    }, 60_000);
  }

  it("a generated module with RunOptions.distributed: the value of a local run, externs in process or on the workers", async () => {
    const { main } = await import("../../generated/pipeline.js");
    const input = JSON.parse(readFileSync(join(root, "examples", "pipeline.input.json"), "utf8")) as Parameters<typeof main>[0];
    const local = await main(input, { fake: true });
    expect(await main(input, { fake: true, distributed: { redis: redis.url } })).toEqual(local);
    expect(await main(input, { fake: true, distributed: { redis: redis.url, externs: "workers" } })).toEqual(local);
  });

  it("provider faults are retried on the workers: 500s and 429s cost retries, not failures, and each call counts once", async () => {
    const source = `client gpt: openai.chat { model: "m", temperature: 0, retries: 4 }\ngraph main(xs: string[]) -> string[] { for x in xs { gpt(x) } }\n`;
    const program = compileFile("main.feste", memoryHost({ "main.feste": source })).optimized!;
    const xs = Array.from({ length: 20 }, (_, i) => `faulty question ${i}`);
    server.reset();
    const local = await runGraph(program, "main", { xs }, { backend: providerBackend({ override: pointAt(server) }) });
    const flaky = await startStandIn({ latencyMs: 5, faults: { errorEvery: 4, tooManyEvery: 7 } });
    const c = await startCoordinator({ redis: redis.url, program, standIn: { openaiBaseURL: flaky.openaiBaseURL, cohereBaseURL: flaky.cohereBaseURL } });
    try {
      const run = await runGraph(c.program, "main", { xs }, { backend: c.backend, storedAnswers: c.storedAnswers });
      expect(run.value).toEqual(local.value);
      expect(run.stats.byClient.gpt).toEqual({ requests: 20, items: 20, failed: 0 });
      expect(c.stats.modelJobs).toBe(20);
      const faults = flaky.log.filter((e) => e.status !== 200);
      expect(faults.some((e) => e.status === 500) && faults.some((e) => e.status === 429)).toBe(true);
      expect(flaky.log.filter((e) => e.status === 200)).toHaveLength(20);
    } finally {
      await c.close();
      await flaky.close();
    }
  });

  it("both workers took jobs", async () => {
    for (const jobs of await Promise.all(workers.map(jobsFinished))) expect(jobs).toBeGreaterThan(0);
  }, 30_000);
});
