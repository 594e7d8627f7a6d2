/**
 * `fold` and `loop` that call no model, inside a `for` whose body also calls one: the
 * optimizer splits such a body, and the pure half then runs on compiled closures. Every mode
 * (reference and eager, unoptimized and optimized, the scheduler, the generated module) gives
 * the reference's value. Found as an internal error of graph mode ("fold" was not compiled).
 */
import { afterAll, describe, expect, it } from "vitest";
import type { Data } from "../../src/ir/value.js";
import { optimize } from "../../src/phases/4-optimize/index.js";
import { evaluate } from "../../src/runtime/evaluate.js";
import { runGraph } from "../../src/runtime/run.js";
import { FakeBackend } from "../../src/testing/index.js";
import { generatedModules } from "../support/generated-module.js";
import { lowerSource } from "../support/pipeline.js";

const SOURCE = `
client gpt: openai.chat { model: "gpt-4o-mini", temperature: 0 }

prompt tag(x: string) """Tag {{ x }}"""

graph folds(xs: string[], ys: string[]) -> string[] {
  for x in xs {
    let t = gpt(tag(x))
    let joined = fold acc = "" for y in ys { acc + x + y }
    t + ":" + joined
  }
}

graph loops(xs: string[], n: int) -> string[] {
  for x in xs {
    let t = gpt(tag(x))
    let grown = loop s = x until len(s) >= n max 5 { s + "!" }
    t + ":" + grown
  }
}

graph nested(xs: string[], ys: string[]) -> int[] {
  for x in xs {
    let t = gpt(tag(x))
    let total = fold acc = 0 for y in ys {
      acc + loop k = 0 until k >= len(y) max 3 { k + 1 }
    }
    len(t) + total
  }
}
`;

const modules = generatedModules();
afterAll(() => modules.cleanup());

describe("fold and loop beside a model call in a for", () => {
  const raw = lowerSource(SOURCE);
  const optimized = optimize(raw);
  const cases: [string, Record<string, Data>, (v: Data) => void][] = [
    ["folds", { xs: ["a", "b"], ys: ["1", "2", "3"] }, (v) => expect((v as string[]).map((s) => s.split(":")[1])).toEqual(["a1a2a3", "b1b2b3"])],
    ["loops", { xs: ["a", "bcd", "efghijk"], n: 4 }, (v) => expect((v as string[]).map((s) => s.split(":")[1])).toEqual(["a!!!", "bcd!", "efghijk"])],
    ["nested", { xs: ["a", "b"], ys: ["x", "yy", "zzzz"] }, (v) => expect(v).toHaveLength(2)],
  ];
  for (const [graph, inputs, check] of cases) {
    it(`${graph}: reference, eager, optimized, scheduler and generated code agree`, async () => {
      const expected = await evaluate(raw, graph, inputs, { backend: new FakeBackend() });
      check(expected);
      expect(await evaluate(raw, graph, inputs, { backend: new FakeBackend(), eager: true })).toEqual(expected);
      expect(await evaluate(optimized, graph, inputs, { backend: new FakeBackend() })).toEqual(expected);
      expect((await runGraph(raw, graph, inputs, { backend: new FakeBackend() })).value).toEqual(expected);
      expect((await runGraph(optimized, graph, inputs, { backend: new FakeBackend() })).value).toEqual(expected);
      const module = await modules.load("state", SOURCE);
      expect(await module[graph](inputs, { backend: new FakeBackend() })).toEqual(expected);
      expect(await module[graph](inputs, { backend: new FakeBackend(), eager: true })).toEqual(expected);
    });
  }
});
