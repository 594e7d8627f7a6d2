export * from "./ast.js";
export { parse, parseTemplateFile, type ParseResult } from "./parse.js";
export { MAX_NESTING } from "./lex.js";
export { loadProgram, type LoadedModule, type LoadedProgram } from "./load-program.js";
export { memoryHost, isRelative, resolveRelative, type CompilerHost } from "./host.js";
