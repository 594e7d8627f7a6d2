/**
 * Redis lost in the middle of a distributed run: the coordinator does not hang, it fails
 * with FE4012 naming the server, and exits.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { Redis } from "ioredis";
import { expect, it } from "vitest";
import { root } from "../support/cli.js";
import { startRedis } from "../support/redis-server.js";

it("Redis stopped while a run waits for its jobs: FE4012, exit 1", async () => {
  const redis = await startRedis();
  try {
    // No worker runs, so the run is still waiting for its jobs when Redis goes.
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), "exec", "examples/seed.feste", "--fake", "--scheduler", "bullmq", "--redis", redis.url], { cwd: root, env: { ...process.env, NO_COLOR: "1" } });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    const probe = new Redis(redis.url);
    const until = performance.now() + 30_000;
    while ((await probe.keys("bull:*:wait")).length === 0) {
      if (performance.now() > until) throw new Error(`the run never queued a job: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    probe.disconnect();
    await redis.stop();
    expect(await exited).toBe(1);
    expect(stderr).toContain("error[FE4012]: lost Redis at 127.0.0.1:");
    expect(stderr).not.toMatch(/\n\s+at /);
  } finally {
    await redis.stop();
  }
}, 90_000);
