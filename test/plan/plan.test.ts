/** `feste plan` figures users rely on, checked against the examples and the reference run. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileFile } from "../../src/compile.js";
import { nodeHost } from "../../src/cli/node-host.js";
import { toDot, toMermaid } from "../../src/ir/draw.js";
import { dryRun, planGraph } from "../../src/plan/plan.js";
import { diskExterns, runWithFake } from "../support/pipeline.js";

const root = join(__dirname, "..", "..");
const examples = readdirSync(join(root, "examples")).filter((f) => f.endsWith(".feste")).map((f) => f.replace(/\.feste$/, "")).sort();

function compileExample(name: string) {
  const r = compileFile(join("examples", `${name}.feste`), nodeHost);
  if (!r.optimized) throw new Error(`${name} does not compile`);
  const program = r.optimized;
  const graph = Object.keys(program.graphs)[0];
  const inputs = JSON.parse(readFileSync(join(root, "examples", `${name}.input.json`), "utf8"));
  return { program, graph, inputs, lowered: r.lowered! };
}

describe("feste plan", () => {
  it("map-reduce over 200 documents: 10 completion requests of 20 and 1 reduce", async () => {
    const { program, graph, inputs } = compileExample("mapreduce");
    expect(inputs.docs).toHaveLength(200);
    expect(planGraph(program, graph).requests.text).toBe("ceil(len(docs) / 20) + 1");
    const run = await dryRun(program, graph, inputs);
    expect(run.byClient.davinci.requests).toBe(10);
    expect(run.byClient.davinci.items).toBe(200);
    expect(run.byClient.writer.requests).toBe(1);
    expect(run.requests).toBe(11);
  });

  it("a chat fan-out over 200 questions: 200 requests", async () => {
    const { program, graph, inputs } = compileExample("chat_fanout");
    expect(planGraph(program, graph).requests.text).toBe("len(questions)");
    expect((await dryRun(program, graph, inputs)).requests).toBe(200);
  });

  it("the seed example: both completions in one request, the Cohere call apart, in one level", async () => {
    const { program, graph } = compileExample("seed");
    const plan = planGraph(program, graph);
    expect(plan.steps.map((s) => [s.level, s.kind, s.client, s.items.value, s.requests.value])).toEqual([
      [1, "batch", "davinci", 2, 1],
      [1, "call", "cohere_gen", 1, 1],
    ]);
    expect(plan.criticalPath).toBe(1);
    expect(plan.requests.value).toBe(2);
  });

  for (const name of examples) {
    it(`${name}: the dry run sends what the reference run sends, and no more than unoptimized`, async () => {
      const { program, graph, inputs, lowered } = compileExample(name);
      const externs = diskExterns(root);
      const predicted = await dryRun(program, graph, inputs, externs);
      const optimized = await runWithFake(program, graph, inputs, root);
      const unoptimized = await runWithFake(lowered, graph, inputs, root);
      // The reference interpreter runs a `for`'s elements one after the other, so the steps of
      // a `fold` inside it cannot share a request there; the scheduler sends step k of every
      // element together (3 completion requests for refine's 3 topics × 3 documents, not 9).
      if (name === "refine") expect(predicted.requests).toBe(3);
      else expect(predicted.requests).toBe(optimized.requests);
      expect(optimized.value).toEqual(unoptimized.value);
      expect(optimized.requests).toBeLessThanOrEqual(unoptimized.requests);
      expect(predicted.inputTokens).toBeGreaterThan(0);
    });
  }
});

describe("feste graph", () => {
  const { program, graph } = compileExample("seed");
  it("draws batches as clusters with source lines, in DOT", () => {
    const dot = toDot(program.graphs[graph], (n) => (n.span ? `line ${n.span.start}` : undefined));
    expect(dot).toMatch(/^digraph "main" \{/);
    expect(dot).toMatch(/subgraph cluster_\d+ \{\n\s+label="batch davinci ×2"/);
    expect(dot.match(/->/g)?.length).toBeGreaterThan(4);
  });

  it("and in Mermaid", () => {
    const mm = toMermaid(program.graphs[graph]);
    expect(mm.startsWith("flowchart TD\n")).toBe(true);
    expect(mm).toContain('subgraph c1["batch davinci ×2"]');
  });

  it("is deterministic", () => {
    expect(toDot(program.graphs[graph])).toBe(toDot(compileExample("seed").program.graphs[graph]));
  });
});
