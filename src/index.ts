/** `feste`: the compiler as a library. */
export { checkFile, type CheckResult } from "./compile.js";
export * from "./diagnostics/index.js";
export { parse, parseTemplateFile, loadProgram, memoryHost, type CompilerHost, type LoadedProgram } from "./phases/1-parse/index.js";
export type * as ast from "./phases/1-parse/ast.js";
export { check, type CheckedProgram } from "./phases/2-check/index.js";
export { VERSION } from "./version.js";
