/**
 * A worker killed with SIGKILL in the middle of its jobs: the queue notices its lost locks
 * and re-delivers its jobs to another worker, the run completes with the value of a local
 * run, and the server saw the requests in flight at the kill at most twice and every other
 * exactly once.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { compileFile } from "../../src/compile.js";
import { memoryHost } from "../../src/phases/1-parse/index.js";
import { startCoordinator } from "../../src/distributed/index.js";
import { providerBackend } from "../../src/providers/index.js";
import { runGraph } from "../../src/runtime/run.js";
import { pointAt, startStandIn, type StandInServer } from "../../src/testing/index.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";
import { spawnWorker, type WorkerProcess } from "../support/workers.js";

let server: StandInServer;
let redis: TestRedis;
const started: WorkerProcess[] = [];
/** The conversation each request carried, by the server's request index. */
const prompts = new Map<number, string>();

beforeAll(async () => {
  [server, redis] = await Promise.all([startStandIn({ latencyMs: 300, override: (req) => void prompts.set(req.index, JSON.stringify(req.body.messages)) }), startRedis()]);
}, 30_000);
afterAll(async () => {
  await Promise.all(started.map((w) => w.kill()));
  await Promise.all([server?.close(), redis?.stop()]);
});

const source = `client gpt: openai.chat { model: "m", temperature: 0, max_concurrency: 4 }
graph main(xs: string[]) -> string[] { for x in xs { gpt(x) } }
`;

it("a worker killed mid-job: its jobs are re-delivered, only the calls in flight are sent twice", async () => {
  const program = compileFile("main.feste", memoryHost({ "main.feste": source })).optimized!;
  const inputs = { xs: Array.from({ length: 24 }, (_, i) => `question ${i}`) };
  const local = await runGraph(program, "main", inputs, { backend: providerBackend({ override: pointAt(server) }) });
  server.reset();
  prompts.clear();

  const first = await spawnWorker(redis.url, ["--concurrency", "2", "--lock-duration", "2000"]);
  started.push(first);
  const c = await startCoordinator({ redis: redis.url, program, standIn: { openaiBaseURL: server.openaiBaseURL, cohereBaseURL: server.cohereBaseURL } });
  try {
    const run = runGraph(c.program, "main", inputs, { backend: c.backend, storedAnswers: c.storedAnswers });
    // Once a few answers are in, the only worker has two requests at the server: kill it then.
    const until = performance.now() + 30_000;
    while (server.log.length < 4 || server.requests() - server.log.length < 1) {
      if (performance.now() > until) throw new Error(`the worker never got going: ${first.output()}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const killedAt = performance.now();
    await first.kill();
    started.push(await spawnWorker(redis.url, ["--lock-duration", "2000"]));

    const { value } = await run;
    expect(value).toEqual(local.value);
    // Let any answer to the killed worker's requests land in the log before counting.
    await new Promise((r) => setTimeout(r, 400));
    const sent = new Map<string, number>();
    for (const p of prompts.values()) sent.set(p, (sent.get(p) ?? 0) + 1);
    expect(sent.size).toBe(24);
    expect(server.log.every((e) => e.status === 200)).toBe(true);
    // Answered well before the kill: stored in Redis before the job counted as done, never sent again.
    const settled = new Set(server.log.filter((e) => e.end < killedAt - 100).map((e) => prompts.get(e.index)));
    expect(settled.size).toBeGreaterThanOrEqual(2);
    for (const p of settled) expect(sent.get(p!), p).toBe(1);
    // Only what the killed worker had in flight (2 jobs at a time) went out twice, and it did: its jobs were re-delivered.
    const twice = [...sent].filter(([, n]) => n === 2).map(([p]) => p);
    expect([...sent.values()].every((n) => n <= 2)).toBe(true);
    expect(twice.length).toBeGreaterThanOrEqual(1);
    expect(twice.length).toBeLessThanOrEqual(2);
  } finally {
    await c.close();
  }
}, 90_000);
