/** Compiling test programs from memory down to IR, for the optimizer and runtime suites. */
import { resolve } from "node:path";
import { checkFile } from "../../src/compile.js";
import { renderDiagnostics } from "../../src/diagnostics/index.js";
import type { IrProgram } from "../../src/ir/nodes.js";
import type { Data } from "../../src/ir/value.js";
import { memoryHost, type CompilerHost } from "../../src/phases/1-parse/index.js";
import { lower } from "../../src/phases/3-lower/index.js";
import { evaluate } from "../../src/runtime/evaluate.js";
import { FakeBackend } from "../../src/testing/index.js";

/** Checks and lowers `entry`; fails the test with the rendered diagnostics on errors. */
export function lowerFile(entry: string, host: CompilerHost): IrProgram {
  const r = checkFile(entry, host);
  if (!r.checked || !r.ok) throw new Error(`does not check:\n${renderDiagnostics(r.diagnostics, (f) => r.program.sources.get(f))}`);
  return lower(r.checked);
}

export function lowerSource(text: string): IrProgram {
  return lowerFile("main.feste", memoryHost({ "main.feste": text }));
}

/** Extern functions for tests: loaded from their module on disk, relative to `root`. */
export function diskExterns(root: string) {
  return async (module: string, fn: string, args: readonly Data[]): Promise<Data> => {
    const m = (await import(resolve(root, module))) as Record<string, (...a: unknown[]) => Data>;
    return m[fn](...args);
  };
}

/** Runs a graph on the reference evaluator with a fresh fake backend. */
export async function runWithFake(program: IrProgram, graph: string, inputs: Record<string, Data>, root = ".") {
  const backend = new FakeBackend();
  const value = await evaluate(program, graph, inputs, { backend, externs: diskExterns(root) });
  return { value, requests: backend.requests, log: backend.log };
}
