/**
 * Generated modules mean what `feste exec` means: for every example, the module in
 * `generated/`, imported and run against the stand-in server, returns what the scheduler
 * returns for the same compiled program and sends the same number of requests; in eager
 * mode too.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeHost } from "../../src/cli/node-host.js";
import { compileFile } from "../../src/compile.js";
import type { Data } from "../../src/ir/value.js";
import { providerBackend } from "../../src/providers/index.js";
import { createExternPool } from "../../src/runtime/extern-pool.js";
import { runGraph } from "../../src/runtime/run.js";
import { pointAt, startStandIn, type StandInServer } from "../../src/testing/index.js";

const root = join(__dirname, "..", "..");
const examples = readdirSync(join(root, "examples")).filter((f) => f.endsWith(".feste")).map((f) => f.replace(/\.feste$/, "")).sort();
const pool = createExternPool();
let server: StandInServer;

beforeAll(async () => {
  server = await startStandIn({ latencyMs: 3, perItemMs: 0.05 });
});
afterAll(async () => {
  await server.close();
  await pool.close();
});

describe("generated modules against the stand-in server", () => {
  for (const name of examples) {
    it(`${name}: the generated function returns what feste exec returns, with as many requests`, async () => {
      const compiled = compileFile(join("examples", `${name}.feste`), nodeHost).optimized!;
      const graph = Object.keys(compiled.graphs).includes("main") ? "main" : Object.keys(compiled.graphs)[0];
      const inputs = JSON.parse(readFileSync(join(root, "examples", `${name}.input.json`), "utf8")) as Record<string, Data>;
      const backend = providerBackend({ override: pointAt(server) });

      server.reset();
      const exec = await runGraph(compiled, graph, inputs, { backend, externs: pool.run });
      const execRequests = server.requests();

      const module = (await import(`../../generated/${name}.ts`)) as Record<string, (input: unknown, options?: unknown) => Promise<Data>>;
      server.reset();
      const generated = await module[graph](inputs, { backend });
      expect(generated).toEqual(exec.value);
      expect(server.requests()).toBe(execRequests);

      server.reset();
      expect(await module[graph](inputs, { backend, eager: true })).toEqual(exec.value);
    }, 60_000);
  }

  it("fake mode needs no server or key of the caller's", async () => {
    const { main } = await import("../../generated/seed.js");
    const value = await main({}, { fake: true, env: {} });
    expect(value).toHaveLength(4);
  });
});

describe("generated modules with a cache", () => {
  it("a second call with the same cache file sends nothing", async () => {
    const { FakeBackend } = await import("../../src/testing/index.js");
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const cache = join(mkdtempSync(join(tmpdir(), "feste-gen-cache-")), "cache.sqlite");
    const { main } = await import("../../generated/seed.js");
    const backend = new FakeBackend();
    const first = await main({}, { backend, cache });
    const sent = backend.requests;
    expect(sent).toBeGreaterThan(0);
    expect(await main({}, { backend, cache })).toEqual(first);
    expect(backend.requests).toBe(sent);
  });
});
