/**
 * Probe 11: distributed runs when Redis misbehaves. A coordinator whose Redis restarts empty
 * fails with FE4012 within 30 s instead of waiting forever for jobs that no longer exist; a
 * worker logs one line when Redis goes (no stack traces, however often it retries) and stops
 * within 5 s of SIGTERM or SIGINT even while Redis is down.
 */
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { startRedis } from "../support/redis-server.js";
import { feste, scratch, STACK_LINE } from "./support.js";

const PROGRAM = `client gpt: openai.chat { model: "m", temperature: 0 }
graph main(xs: string[]) -> string[] { for x in xs { gpt(x) } }
`;

/** Resolves once `check` is true, polling; rejects after `ms`. */
async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("distributed runs when Redis is lost", () => {
  it("Redis killed and restarted empty while the coordinator waits: FE4012 within 30 s, no hang", async () => {
    const s = scratch();
    const file = s.file("main.feste", PROGRAM);
    let redis = await startRedis();
    try {
      // No worker runs, so the run is still waiting for its jobs when Redis goes.
      let err = "";
      const running = feste(["exec", file, "--fake", "--no-cache", "--scheduler", "bullmq", "--redis", redis.url, "--input", '{"xs":["a","b"]}'], { timeoutMs: 60_000 });
      const probe = new Redis(redis.url, { maxRetriesPerRequest: 1 });
      probe.on("error", () => undefined);
      await until(async () => (await probe.keys("bull:*:wait")).length > 0, 30_000, "a queued job");
      probe.disconnect();
      await redis.stop();
      redis = await startRedis({ port: redis.port });
      const restarted = performance.now();
      const r = await running;
      err = r.err;
      expect(r.timedOut).toBe(false);
      expect(performance.now() - restarted).toBeLessThan(30_000);
      expect(r.code).toBe(1);
      expect(err).toContain(`error[FE4012]: Redis at 127.0.0.1:${redis.port} lost this run's jobs (it restarted empty, or its data was flushed); start the run again`);
      expect(err).not.toMatch(STACK_LINE);
    } finally {
      await redis.stop();
    }
  }, 90_000);

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`a worker while Redis is down: one line for the outage, gone within 5 s of ${signal}`, async () => {
      const redis = await startRedis();
      let pid = 0;
      try {
        let err = "";
        const running = feste(["worker", "--redis", redis.url], { timeoutMs: 60_000, started: (p) => (pid = p) });
        // The worker is ready once it has joined the queues a coordinator registered.
        const c = new Redis(redis.url);
        await c.hset("feste:queues", "feste-extern", JSON.stringify({ name: "feste-extern", kind: "extern" }));
        c.disconnect();
        await new Promise((r) => setTimeout(r, 2500));
        await redis.stop();
        // Long enough for BullMQ to retry many times.
        await new Promise((r) => setTimeout(r, 3000));
        const sent = performance.now();
        process.kill(pid, signal);
        const r = await running;
        err = r.err;
        expect(r.timedOut).toBe(false);
        expect(performance.now() - sent).toBeLessThan(5000);
        expect(r.code).toBe(0);
        expect(err).toContain("feste worker: serving feste-extern");
        expect(err.split("\n").filter((l) => l.includes("lost Redis"))).toEqual([
          `feste worker: lost Redis at 127.0.0.1:${redis.port} (connect ECONNREFUSED 127.0.0.1:${redis.port}); waiting for it to come back`,
        ]);
        expect(err).not.toMatch(STACK_LINE);
        expect(err).not.toContain("ECONNREFUSED\n");
      } finally {
        await redis.stop();
      }
    });
  }
});
