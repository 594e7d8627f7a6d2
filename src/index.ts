/** `feste`: the compiler as a library. */
export { checkFile, compileFile, compileToTypeScript, type CheckResult, type CompileResult, type EmitResult } from "./compile.js";
export { emit, type EmittedFile, type ModuleInput } from "./phases/5-emit/index.js";
export * from "./diagnostics/index.js";
export { parse, parseTemplateFile, loadProgram, memoryHost, type CompilerHost, type LoadedProgram } from "./phases/1-parse/index.js";
export type * as ast from "./phases/1-parse/ast.js";
export { check, type CheckedProgram } from "./phases/2-check/index.js";
export { lower } from "./phases/3-lower/index.js";
export { optimize, PASSES, type OptimizeOptions } from "./phases/4-optimize/index.js";
export type * from "./ir/nodes.js";
export { walkNodes, topoOrder } from "./ir/graph.js";
export { printProgram } from "./ir/print.js";
export { toDot, toMermaid } from "./ir/draw.js";
export { planGraph, dryRun, type Plan, type PlanStep } from "./plan/plan.js";
export { VERSION } from "./version.js";
export { evaluatePure, Frame } from "./ir/evaluate-pure.js";
export { compiledScope } from "./ir/compile-pure.js";
