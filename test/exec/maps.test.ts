/**
 * Maps (`{string: T}`, literals, `m[k]`, `keys`, `values`, `has`) pinned on programs with
 * a model call: the reference interpreter (unoptimized and optimized, graph and eager), the
 * scheduler with compiled pure steps, and the generated TypeScript module give the same
 * values, keys in the same order. Missing keys are null everywhere, and names that objects
 * inherit (`toString`, `constructor`, `__proto__`) are keys like any other.
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

enum Category { billing, bug, other }

type Routed {
  category: Category
  team: string
  counts: {string: int}
}

const teams = { "billing": "refunds team", "bug": "eng", "__proto__": "odd key" }

prompt classify(t: string) -> Category """Classify: {{ t }}"""
prompt tally(counts: {string: int}) """
  {% for k in keys(counts) %}{{ k }}={{ counts[k] }}{% if !loop.last %}, {% endif %}{% endfor %}
  """

graph main(tickets: string[], limits: {string: int}) -> Routed[] {
  let counts = fold acc = { "total": 0 } for t in tickets {
    { "total": (acc["total"] ?? 0) + len(split(t, " ")), "last": len(t) }
  }
  for t in tickets {
    let c = gpt(classify(t))
    Routed { category: c, team: teams[c] ?? "support desk", counts: counts }
  }
}

graph lookups(limits: {string: int}, more: {string: int}?) -> string[] {
  [
    str(limits["a"] ?? -1),
    str(limits["missing"] ?? -1),
    str(limits["toString"] ?? -1),
    str(limits["constructor"] ?? -1),
    str(has(limits, "b")),
    str(has(limits, "hasOwnProperty")),
    join(keys(limits), ","),
    join(for v in values(limits) { str(v) }, ","),
    teams["__proto__"] ?? "none",
    join(keys(teams), ","),
    str(tally(limits)),
    json(limits),
    str({ "x": 1, "y": 2 } == { "y": 2, "x": 1 }),
    str(len(keys(more ?? {}))),
    join(keys(empty()), ","),
  ]
}

graph empty() -> {string: int} {
  {}
}
`;

const TICKETS = ["the invoice is wrong", "crash on start", "hello"];
const LIMITS = { b: 2, a: 1, constructor: 7 };
const LOOKUPS = ["1", "-1", "-1", "7", "true", "false", "b,a,constructor", "2,1,7", "odd key", "billing,bug,__proto__", "b=2, a=1, constructor=7", '{"b":2,"a":1,"constructor":7}', "true", "0", ""];

/** A value with the key order of every map made visible, so order differences fail `toEqual`. */
function withOrder(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withOrder);
  if (v === null || typeof v !== "object") return v;
  return Object.entries(v).map(([k, x]) => [k, withOrder(x)]);
}

const modules = generatedModules();
afterAll(() => modules.cleanup());

describe("maps mean the same in every mode", () => {
  const raw = lowerSource(SOURCE);
  const optimized = optimize(raw);
  const cases: [string, Record<string, Data>][] = [
    ["main", { tickets: TICKETS, limits: LIMITS }],
    ["lookups", { limits: LIMITS, more: null }],
  ];

  it("lookups give null for a missing or inherited key, keys keep the order written or given", async () => {
    const value = await evaluate(raw, "lookups", { limits: LIMITS, more: null }, { backend: new FakeBackend() });
    expect(value).toEqual(LOOKUPS);
  });

  for (const [graph, inputs] of cases) {
    it(`${graph}: reference, eager, optimized, scheduler and generated code agree`, async () => {
      const expected = withOrder(await evaluate(raw, graph, inputs, { backend: new FakeBackend() }));
      expect(withOrder(await evaluate(raw, graph, inputs, { backend: new FakeBackend(), eager: true }))).toEqual(expected);
      expect(withOrder(await evaluate(optimized, graph, inputs, { backend: new FakeBackend() }))).toEqual(expected);
      expect(withOrder((await runGraph(raw, graph, inputs, { backend: new FakeBackend() })).value)).toEqual(expected);
      expect(withOrder((await runGraph(optimized, graph, inputs, { backend: new FakeBackend() })).value)).toEqual(expected);
      const module = await modules.load("maps", SOURCE);
      expect(withOrder(await module[graph](inputs, { backend: new FakeBackend() }))).toEqual(expected);
      expect(withOrder(await module[graph](inputs, { backend: new FakeBackend(), eager: true }))).toEqual(expected);
    });
  }

  it("a fold's map state keeps the key order of its body, and teams resolve by category", async () => {
    const value = (await runGraph(optimized, "main", { tickets: TICKETS, limits: LIMITS }, { backend: new FakeBackend() })).value as { team: string; counts: Record<string, number> }[];
    expect(value.map((r) => Object.keys(r.counts))).toEqual([["total", "last"], ["total", "last"], ["total", "last"]]);
    expect(value[0].counts).toEqual({ total: 8, last: 5 });
    for (const r of value) expect(["refunds team", "eng", "support desk"]).toContain(r.team);
  });

  it("two constant maps with the same entries in another order stay two maps after optimizing", async () => {
    const src = `graph main() -> string[] { [join(keys({ "a": 1, "b": 2 }), ","), join(keys({ "b": 2, "a": 1 }), ",")] }`;
    const ir = lowerSource(src);
    const backend = new FakeBackend();
    expect(await evaluate(ir, "main", {}, { backend })).toEqual(["a,b", "b,a"]);
    expect(await evaluate(optimize(ir), "main", {}, { backend })).toEqual(["a,b", "b,a"]);
  });

  it("an input map is checked against its value type (FE4007 names the key)", async () => {
    const module = await modules.load("maps", SOURCE);
    await expect(module.lookups({ limits: { a: "one" } }, { backend: new FakeBackend() })).rejects.toThrow(/limits\["a"\] should be int, found a string/);
    await expect(module.lookups({ limits: ["a"] }, { backend: new FakeBackend() })).rejects.toThrow(/limits should be \{string: int\}, found a list/);
  });
});
