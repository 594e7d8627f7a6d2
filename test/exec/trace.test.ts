/**
 * `feste exec --trace FILE`: Chrome trace-event JSON with one slice per request the server
 * received (retries included, cache hits not), one process per client, tokens per request,
 * and never an API key.
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { nodeHost } from "../../src/cli/node-host.js";
import { compileFile } from "../../src/compile.js";
import type { Data } from "../../src/ir/value.js";
import { providerBackend } from "../../src/providers/index.js";
import { openCache } from "../../src/runtime/cache/index.js";
import { createExternPool } from "../../src/runtime/extern-pool.js";
import { runGraph } from "../../src/runtime/run.js";
import { toChromeTrace, TraceRecorder, type ChromeTrace, type TraceEvent } from "../../src/runtime/trace/index.js";
import { startStandIn, type StandInOptions, type StandInServer } from "../../src/testing/index.js";
import { feste, root } from "../support/cli.js";

const examples = readdirSync(join(root, "examples")).filter((f) => f.endsWith(".feste")).map((f) => f.replace(/\.feste$/, "")).sort();
const pool = createExternPool();
afterAll(() => pool.close());
const SECRET = "sk-trace-test-0123456789abcdef";

function load(name: string) {
  const r = compileFile(join("examples", `${name}.feste`), nodeHost);
  const program = r.optimized!;
  const graph = Object.keys(program.graphs).includes("main") ? "main" : Object.keys(program.graphs)[0];
  const inputs = JSON.parse(readFileSync(join(root, "examples", `${name}.input.json`), "utf8")) as Record<string, Data>;
  return { program, graph, inputs };
}

/** Runs an example against a stand-in with `options`, traced; the clients' keys are SECRET. */
async function traced(name: string, options: StandInOptions = {}, cachePath?: string) {
  const { program, graph, inputs } = load(name);
  const server: StandInServer = await startStandIn(options);
  const recorder = new TraceRecorder(graph);
  const usage = { inputTokens: 0, outputTokens: 0 };
  const cache = cachePath === undefined ? undefined : await openCache(cachePath);
  try {
    const backend = providerBackend({
      env: { OPENAI_API_KEY: SECRET, CO_API_KEY: SECRET },
      override: (c) => ({ baseURL: c.provider === "cohere" ? server.cohereBaseURL : server.openaiBaseURL }),
      onUsage: (_c, u) => {
        usage.inputTokens += u.inputTokens;
        usage.outputTokens += u.outputTokens;
      },
    });
    await runGraph(program, graph, inputs, { backend, externs: pool.run, trace: recorder, timeScale: 1000, ...(cache ? { cache } : {}) });
    recorder.finish();
    // What a viewer reads: the JSON text, parsed back.
    const text = JSON.stringify(toChromeTrace(recorder));
    return { text, trace: JSON.parse(text) as ChromeTrace, log: [...server.log], received: server.requests(), usage };
  } finally {
    cache?.close();
    await server.close();
  }
}

/** Holds a parsed trace to the trace-event format: the fields each phase needs, with the right types. */
function checkFormat(trace: ChromeTrace): void {
  expect(trace.displayTimeUnit).toBe("ms");
  expect(Array.isArray(trace.traceEvents)).toBe(true);
  for (const e of trace.traceEvents) {
    expect(typeof e.name).toBe("string");
    expect(["X", "M", "i"]).toContain(e.ph);
    expect(Number.isInteger(e.pid) && Number.isInteger(e.tid)).toBe(true);
    if (e.ph === "X") expect(e.ts! >= 0 && e.dur! >= 0).toBe(true);
    if (e.ph === "i") expect(e.ts! >= 0 && e.s === "p").toBe(true);
    if (e.ph === "M") expect(["process_name", "process_sort_index", "thread_name"]).toContain(e.name);
  }
}

const requestsOf = (t: ChromeTrace) => t.traceEvents.filter((e) => e.ph === "X" && e.cat === "request");

/** No two slices on one thread overlap, so viewers need not nest them. */
function checkLanes(slices: readonly TraceEvent[]): void {
  const byThread = new Map<number, TraceEvent[]>();
  for (const s of slices) byThread.set(s.tid, [...(byThread.get(s.tid) ?? []), s]);
  for (const list of byThread.values()) {
    list.sort((a, b) => a.ts! - b.ts!);
    for (let i = 1; i < list.length; i++) expect(list[i].ts!).toBeGreaterThanOrEqual(list[i - 1].ts! + list[i - 1].dur! - 0.1);
  }
}

describe("run traces", () => {
  for (const name of examples) {
    it(`${name}: one slice per request the server received, on its client's process, with tokens`, async () => {
      const { trace, text, received, log, usage } = await traced(name);
      checkFormat(trace);
      const slices = requestsOf(trace);
      expect(received).toBeGreaterThan(0);
      expect(slices).toHaveLength(received);
      // Items per request, as the server counted them (rerank counts its documents).
      expect(slices.map((s) => s.args!.items).sort()).toEqual(log.map((e) => e.items).sort());
      const processes = new Map(trace.traceEvents.filter((e) => e.name === "process_name").map((e) => [e.pid, String(e.args!.name)]));
      for (const s of slices) expect(processes.get(s.pid)!.startsWith(`${s.args!.client} (`)).toBe(true);
      expect(slices.reduce((t, s) => t + Number(s.args!.tokens_in ?? 0), 0)).toBe(usage.inputTokens);
      expect(slices.reduce((t, s) => t + Number(s.args!.tokens_out ?? 0), 0)).toBe(usage.outputTokens);
      checkLanes(slices);
      expect(text).not.toContain(SECRET);
    }, 60_000);
  }

  it("shows retries as failed slices followed by the next attempt, and no key in their errors", async () => {
    const { trace, text, received, log } = await traced("mapreduce", { faults: { errorEvery: 5 } });
    const slices = requestsOf(trace);
    expect(slices).toHaveLength(received);
    const failed = slices.filter((s) => s.args!.status === "failed");
    expect(failed).toHaveLength(log.filter((e) => e.fault !== undefined).length);
    expect(failed.length).toBeGreaterThan(0);
    expect(String(failed[0].args!.error)).toMatch(/500/);
    expect(slices.filter((s) => Number(s.args!.attempt) > 1)).toHaveLength(failed.length);
    expect(text).not.toContain(SECRET);
  }, 60_000);

  it("records cache lookups, and no slice for a call the cache answered", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "feste-trace-")), "cache.sqlite");
    const first = await traced("seed", {}, path);
    expect(requestsOf(first.trace)).toHaveLength(first.received);
    const again = await traced("seed", {}, path);
    expect(again.received).toBe(0);
    expect(requestsOf(again.trace)).toHaveLength(0);
    const lookups = again.trace.traceEvents.filter((e) => e.cat === "cache");
    expect(lookups.length).toBeGreaterThan(0);
    for (const l of lookups) expect(l.args!.hits).toBe(l.args!.items);
  }, 60_000);
});

describe("feste exec --trace", () => {
  it("writes the trace file: as many slices as the summary's requests, one process per client", () => {
    const file = join(mkdtempSync(join(tmpdir(), "feste-trace-")), "out", "seed.json");
    const r = feste(["exec", "examples/seed.feste", "--fake", "--trace", file]);
    expect(r.code).toBe(0);
    const sent = Number(/: (\d+) requests? in /.exec(r.err)?.[1]);
    expect(sent).toBe(2);
    expect(r.err).toContain(`trace: 2 requests in ${file}`);
    const trace = JSON.parse(readFileSync(file, "utf8")) as ChromeTrace;
    checkFormat(trace);
    expect(requestsOf(trace)).toHaveLength(sent);
    const names = trace.traceEvents.filter((e) => e.name === "process_name").map((e) => e.args!.name);
    expect(names).toEqual(["run", "cohere_gen (cohere.generate, command)", "davinci (openai.completion, gpt-3.5-turbo-instruct)"]);
  });

  it("refuses a folder before running anything", () => {
    const r = feste(["exec", "examples/seed.feste", "--fake", "--trace", tmpdir()]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--trace takes a file name");
  });
});
