/**
 * Every example, run the way `feste exec --fake` runs it, against the stand-in server over
 * HTTP with the official SDKs: graph mode (optimized and not) and eager mode return equal
 * values, and the requests the server receives are exactly the ones `feste plan` predicted.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeHost } from "../../src/cli/node-host.js";
import { compileFile } from "../../src/compile.js";
import type { Data } from "../../src/ir/value.js";
import { dryRun } from "../../src/plan/plan.js";
import { providerBackend } from "../../src/providers/index.js";
import { createExternPool } from "../../src/runtime/extern-pool.js";
import { runGraph } from "../../src/runtime/run.js";
import { pointAt, startStandIn, type StandInServer } from "../../src/testing/index.js";

const root = join(__dirname, "..", "..");
const examples = readdirSync(join(root, "examples")).filter((f) => f.endsWith(".feste")).map((f) => f.replace(/\.feste$/, "")).sort();
const pool = createExternPool();
let server: StandInServer;

beforeAll(async () => {
  // Answers take a little time, and longer for bigger requests, as a real provider's do.
  server = await startStandIn({ latencyMs: 5, perItemMs: 0.05 });
});
afterAll(async () => {
  await server.close();
  await pool.close();
});

function load(name: string) {
  const r = compileFile(join("examples", `${name}.feste`), nodeHost);
  if (!r.optimized || !r.lowered) throw new Error(`${name} does not compile`);
  const graph = Object.keys(r.optimized.graphs).includes("main") ? "main" : Object.keys(r.optimized.graphs)[0];
  const inputs = JSON.parse(readFileSync(join(root, "examples", `${name}.input.json`), "utf8")) as Record<string, Data>;
  return { optimized: r.optimized, lowered: r.lowered, graph, inputs };
}

async function exec(program: Parameters<typeof runGraph>[0], graph: string, inputs: Record<string, Data>, eager = false) {
  server.reset();
  const r = await runGraph(program, graph, inputs, { backend: providerBackend({ override: pointAt(server) }), externs: pool.run, eager });
  return { value: r.value, requests: server.requests(), log: [...server.log] };
}

describe("examples against the stand-in server", () => {
  for (const name of examples) {
    it(`${name}: graph, unoptimized and eager modes agree; the server gets what the plan predicted`, async () => {
      const { optimized, lowered, graph, inputs } = load(name);
      const graphMode = await exec(optimized, graph, inputs);
      const predicted = await dryRun(optimized, graph, inputs, pool.run);
      expect(graphMode.requests).toBe(predicted.requests);
      expect((await exec(lowered, graph, inputs)).value).toEqual(graphMode.value);
      const eager = await exec(lowered, graph, inputs, /*eager*/ true);
      expect(eager.value).toEqual(graphMode.value);
      expect(eager.requests).toBeGreaterThanOrEqual(graphMode.requests);
    }, 60_000);
  }

  it("seed: one completion request carrying both prompts and one Cohere generate, sent concurrently", async () => {
    const { optimized, graph, inputs } = load("seed");
    const { log, value } = await exec(optimized, graph, inputs);
    expect(log.map((e) => [e.path, e.items]).sort()).toEqual([
      ["/v1/completions", 2],
      ["/v1/generate", 1],
    ]);
    const [a, b] = log;
    expect(a.start < b.end && b.start < a.end).toBe(true);
    expect(value).toHaveLength(4);
  });
});
