/**
 * The compiler on one page: load and parse, check, and (as later phases land) lower,
 * optimize and emit, stopping after the first phase that reports an error.
 */
import { sortDiagnostics, type Diagnostic } from "./diagnostics/index.js";
import { loadProgram, type CompilerHost, type LoadedProgram } from "./phases/1-parse/index.js";
import { check, type CheckedProgram } from "./phases/2-check/index.js";

export interface CheckResult {
  /** Present when parsing succeeded, so the checker ran. */
  readonly checked?: CheckedProgram;
  readonly program: LoadedProgram;
  readonly diagnostics: readonly Diagnostic[];
  readonly ok: boolean;
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
