/**
 * Phase 1: text to AST. Lexes, parses with error recovery (so one run reports every syntax
 * error) and builds the AST. Never throws for any input.
 */
import type { IToken } from "chevrotain";
import { parser } from "../../../grammar/parser.js";
import type * as C from "../../../grammar/cst-types.js";
import { makeDiagnostic, type Diagnostic } from "../../diagnostics/index.js";
import type * as A from "./ast.js";
import { AstBuilder } from "./cst-to-ast.js";
import { MAX_AST_DEPTH, tooDeep } from "./depth-limit.js";
import { lex, MAX_SYNTAX_ERRORS } from "./lex.js";
import { syntaxErrors } from "./syntax-errors.js";

export interface ParseResult {
  readonly module: A.Module;
  readonly diagnostics: readonly Diagnostic[];
  /** `//` and `///` comments, kept for the formatter. */
  readonly comments: readonly IToken[];
}

/** Parses one `.feste` file. */
export function parse(text: string, file: string): ParseResult {
  const lexed = lex(text, file);
  parser.input = lexed.tokens;
  const cst = parser.program() as C.ProgramCstNode | undefined;
  const diagnostics = [...lexed.diagnostics, ...syntaxErrors(parser.errors, lexed.tokens, lexed.diagnostics, text, file)];
  const builder = new AstBuilder(file, lexed.comments, text);
  const module: A.Module = cst
    ? builder.module(cst, text.length)
    : { kind: "module", file, declarations: [], span: { file, start: 0, end: text.length } };
  diagnostics.push(...builder.diagnostics);
  const deep = tooDeep(module);
  if (deep) {
    diagnostics.push(makeDiagnostic("FE1008", deep, [], { notes: [`the limit is ${MAX_AST_DEPTH} levels`], help: "split it into steps with `let`" }));
    return { module: { ...module, declarations: [] }, diagnostics, comments: lexed.comments };
  }
  if (module.declarations.length === 0 && diagnostics.length === 0) {
    diagnostics.push(makeDiagnostic("FE1010", { file, start: 0, end: 0 }, []));
  }
  return { module, diagnostics: capErrors(diagnostics, file), comments: lexed.comments };
}

/** Parses a template file (`prompt p() from "./p.txt"`): its whole text is a template body. */
export function parseTemplateFile(text: string, file: string): { parts: A.TemplatePart[]; diagnostics: Diagnostic[] } {
  const lexed = lex(text, file, "template");
  parser.input = lexed.tokens;
  const cst = parser.templateBody() as C.TemplateBodyCstNode | undefined;
  const diagnostics = [...lexed.diagnostics, ...syntaxErrors(parser.errors, lexed.tokens, lexed.diagnostics, text, file)];
  const builder = new AstBuilder(file, [], text);
  const parts = builder.templateParts(cst, /*fromFile*/ true);
  diagnostics.push(...builder.diagnostics);
  const deep = tooDeep(parts);
  if (deep) {
    diagnostics.push(makeDiagnostic("FE1008", deep, [], { notes: [`the limit is ${MAX_AST_DEPTH} levels`] }));
    return { parts: [], diagnostics };
  }
  return { parts, diagnostics: capErrors(diagnostics, file) };
}

/** Keeps the first MAX_SYNTAX_ERRORS errors and says where reporting stopped. */
function capErrors(list: Diagnostic[], file: string): Diagnostic[] {
  const errors = list.filter((d) => d.severity === "error");
  if (errors.length <= MAX_SYNTAX_ERRORS) return list;
  const firstDropped = errors[MAX_SYNTAX_ERRORS];
  const kept = list.slice(0, list.indexOf(firstDropped));
  kept.push(makeDiagnostic("FE1013", { ...firstDropped.span, file }, [MAX_SYNTAX_ERRORS], { notes: ["this is the first error not reported"] }));
  return kept;
}
