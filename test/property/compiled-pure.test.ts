/**
 * The interpreter's compiled closures (`src/ir/compile-pure.ts`) against the reference
 * evaluators, on random well-typed programs with no model call (`gen-pure-program.ts`):
 * the same value, or the same error (code, message and `.feste` span) when the program
 * divides by zero, indexes out of range, takes the `min` of nothing or compares vectors of
 * different lengths. Both ways of running a scope are checked: what its output needs
 * (`evaluatePure`, as graph mode runs `for` bodies and fused nodes) and every node (the
 * reference interpreter `evaluate`, as eager mode runs them). Then the same programs run
 * through `runGraph` in graph and eager mode, which use the closures, against `evaluate`.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compiledScope } from "../../src/ir/compile-pure.js";
import { FesteRuntimeError } from "../../src/ir/errors.js";
import { evaluatePure, Frame } from "../../src/ir/evaluate-pure.js";
import type { IrProgram } from "../../src/ir/nodes.js";
import type { Data, Value } from "../../src/ir/value.js";
import { optimize } from "../../src/phases/4-optimize/index.js";
import { evaluate } from "../../src/runtime/evaluate.js";
import { runGraph } from "../../src/runtime/run.js";
import { FakeBackend } from "../../src/testing/index.js";
import { lowerSource } from "../support/pipeline.js";
import { pureInputs, pureProgramSource } from "./gen-pure-program.js";

type Inputs = Record<string, Data>;

/** A value, or the error it failed with, as something `toEqual` compares in full. */
type Outcome = { value: unknown } | { error: { name: string; code?: string; message: string; span?: unknown } };

function outcome(run: () => unknown): Outcome {
  try {
    return { value: run() };
  } catch (e) {
    return { error: describeError(e) };
  }
}

async function outcomeOf(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { value: await run() };
  } catch (e) {
    return { error: describeError(e) };
  }
}

function describeError(e: unknown): { name: string; code?: string; message: string; span?: unknown } {
  if (e instanceof FesteRuntimeError) return { name: e.name, code: e.code, message: e.message, span: e.span };
  if (e instanceof Error) return { name: e.name, message: e.message };
  throw e;
}

const frameOf = (program: IrProgram, inputs: Inputs) => new Frame(new Map<string, Value>(program.graphs.main.params.map((p) => [p.name, inputs[p.name] ?? null])));

const params = (numRuns: number): fc.Parameters<[string, Inputs]> => ({ numRuns, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}) });

/** Lowered and optimized: the optimizer fuses and folds, so both shapes of IR are compiled. */
function programs(source: string): IrProgram[] {
  const lowered = lowerSource(source);
  return [lowered, optimize(lowered)];
}

describe("pure closures compiled from the IR", () => {
  it("give what evaluatePure gives, errors included, computing what the output needs", () => {
    let failed = 0;
    fc.assert(
      fc.property(pureProgramSource, pureInputs, (source, inputs) => {
        for (const program of programs(source)) {
          const g = program.graphs.main;
          const expected = outcome(() => evaluatePure(program, g, frameOf(program, inputs)));
          const actual = outcome(() => compiledScope(program, g)(frameOf(program, inputs)));
          expect(actual).toEqual(expected);
          if ("error" in expected) failed++;
        }
      }),
      params(400),
    );
    // The property means little unless failures happen: compare their errors too.
    expect(failed).toBeGreaterThan(20);
  }, 60_000);

  it("give what the reference interpreter gives, computing every node", async () => {
    await fc.assert(
      fc.asyncProperty(pureProgramSource, pureInputs, async (source, inputs) => {
        for (const program of programs(source)) {
          const expected = await outcomeOf(() => evaluate(program, "main", inputs, { backend: new FakeBackend() }));
          const actual = outcome(() => compiledScope(program, program.graphs.main, { everyNode: true })(frameOf(program, inputs)));
          expect(actual).toEqual(expected);
        }
      }),
      params(300),
    );
  }, 60_000);

  it("run in graph and eager mode with the reference interpreter's values and errors", async () => {
    await fc.assert(
      fc.asyncProperty(pureProgramSource, pureInputs, async (source, inputs) => {
        const program = optimize(lowerSource(source));
        const expected = await outcomeOf(() => evaluate(program, "main", inputs, { backend: new FakeBackend() }));
        // Graph mode twice: straight-line code is walked the first time and compiled the second.
        for (const eager of [false, false, true]) {
          const actual = await outcomeOf(async () => (await runGraph(program, "main", inputs, { backend: new FakeBackend(), eager })).value);
          expect(actual).toEqual(expected);
        }
      }),
      params(150),
    );
  }, 60_000);
});
