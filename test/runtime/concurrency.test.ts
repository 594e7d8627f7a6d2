/**
 * Concurrency with nothing declared: a fan-out leaves as wide as the provider takes (in-flight
 * counted at the stand-in, from its log), `max_concurrency` stays a hard cap, and the adaptive
 * limit halves once per push-back event and grows back while latency holds.
 */
import { describe, expect, it } from "vitest";
import { optimize } from "../../src/phases/4-optimize/index.js";
import { providerBackend } from "../../src/providers/index.js";
import { ConcurrencyLimit } from "../../src/runtime/reliability/concurrency-limit.js";
import { runGraph } from "../../src/runtime/run.js";
import { pointAt, startStandIn, type StandInLogEntry } from "../../src/testing/index.js";
import { lowerSource } from "../support/pipeline.js";

/** The most requests the server held at once: answers sent minus bodies received, swept in time order. */
function peakInFlight(log: readonly StandInLogEntry[]): number {
  const events = log.flatMap((e) => [
    [e.start, 1],
    [e.end, -1],
  ]);
  // An answer sent at the same instant as a body arrives is counted as gone first.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let peak = 0;
  for (const [, d] of events) peak = Math.max(peak, (now += d));
  return peak;
}

const program = (settings: string) =>
  optimize(lowerSource(`client gpt: openai.chat { model: "m", temperature: 0.7${settings} }\ngraph main(xs: string[]) -> string[] { for x in xs { gpt(x) } }\n`));

async function run(settings: string, calls: number, latencyMs: number) {
  const server = await startStandIn({ latencyMs });
  try {
    const xs = Array.from({ length: calls }, (_, i) => `question ${i}`);
    const r = await runGraph(program(settings), "main", { xs }, { backend: providerBackend({ override: pointAt(server) }) });
    return { value: r.value as string[], requests: r.stats.requests, log: [...server.log] };
  } finally {
    await server.close();
  }
}

describe("concurrency", () => {
  // How many requests are at the server at once is the rate the client can form them times the
  // latency. One process forms a request in about a millisecond of CPU (SDK, HTTP and the
  // stand-in's own work), so a 2 ms server never holds many, whatever the cap; a 2 s server
  // holds every request formed meanwhile, and the old fixed cap of 128 would show as 128.
  it("1,000 calls with no client settings complete with more than 128 in flight at the server", async () => {
    const r = await run("", 1_000, 2_000);
    expect(r.value).toHaveLength(1_000);
    expect(r.log.filter((e) => e.status === 200)).toHaveLength(1_000);
    expect(peakInFlight(r.log)).toBeGreaterThan(128);
  }, 120_000);

  it("max_concurrency stays a hard cap", async () => {
    const r = await run(", max_concurrency: 7", 200, 20);
    expect(r.value).toHaveLength(200);
    expect(peakInFlight(r.log)).toBeLessThanOrEqual(7);
    expect(peakInFlight(r.log)).toBeGreaterThan(1);
  }, 30_000);
});

describe("the adaptive limit", () => {
  it("starts at its ceiling, halves once per push-back event and grows back while latency holds", () => {
    const limit = new ConcurrencyLimit(64);
    expect(limit.current).toBe(64);
    const before = limit.started();
    // Every request in flight when the first 429 came back fails too: one event, one cut.
    for (let i = 0; i < 10; i++) limit.overloaded(before);
    expect(limit.current).toBe(32);
    limit.overloaded(limit.started());
    expect(limit.current).toBe(16);
    for (let i = 0; i < 10; i++) limit.succeeded(100);
    expect(limit.current).toBe(26);
    // Answers far slower than the fastest seen: latency did not hold, no growth.
    limit.succeeded(1_000);
    expect(limit.current).toBe(26);
    for (let i = 0; i < 100; i++) limit.succeeded(100);
    expect(limit.current).toBe(64);
  });

  it("never drops below one request", () => {
    const limit = new ConcurrencyLimit(2);
    for (let i = 0; i < 5; i++) limit.overloaded(limit.started());
    expect(limit.current).toBe(1);
  });
});
