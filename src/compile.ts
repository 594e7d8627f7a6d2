/**
 * The compiler on one page: load and parse, check, lower, optimize, emit, stopping after
 * the first phase that reports an error.
 */
import { posix } from "node:path";
import { sortDiagnostics, type Diagnostic } from "./diagnostics/index.js";
import type { IrProgram } from "./ir/nodes.js";
import { loadProgram, type CompilerHost, type LoadedProgram } from "./phases/1-parse/index.js";
import { check, type CheckedProgram } from "./phases/2-check/index.js";
import { lower, lowerDeclarations, lowerTests } from "./phases/3-lower/index.js";
import type { IrTestSuite } from "./ir/tests.js";
import { optimize, type OptimizeOptions } from "./phases/4-optimize/index.js";
import { emit, type EmittedFile, type ModuleInput } from "./phases/5-emit/index.js";

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

export interface TestCompileResult extends CheckResult {
  /** The module's `test` blocks as optimized graphs; present when the program checks. */
  readonly suite?: IrTestSuite;
}

/** Phases 1 to 4 for `feste test`: check, then lower each `test` block to a graph and optimize. */
export function compileTests(file: string, host: CompilerHost, opts: OptimizeOptions & { text?: string } = {}): TestCompileResult {
  const result = checkFile(file, host, opts.text);
  if (!result.ok || !result.checked) return result;
  const suite = lowerTests(result.checked);
  return { ...result, suite: { ...suite, program: optimize(suite.program, opts) } };
}

export interface EmitResult {
  /** The generated modules, paths relative to the output folder; empty if anything failed to compile. */
  readonly files: readonly EmittedFile[];
  /** Each compiled file's result, for its diagnostics and sources. */
  readonly results: readonly CompileResult[];
  readonly ok: boolean;
}

/**
 * Phases 1 to 5 for `feste compile`: every file given and every module they `use`, each
 * compiled as its own root, become one TypeScript module each, laid out under the output
 * folder as the `.feste` files are laid out under their common folder. `outDir` is where
 * the files will be written, relative to the same base as the `.feste` paths, so imports of
 * extern modules can be relative.
 */
export function compileToTypeScript(files: readonly string[], host: CompilerHost, outDir: string): EmitResult {
  const all = new Set<string>();
  // Loading (parsing) finds every module; each is then compiled once, as its own root.
  for (const f of files) for (const m of loadProgram(posix.normalize(f), host).modules.keys()) all.add(m);
  const results: CompileResult[] = [];
  const sorted = [...all].sort();
  const base = commonDir(sorted);
  const moduleOf = (file: string) => posix.relative(base, file).replace(/\.feste$/, ".ts");
  const externSpecifier = (module: string) => posix.relative(posix.normalize(outDir), module);
  const inputs: ModuleInput[] = [];
  for (const file of sorted) {
    const r = compileFile(file, host);
    results.push(r);
    if (!r.ok || !r.checked || !r.optimized) continue;
    const loaded = r.checked.program.modules.get(file)!;
    const module = loaded.module;
    const uses = loaded.uses.flatMap((u) => (u.target !== undefined ? [u.target] : []));
    const modules = new Map([...r.checked.program.modules].map(([f, x]) => [f, x.module]));
    inputs.push({ source: file, path: moduleOf(file), module, modules, sources: r.checked.program.sources, uses, declared: lowerDeclarations(r.checked), plan: r.optimized, moduleOf, externSpecifier });
  }
  const ok = results.every((r) => r.ok);
  return { files: ok ? emit(inputs) : [], results, ok };
}

function commonDir(files: readonly string[]): string {
  const dirs = files.map((f) => posix.dirname(f).split("/"));
  const first = dirs[0] ?? ["."];
  let n = first.length;
  for (const d of dirs) {
    let i = 0;
    while (i < n && i < d.length && d[i] === first[i]) i++;
    n = i;
  }
  return first.slice(0, n).join("/") || ".";
}
