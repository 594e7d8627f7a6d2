/**
 * Bugs found by review, each with its minimal program: optimized and unoptimized must give
 * the same value, with every pass on and with each pass switched off.
 */
import { describe, expect, it } from "vitest";
import { optimize, PASSES } from "../../src/phases/4-optimize/index.js";
import { planGraph } from "../../src/plan/plan.js";
import type { Data } from "../../src/ir/value.js";
import { lowerSource, runWithFake } from "../support/pipeline.js";

async function sameEverywhere(source: string, inputs: Record<string, Data>) {
  const ir = lowerSource(source);
  const base = await runWithFake(ir, "main", inputs);
  for (const disabled of [[], ...PASSES.map((p) => [p.name])]) {
    const run = await runWithFake(optimize(ir, { disabled: new Set(disabled) }), "main", inputs);
    expect(run.value, `with ${disabled.join(",") || "every pass"} on`).toEqual(base.value);
    expect(run.requests).toBeLessThanOrEqual(base.requests);
  }
  return base;
}

describe("optimizer regressions", () => {
  it("nested loops making the same direct call keep their own elements", async () => {
    const base = await sameEverywhere(
      `client emb: openai.embedding { model: "text-embedding-3-small" }
graph main(docs: string[]) -> float[][] { for d in docs { let v = emb(d); for e in docs { cosine(v, emb(e)) } } }`,
      { docs: ["cats", "dogs", "tax law"] },
    );
    const matrix = base.value as number[][];
    expect(matrix[0][1]).not.toBeCloseTo(1, 6);
    await sameEverywhere(
      `client gpt: openai.chat { model: "m", temperature: 0 }
graph main(xs: string[]) -> string[][] { for x in xs { let a = gpt(x); for y in xs { a + gpt(y) } } }`,
      { xs: ["p", "q"] },
    );
  });

  it("constant records with fields named like a subgraph's stay distinct", async () => {
    const base = await sameEverywhere(
      `type Step { nodes: string[], output: string }
graph main() -> Step[] { [Step { nodes: ["fetch"], output: "report" }, Step { nodes: ["parse"], output: "report" }] }`,
      {},
    );
    expect(base.value).toEqual([
      { nodes: ["fetch"], output: "report" },
      { nodes: ["parse"], output: "report" },
    ]);
  });

  it("fuse leaves loop bodies alone", async () => {
    await sameEverywhere(`graph main(x: string, xs: string[]) -> string[] { let ys = for y in xs { y + "!" }\n [x + "!", join(ys, ",")] }`, { x: "a", xs: ["b", "c"] });
  });

  it("a fallback client's batches fit its members' max_batch", async () => {
    const src = `client c1: openai.completion { model: "gpt-3.5-turbo-instruct", max_batch: 2, temperature: 0 }
client c2: openai.completion { model: "gpt-3.5-turbo-instruct", max_batch: 2, temperature: 0 }
client both: fallback(c1, c2)
graph main(xs: string[]) -> string[] { for x in xs { both(x) } }`;
    const ir = optimize(lowerSource(src));
    const run = await runWithFake(ir, "main", { xs: ["a", "b", "c", "d", "e"] });
    expect(run.log.map((r) => r.items)).toEqual([2, 2, 1]);
    expect(planGraph(ir, "main").requests.text).toBe("ceil(len(xs) / 2)");
  });

  it("a large constant list neither overflows the stack nor lands in the IR", async () => {
    const base = await sameEverywhere(`graph main() -> int { max(range(300000)) }`, {});
    expect(base.value).toBe(299999);
  });
});
