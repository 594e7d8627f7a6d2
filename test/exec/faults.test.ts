/**
 * The runtime against a misbehaving stand-in server: every example completes with the
 * clean run's results under injected 5xx, 429 storms, dropped connections and malformed
 * bodies, within the retry budget; and 200 calls through a client limited to 60 requests a
 * (scaled) minute finish with no failure and almost no 429.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { nodeHost } from "../../src/cli/node-host.js";
import { compileFile } from "../../src/compile.js";
import type { Data } from "../../src/ir/value.js";
import { optimize } from "../../src/phases/4-optimize/index.js";
import { providerBackend } from "../../src/providers/index.js";
import { createExternPool } from "../../src/runtime/extern-pool.js";
import { runGraph } from "../../src/runtime/run.js";
import { pointAt, startStandIn, type StandInOptions } from "../../src/testing/index.js";
import { lowerSource } from "../support/pipeline.js";

const root = join(__dirname, "..", "..");
const examples = readdirSync(join(root, "examples")).filter((f) => f.endsWith(".feste")).map((f) => f.replace(/\.feste$/, "")).sort();
const pool = createExternPool();
afterAll(() => pool.close());

async function runOn(options: StandInOptions, program: Parameters<typeof runGraph>[0], graph: string, inputs: Record<string, Data>, timeScale = 1000, eager = false) {
  const server = await startStandIn(options);
  try {
    const r = await runGraph(program, graph, inputs, { backend: providerBackend({ override: pointAt(server) }), externs: pool.run, timeScale, eager });
    return { value: r.value, log: [...server.log] };
  } finally {
    await server.close();
  }
}

describe("faults", () => {
  const kinds: [string, StandInOptions["faults"]][] = [
    ["every 10th request a 500", { errorEvery: 10 }],
    ["a 429 storm (every 3rd request, no retry headers)", { tooManyEvery: 3 }],
    ["dropped connections", { dropEvery: 7 }],
    ["malformed bodies", { malformedEvery: 9 }],
  ];
  for (const name of examples) {
    it(`${name}: equal results under every kind of fault, within the retry budget`, async () => {
      const r = compileFile(join("examples", `${name}.feste`), nodeHost);
      const program = r.optimized!;
      const graph = Object.keys(program.graphs).includes("main") ? "main" : Object.keys(program.graphs)[0];
      const inputs = JSON.parse(readFileSync(join(root, "examples", `${name}.input.json`), "utf8")) as Record<string, Data>;
      const clean = await runOn({}, program, graph, inputs);
      for (const [, faults] of kinds) {
        const faulty = await runOn({ faults }, program, graph, inputs);
        expect(faulty.value).toEqual(clean.value);
        const failed = faulty.log.filter((e) => e.fault !== undefined).length;
        // Every extra request is a retry of a failed one: nothing sent twice that had succeeded.
        expect(faulty.log.length - failed).toBe(clean.log.length);
      }
    }, 60_000);
  }
});

describe("faults, eager mode", () => {
  // Eager mode sends through the same dispatcher: it retries what graph mode retries. The runs
  // are independent (a stand-in each), so they go at once.
  const kinds: StandInOptions["faults"][] = [{ errorEvery: 10 }, { tooManyEvery: 3 }, { dropEvery: 7 }];
  for (const name of examples) {
    it(`${name}: eager runs equal the clean graph run under 500s, 429s and dropped connections`, async () => {
      const r = compileFile(join("examples", `${name}.feste`), nodeHost);
      const program = r.optimized!;
      const graph = Object.keys(program.graphs).includes("main") ? "main" : Object.keys(program.graphs)[0];
      const inputs = JSON.parse(readFileSync(join(root, "examples", `${name}.input.json`), "utf8")) as Record<string, Data>;
      const [clean, eagerClean, ...faulty] = await Promise.all([
        runOn({}, program, graph, inputs),
        runOn({}, program, graph, inputs, 1000, /*eager*/ true),
        ...kinds.map((faults) => runOn({ faults }, program, graph, inputs, 1000, /*eager*/ true)),
      ]);
      expect(eagerClean.value).toEqual(clean.value);
      for (const f of faulty) {
        expect(f.value).toEqual(clean.value);
        const failed = f.log.filter((e) => e.fault !== undefined).length;
        expect(f.log.length - failed).toBe(eagerClean.log.length);
      }
    }, 120_000);
  }
});

describe("stalls", () => {
  it("a request stalled past the client's timeout is abandoned and sent again", async () => {
    const ir = optimize(lowerSource(`client gpt: openai.chat { model: "m", temperature: 0, timeout: 0.3, retries: 3 }\ngraph main(xs: string[]) -> string[] { for x in xs { gpt(x) } }\n`));
    const xs = Array.from({ length: 12 }, (_, i) => `q${i}`);
    const clean = await runOn({}, ir, "main", { xs });
    const stalled = await runOn({ faults: { stallEvery: 4, stallMs: 3_000 } }, ir, "main", { xs });
    expect(stalled.value).toEqual(clean.value);
  }, 30_000);
});

describe("rate limits", () => {
  const program = (settings: string) =>
    optimize(lowerSource(`client gpt: openai.chat { model: "m", temperature: 0 ${settings} }\ngraph main(xs: string[]) -> string[] { for x in xs { gpt(x) } }\n`));
  const xs = Array.from({ length: 200 }, (_, i) => `question ${i}`);
  // 60 requests a minute, a minute lasting one second.
  const limited: StandInOptions = { rateLimit: { requests: 60, windowMs: 60_000, timeScale: 60 } };

  it("200 calls at 60 a minute: no failed call and at most 1% answered 429, paced by rpm", async () => {
    const { value, log } = await runOn(limited, program(", rpm: 60"), "main", { xs }, 60);
    expect(value).toHaveLength(200);
    const rejected = log.filter((e) => e.status === 429).length;
    expect(rejected).toBeLessThanOrEqual(2);
    expect(log.length - rejected).toBe(200);
  }, 30_000);

  it("without rpm set, the server's headers and 429s slow the client down and nothing fails", async () => {
    const { value, log } = await runOn(limited, program(", retries: 10"), "main", { xs }, 60);
    expect(value).toHaveLength(200);
    expect(log.filter((e) => e.status === 200)).toHaveLength(200);
  }, 30_000);
});
