/**
 * A `feste exec` killed with SIGKILL half-way and run again with the same cache re-sends none
 * of the calls the first run had completed (read from the server's log), and ends with the
 * value of an uninterrupted run.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startStandIn, type StandInServer } from "../../src/testing/index.js";
import { root, scratch } from "../support/cli.js";

let server: StandInServer;
const prompts = new Map<number, string>();
beforeAll(async () => {
  server = await startStandIn({ latencyMs: 40, override: (req) => void prompts.set(req.index, JSON.stringify(req.body.messages)) });
});
afterAll(() => server.close());

it("a killed run, run again with its cache, re-sends nothing it had finished", async () => {
  const file = scratch("feste-crash-")(
    "main.feste",
    `client gpt: openai.chat { model: "m", temperature: 0, max_concurrency: 2, base_url: "${server.openaiBaseURL}", api_key: env("CRASH_KEY") }\ngraph main(xs: string[]) -> string[] { for x in xs { gpt(x) } }\n`,
  );
  const cache = join(mkdtempSync(join(tmpdir(), "feste-crash-cache-")), "cache.sqlite");
  const input = JSON.stringify({ xs: Array.from({ length: 30 }, (_, i) => `question ${i}`) });
  const args = ["--import", "tsx", join(root, "src/cli/main.ts"), "exec", file, "--input", input, "--cache", cache, "--json"];
  const env = { ...process.env, CRASH_KEY: "k" };

  const first = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", "ignore", "pipe"] });
  let firstErr = "";
  first.stderr.on("data", (d) => (firstErr += d));
  const waitUntil = performance.now() + 20_000;
  while (server.log.filter((e) => e.status === 200).length < 10) {
    if (performance.now() > waitUntil) throw new Error(`the first run never got going: ${firstErr}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  first.kill("SIGKILL");
  const killedAt = performance.now();
  await new Promise((r) => first.on("close", r));
  await new Promise((r) => setTimeout(r, 100));
  // Calls answered well before the kill were written to the cache before they counted as done.
  const finished = new Set(server.log.filter((e) => e.status === 200 && e.end < killedAt - 50).map((e) => prompts.get(e.index)));
  const firstCount = server.log.length;
  expect(firstCount).toBeLessThan(30);

  // Not spawnSync: the server answering the child lives in this process's event loop.
  const run = (argv: string[]) =>
    new Promise<{ status: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, argv, { cwd: root, env });
      let stdout = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.on("close", (status) => resolve({ status, stdout }));
    });
  const second = await run(args);
  expect(second.status).toBe(0);
  const resent = server.log.slice(firstCount).map((e) => prompts.get(e.index));
  expect(resent.filter((p) => finished.has(p))).toEqual([]);
  expect(firstCount + resent.length).toBeLessThan(30 + 4);

  const clean = await run([...args.slice(0, -3), "--no-cache", "--json"]);
  expect(JSON.parse(second.stdout)).toEqual(JSON.parse(clean.stdout));
}, 60_000);
