/**
 * The compiler on one page: load and parse, check, lower, optimize, stopping after the
 * first phase that reports an error. Emitting TypeScript comes with the code generator.
 */
import { sortDiagnostics, type Diagnostic } from "./diagnostics/index.js";
import type { IrProgram } from "./ir/nodes.js";
import { loadProgram, type CompilerHost, type LoadedProgram } from "./phases/1-parse/index.js";
import { check, type CheckedProgram } from "./phases/2-check/index.js";
import { lower } from "./phases/3-lower/index.js";
import { optimize, type OptimizeOptions } from "./phases/4-optimize/index.js";

export interface CheckResult {
  /** Present when parsing succeeded, so the checker ran. */
  readonly checked?: CheckedProgram;
  readonly program: LoadedProgram;
  readonly diagnostics: readonly Diagnostic[];
  readonly ok: boolean;
}

export interface CompileResult extends CheckResult {
  /** The IR as lowered, and after the optimizer; present when the program checks. */
  readonly lowered?: IrProgram;
  readonly optimized?: IrProgram;
}

/** Phases 1 and 2: parse `file` and everything it uses, then check names and types. */
export function checkFile(file: string, host: CompilerHost, text?: string): CheckResult {
  const program = loadProgram(file, host, text);
  if (program.diagnostics.some((d) => d.severity === "error")) {
    return { program, diagnostics: sortDiagnostics(program.diagnostics), ok: false };
  }
  const checked = check(program, host);
  const diagnostics = sortDiagnostics([...program.diagnostics, ...checked.diagnostics]);
  return { checked, program, diagnostics, ok: !diagnostics.some((d) => d.severity === "error") };
}

/** Phases 1 to 4: check, then lower to the graph IR and optimize it. */
export function compileFile(file: string, host: CompilerHost, opts: OptimizeOptions & { text?: string } = {}): CompileResult {
  const result = checkFile(file, host, opts.text);
  if (!result.ok || !result.checked) return result;
  const lowered = lower(result.checked);
  return { ...result, lowered, optimized: optimize(lowered, opts) };
}
