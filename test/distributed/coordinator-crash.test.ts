/**
 * A coordinator (`feste exec --scheduler bullmq`) killed with SIGKILL half-way, and the same
 * run started again: the jobs it had queued are finished by the workers, the second run
 * reads every answer already in Redis instead of sending it again, so the server receives
 * each call exactly once over both runs, and the value is a local run's.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startStandIn, type StandInServer } from "../../src/testing/index.js";
import { root, scratch } from "../support/cli.js";
import { startRedis, type TestRedis } from "../support/redis-server.js";
import { spawnWorker, type WorkerProcess } from "../support/workers.js";

let server: StandInServer;
let redis: TestRedis;
let workers: WorkerProcess[] = [];
const prompts = new Map<number, string>();
const env = { CRASH_KEY: "k" };

beforeAll(async () => {
  [server, redis] = await Promise.all([startStandIn({ latencyMs: 40, override: (req) => void prompts.set(req.index, JSON.stringify(req.body.messages)) }), startRedis()]);
  // Workers read API keys from their own environment.
  workers = await Promise.all([spawnWorker(redis.url, [], env), spawnWorker(redis.url, [], env)]);
}, 60_000);
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await Promise.all([server?.close(), redis?.stop()]);
});

/** `feste exec` as a child process (not spawnSync: the server answering the workers lives in this process). */
function exec(args: readonly string[]) {
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), "exec", ...args], { cwd: root, env: { ...process.env, ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const done = new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr })));
  return { child, done, stderr: () => stderr };
}

it("a killed coordinator, started again, re-sends nothing that finished", async () => {
  const file = scratch("feste-coord-crash-")(
    "main.feste",
    `client gpt: openai.chat { model: "m", temperature: 0, max_concurrency: 2, base_url: "${server.openaiBaseURL}", api_key: env("CRASH_KEY") }\ngraph main(xs: string[]) -> string[] { for x in xs { gpt(x) } }\n`,
  );
  const input = JSON.stringify({ xs: Array.from({ length: 30 }, (_, i) => `question ${i}`) });
  const args = [file, "--input", input, "--no-cache", "--json", "--scheduler", "bullmq", "--redis", redis.url];

  const first = exec(args);
  const until = performance.now() + 30_000;
  while (server.log.filter((e) => e.status === 200).length < 10) {
    if (performance.now() > until) throw new Error(`the first run never got going: ${first.stderr()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  first.child.kill("SIGKILL");
  await first.done;
  const firstCount = server.requests();
  expect(firstCount).toBeLessThan(30);

  const second = await exec(args).done;
  expect(second.stderr).toBe("");
  expect(second.status).toBe(0);
  // Each call was sent once over both runs: nothing finished (or queued) by the first was sent again.
  await new Promise((r) => setTimeout(r, 100));
  const sent = [...prompts.values()];
  expect(new Set(sent).size).toBe(30);
  expect(sent).toHaveLength(30);

  const local = await exec([file, "--input", input, "--no-cache", "--json"]).done;
  expect(local.status).toBe(0);
  expect(JSON.parse(second.stdout)).toEqual(JSON.parse(local.stdout));
}, 90_000);
