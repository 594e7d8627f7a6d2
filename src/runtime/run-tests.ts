/**
 * Running one `test` block: its graph runs like any other (`runGraph`, so calls are batched
 * and go through the same backend, cache or fixtures), then each assert's outcome is read off
 * the graph's value (see `src/ir/tests.ts`). A test whose graph fails (a model call, a
 * builtin) is reported with that error instead.
 */
import type { IrProgram } from "../ir/nodes.js";
import type { IrAssert, IrTest } from "../ir/tests.js";
import type { Data } from "../ir/value.js";
import { runGraph, type GraphRunOptions, type RunStats } from "./run.js";

/** An assert that did not hold, with both sides of a comparison. */
export interface AssertFailure {
  readonly assert: IrAssert;
  readonly left?: Data;
  readonly right?: Data;
}

export interface TestOutcome {
  readonly test: IrTest;
  /** Asserts that did not hold, in source order; empty when the test passed or errored. */
  readonly failures: readonly AssertFailure[];
  /** The run's failure (a `FesteRuntimeError` with its `.feste` span) when the test could not finish. */
  readonly error?: unknown;
  readonly stats?: RunStats;
}

/** Whether a test passed: it finished and every assert held. */
export function passed(o: TestOutcome): boolean {
  return o.error === undefined && o.failures.length === 0;
}

/** Runs `test`, a test of `program` (from `lowerTests`), and checks its asserts. */
export async function runTest(program: IrProgram, test: IrTest, options: GraphRunOptions): Promise<TestOutcome> {
  let value: Data;
  let stats: RunStats;
  try {
    ({ value, stats } = await runGraph(program, test.graph, {}, { ...options, keepGoing: false }));
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return { test, failures: [], error };
  }
  const outcomes = value as readonly (readonly Data[])[];
  const failures: AssertFailure[] = [];
  test.asserts.forEach((assert, i) => {
    const [holds, left, right] = outcomes[i];
    if (holds === true) return;
    failures.push(assert.compare ? { assert, left, right } : { assert });
  });
  return { test, failures, stats };
}
