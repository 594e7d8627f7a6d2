/**
 * Run-time dedupe over random programs with duplicated inputs: an optimized graph-mode run
 * sends exactly one request per distinct (client, settings, prompt) triple that the
 * unoptimized reference run asks, and its value equals the reference's.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { promptText, type Data } from "../../src/ir/value.js";
import { optimize } from "../../src/phases/4-optimize/index.js";
import type { CompleteRequest, ModelBackend } from "../../src/runtime/backend.js";
import { evaluate } from "../../src/runtime/evaluate.js";
import { runGraph } from "../../src/runtime/run.js";
import { FakeBackend } from "../../src/testing/index.js";
import "../support/fast-check-setup.js";
import { lowerSource } from "../support/pipeline.js";
import { dupProgram } from "./gen-dedupe.js";

/** A fake backend that also records each call's (client, settings, prompt). */
function recording(): { backend: ModelBackend; calls: string[]; requests: () => number } {
  const fake = new FakeBackend();
  const calls: string[] = [];
  const backend: ModelBackend = {
    complete(req: CompleteRequest) {
      for (const p of req.prompts) calls.push(JSON.stringify([req.client.name, Object.entries(req.settings).sort(), promptText(p)]));
      return fake.complete(req);
    },
    embed: (req) => fake.embed(req),
    rerank: (req) => fake.rerank(req),
  };
  return { backend, calls, requests: () => fake.requests };
}

describe("run-time dedupe", () => {
  it("requests equal the distinct (client, settings, prompt) triples, values equal the unoptimized run's", async () => {
    await fc.assert(
      fc.asyncProperty(dupProgram, async ({ source, inputs }) => {
        const unoptimized = lowerSource(source);
        const reference = recording();
        const expected = await evaluate(unoptimized, "main", inputs as unknown as Record<string, Data>, { backend: reference.backend });
        const run = recording();
        const r = await runGraph(optimize(unoptimized), "main", inputs as unknown as Record<string, Data>, { backend: run.backend });
        expect(r.value).toEqual(expected);
        expect(run.requests()).toBe(new Set(reference.calls).size);
        expect(new Set(run.calls).size).toBe(run.calls.length);
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});
