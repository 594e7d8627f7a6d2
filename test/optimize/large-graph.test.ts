/** Scale: a 100,000-node graph lowers and optimizes (passes are linear or n log n); not timed. */
import { describe, expect, it } from "vitest";
import { walkNodes } from "../../src/ir/graph.js";
import { optimize } from "../../src/phases/4-optimize/index.js";
import { evaluate } from "../../src/runtime/evaluate.js";
import { FakeBackend } from "../../src/testing/index.js";
import { generateLargeGraph } from "../bench/generate-large-graph.js";
import { lowerSource } from "../support/pipeline.js";

describe("a 100,000-node graph", () => {
  it("lowers, optimizes and gives the same value", async () => {
    const ir = lowerSource(generateLargeGraph(100_000));
    let count = 0;
    walkNodes(ir.graphs.big, () => count++);
    expect(count).toBeGreaterThanOrEqual(100_000);
    const opt = optimize(ir);
    const inputs = { x: 7, s: "feste" };
    const a = await evaluate(ir, "big", inputs, { backend: new FakeBackend() });
    const b = await evaluate(opt, "big", inputs, { backend: new FakeBackend() });
    expect(b).toBe(a);
    expect(typeof a).toBe("number");
  }, 120_000);
});
