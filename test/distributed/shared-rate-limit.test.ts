/**
 * Shared pacing: two workers serve one client whose account allows 60 requests a window
 * (the stand-in's limiter on a clock 60 times faster, so a minute lasts one real second).
 * The client's queue limiter holds both workers to the limit together: no call fails, and
 * at most 1% of the requests are refused with a 429.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { compileFile } from "../../src/compile.js";
import { startCoordinator } from "../../src/distributed/index.js";
import { memoryHost } from "../../src/phases/1-parse/index.js";
import { runGraph } from "../../src/runtime/run.js";
import { startStandIn, type StandInServer } from "../../src/testing/index.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";
import { jobsFinished, spawnWorker, type WorkerProcess } from "../support/workers.js";

const TIME_SCALE = 60;
let server: StandInServer;
let redis: TestRedis;
let workers: WorkerProcess[] = [];

beforeAll(async () => {
  [server, redis] = await Promise.all([startStandIn({ latencyMs: 5, rateLimit: { requests: 60, windowMs: 60_000, timeScale: TIME_SCALE } }), startRedis()]);
  workers = await Promise.all([spawnWorker(redis.url), spawnWorker(redis.url)]);
}, 60_000);
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await Promise.all([server?.close(), redis?.stop()]);
});

it("two workers keep a client to its rpm together: no failed call, at most 1% 429s", async () => {
  const source = `client gpt: openai.chat { model: "m", temperature: 0, rpm: 60 }\ngraph main(xs: string[]) -> string[] { for x in xs { gpt(x) } }\n`;
  const program = compileFile("main.feste", memoryHost({ "main.feste": source })).optimized!;
  const xs = Array.from({ length: 240 }, (_, i) => `question ${i}`);
  const c = await startCoordinator({ redis: redis.url, program, timeScale: TIME_SCALE, standIn: { openaiBaseURL: server.openaiBaseURL, cohereBaseURL: server.cohereBaseURL } });
  try {
    const run = await runGraph(c.program, "main", { xs }, { backend: c.backend, storedAnswers: c.storedAnswers, timeScale: TIME_SCALE });
    expect(run.value).toHaveLength(240);
    expect(run.stats.byClient.gpt.failed).toBe(0);
    const refused = server.log.filter((e) => e.status === 429).length;
    const answered = server.log.filter((e) => e.status === 200).length;
    expect(answered).toBe(240);
    expect(refused).toBeLessThanOrEqual(Math.floor(0.01 * server.log.length));
    // The limit was what paced the run: 240 calls at 60 a window take at least 3 windows.
    const span = server.log[server.log.length - 1].end - server.log[0].start;
    expect(span).toBeGreaterThan(3 * (60_000 / TIME_SCALE));
    for (const jobs of await Promise.all(workers.map(jobsFinished))) expect(jobs).toBeGreaterThan(0);
  } finally {
    await c.close();
  }
}, 90_000);
