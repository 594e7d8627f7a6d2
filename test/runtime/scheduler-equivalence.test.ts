/**
 * The scheduler means what the reference interpreter means: on random well-typed programs
 * (the optimizer suite's generator), graph mode, eager mode, unoptimized and optimized IR
 * all return the same value, and graph mode never sends more requests than the interpreter
 * sends for the same IR (dynamic batching may only merge requests).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { IrProgram } from "../../src/ir/nodes.js";
import type { Data } from "../../src/ir/value.js";
import { optimize } from "../../src/phases/4-optimize/index.js";
import { runGraph } from "../../src/runtime/run.js";
import { FakeBackend } from "../../src/testing/index.js";
import { diskExterns, lowerSource, runWithFake } from "../support/pipeline.js";
import { mainInputs, typedProgram, typedProgramWith } from "../optimize/gen-typed-program.js";

async function scheduled(ir: IrProgram, inputs: Record<string, Data>, eager = false) {
  const backend = new FakeBackend();
  const r = await runGraph(ir, "main", inputs, { backend, eager, externs: diskExterns(".") });
  return { value: r.value, requests: backend.requests };
}

const params = (numRuns: number) => ({ numRuns, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}) });

describe("scheduler equivalence on random well-typed programs", () => {
  it("graph and eager mode agree with the reference interpreter, unoptimized and optimized", async () => {
    await fc.assert(
      fc.asyncProperty(typedProgram, mainInputs, async (p, raw) => {
        const inputs = raw as unknown as Record<string, Data>;
        const lowered = lowerSource(p.source);
        const optimized = optimize(lowered);
        const reference = await runWithFake(lowered, "main", inputs);
        for (const ir of [lowered, optimized]) {
          const interpreted = await runWithFake(ir, "main", inputs);
          const graph = await scheduled(ir, inputs);
          expect(graph.value).toEqual(reference.value);
          expect(graph.requests).toBeLessThanOrEqual(interpreted.requests);
          expect((await scheduled(ir, inputs, true)).value).toEqual(reference.value);
        }
      }),
      params(300),
    );
  }, 120_000);

  it("with maps: graph and eager mode agree with the reference interpreter", async () => {
    // A fixed seed, as in the optimizer's map property.
    await fc.assert(
      fc.asyncProperty(typedProgramWith({ maps: true }), mainInputs, async (p, raw) => {
        const inputs = raw as unknown as Record<string, Data>;
        const lowered = lowerSource(p.source);
        const reference = await runWithFake(lowered, "main", inputs);
        for (const ir of [lowered, optimize(lowered)]) {
          expect((await scheduled(ir, inputs)).value).toEqual(reference.value);
          expect((await scheduled(ir, inputs, true)).value).toEqual(reference.value);
        }
      }),
      { numRuns: 60, seed: 7 },
    );
  }, 120_000);
});
