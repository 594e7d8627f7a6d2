/** `feste plan` figures users rely on, checked against the examples and the reference run. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileFile } from "../../src/compile.js";
import { nodeHost } from "../../src/cli/node-host.js";
import { toDot, toMermaid } from "../../src/ir/draw.js";
import { dryRun, planGraph } from "../../src/plan/plan.js";
import { evaluateFormula } from "../../src/plan/formula.js";
import { walkNodes } from "../../src/ir/graph.js";
import type { IrProgram } from "../../src/ir/nodes.js";
import { diskExterns, runWithFake } from "../support/pipeline.js";

const root = join(__dirname, "..", "..");
const examples = readdirSync(join(root, "examples")).filter((f) => f.endsWith(".feste")).map((f) => f.replace(/\.feste$/, "")).sort();

/** Programs whose merged calls become ready at different times (`test/plan/programs`). */
const programs = readdirSync(join(__dirname, "programs")).filter((f) => f.endsWith(".feste")).map((f) => f.replace(/\.feste$/, "")).sort();

function compileExample(name: string, dir = join(root, "examples")) {
  const r = compileFile(join(dir, `${name}.feste`), nodeHost);
  if (!r.optimized) throw new Error(`${name} does not compile`);
  const program = r.optimized;
  // The graph `feste plan` and `feste exec` run: `main`, or the first.
  const graph = "main" in program.graphs ? "main" : Object.keys(program.graphs)[0];
  const inputs = JSON.parse(readFileSync(join(dir, `${name}.input.json`), "utf8"));
  return { program, graph, inputs, lowered: r.lowered! };
}

/** Whether a graph's request count depends on when something stops: a loop or a tool conversation. */
function stopsWhenItStops(program: IrProgram, graph: string): boolean {
  let found = false;
  walkNodes(program.graphs[graph], (n) => void (found ||= n.kind === "loop" || (n.kind === "call" && !!n.tools)));
  return found;
}

/**
 * The plan's formula, evaluated on the input, against what the run sends: equal, or for a
 * bound (`≤ ...`) at least as much; a loop or a tool conversation always gives a bound.
 */
function expectFormulaHolds(program: IrProgram, graph: string, inputs: Record<string, never>, sent: number) {
  const formula = planGraph(program, graph).requests;
  const evaluated = evaluateFormula(formula.text, inputs);
  expect(evaluated, `formula ${formula.text} has a size the plan could not tell`).toBeDefined();
  expect(evaluated!.bound).toBe(!!formula.bound);
  if (stopsWhenItStops(program, graph)) expect(formula.bound, `formula ${formula.text}`).toBe(true);
  if (evaluated!.bound) expect(sent, `formula ${formula.text}`).toBeLessThanOrEqual(evaluated!.value);
  else expect(sent, `formula ${formula.text}`).toBe(evaluated!.value);
  return formula;
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
      // How long critic's loop runs depends on the judge's verdicts, which the stand-in and the
      // reference's fake answer differently (18 and 12 requests): both stay within the bound.
      else if (name === "critic") expectFormulaHolds(program, graph, inputs, optimized.requests);
      else expect(predicted.requests).toBe(optimized.requests);
      expectFormulaHolds(program, graph, inputs, predicted.requests);
      expect(optimized.value).toEqual(unoptimized.value);
      expect(optimized.requests).toBeLessThanOrEqual(unoptimized.requests);
      expect(predicted.inputTokens).toBeGreaterThan(0);
    });
  }
});

describe("feste plan formulas", () => {
  for (const name of programs) {
    it(`${name}: the formula evaluated on the input counts what the run sends`, async () => {
      const { program, graph, inputs } = compileExample(name, join(__dirname, "programs"));
      expectFormulaHolds(program, graph, inputs, (await dryRun(program, graph, inputs)).requests);
    });
  }

  it("two batches over inputs, ready together, are counted as the one request they share", () => {
    const { program, graph } = compileExample("two-lists", join(__dirname, "programs"));
    const plan = planGraph(program, graph);
    expect(plan.requests.text).toBe("ceil((len(docs) + len(queries)) / 2048)");
    expect(plan.steps.every((s) => s.sharesWith?.length === 1)).toBe(true);
  });

  it("a merged batch whose items wait for different answers is a bound, not one request", () => {
    const { program, graph } = compileExample("late-pair", join(__dirname, "programs"));
    const plan = planGraph(program, graph);
    expect(plan.requests.text).toBe("≤ 4");
    expect(plan.steps.find((s) => s.kind === "batch")?.requests.text).toBe("≤ 2");
  });

  it("calls waiting for answers of a for's elements may each leave alone", () => {
    const { program, graph } = compileExample("late-elements", join(__dirname, "programs"));
    expect(planGraph(program, graph).requests.text).toBe("≤ 2 × len(questions)");
  });

  it("a loop and a tool conversation give bounds; a fold over an input gives its rounds", () => {
    expect(planGraph(compileExample("critic").program, "main").requests.text).toBe("≤ 2 × len(tasks) + 2 × 3 × len(tasks)");
    expect(planGraph(compileExample("agent").program, "main").requests.text).toBe("≤ 4 × len(questions)");
    expect(planGraph(compileExample("refine").program, "main").requests.text).toBe("len(docs) × ceil(len(topics) / 20)");
  });

  it("steps of an inlined graph name the call site, with the callee's line beside it", () => {
    const { program, graph } = compileExample("critic");
    const source = readFileSync(join(root, "examples", "critic.feste"), "utf8");
    const line = (at?: number) => (at === undefined ? undefined : source.slice(0, at).split("\n").length);
    const judged = planGraph(program, graph).steps.filter((s) => s.via);
    // `attempt`, whose judge call is on line 40, is called on line 47 for the first answer and
    // on line 48 in the loop.
    expect(judged.map((s) => [line(s.via?.start), line(s.span?.start)])).toEqual([
      [47, 40],
      [48, 40],
    ]);
  });

  it("evaluates formulas as printed", () => {
    const inputs = { docs: ["a", "b", "c"], qs: ["x"] };
    expect(evaluateFormula("ceil((len(docs) + 1) / 2) + 3", inputs)).toEqual({ value: 5, bound: false });
    expect(evaluateFormula("≤ 2 × len(docs) + 2 × 3 × len(qs)", inputs)).toEqual({ value: 12, bound: true });
    expect(evaluateFormula("ceil(? / 2048) + 1", inputs)).toBeUndefined();
    expect(evaluateFormula("len(missing)", inputs)).toBeUndefined();
  });
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
