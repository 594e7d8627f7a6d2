/**
 * `test` blocks as the runtime sees them. Each test is lowered to a parameterless graph of
 * its program (so its model calls are batched and optimized like any graph's) whose value is
 * one list per `assert`, in source order: `[holds]`, or for a comparison `[holds, left, right]`
 * so a failure can show both sides. `IrTest` says which graph is which test and where each
 * assert is.
 */
import type { Span } from "../diagnostics/diagnostic.js";
import type { IrProgram } from "./nodes.js";

/** One `assert` line. */
export interface IrAssert {
  /** The asserted condition in the `.feste` file. */
  readonly span: Span;
  /** For `assert a OP b` with a comparison: the operator; the value then carries both sides. */
  readonly compare?: "==" | "!=" | "<" | "<=" | ">" | ">=";
}

export interface IrTest {
  /** The test's name as written (a plain name or the text of a string). */
  readonly name: string;
  /** The graph of `IrTestSuite.program` that runs it. */
  readonly graph: string;
  readonly span: Span;
  readonly asserts: readonly IrAssert[];
}

/** The tests of one module, in source order, and the program their graphs belong to. */
export interface IrTestSuite {
  readonly program: IrProgram;
  readonly tests: readonly IrTest[];
}
