/**
 * Turns Chevrotain's recognition errors into diagnostics a user can act on: one error per
 * top-level declaration (recovery after a mistake tends to trip again on what follows), a
 * label on the bracket a missing closer belongs to, and hints for habits from other
 * languages (`return`, `elif`, `for (...)`, `def`).
 */
import type { IRecognitionException, IToken, TokenType } from "chevrotain";
import * as T from "../../../grammar/tokens.js";
import { makeDiagnostic, type Code, type Diagnostic, type Label } from "../../diagnostics/index.js";
import { tokenEnd } from "./lex.js";

const CODES: Record<string, Code> = {
  MismatchedTokenException: "FE1005",
  NoViableAltException: "FE1006",
  EarlyExitException: "FE1006",
  NotAllInputParsedException: "FE1007",
};

const DECLARATION_KEYWORDS = new Set<TokenType>([T.Language, T.Use, T.Const, T.Client, T.Enum, T.Type, T.Prompt, T.Graph, T.Extern, T.Test]);
const OPENERS = new Map<TokenType, TokenType>([
  [T.LParen, T.RParen],
  [T.LBracket, T.RBracket],
  [T.LCurly, T.RCurly],
]);
const OTHER_LANGUAGES_DECL = new Set(["def", "fn", "func", "fun", "function", "let", "var"]);

/** Whether the parser was looking for the next declaration when it failed. */
function atTopLevel(e: IRecognitionException): boolean {
  return e.name === "NotAllInputParsedException" || e.message.startsWith("expected a declaration,");
}

/** Offsets where top-level declarations start, ascending. */
function declarationStarts(tokens: readonly IToken[]): number[] {
  const starts: number[] = [];
  let depth = 0;
  for (const t of tokens) {
    if (OPENERS.has(t.tokenType) || t.tokenType === T.TemplateStart) depth++;
    else if (t.tokenType === T.RParen || t.tokenType === T.RBracket || t.tokenType === T.RCurly || t.tokenType === T.TemplateEnd) depth = Math.max(0, depth - 1);
    else if (depth === 0 && DECLARATION_KEYWORDS.has(t.tokenType)) starts.push(t.startOffset);
  }
  return starts;
}

function indexAt(tokens: readonly IToken[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid].startOffset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The innermost opener still unclosed before token `index` whose closer is `closer`. */
function unclosedOpener(tokens: readonly IToken[], index: number, closer: TokenType): IToken | undefined {
  const stack: IToken[] = [];
  for (let i = 0; i < index && i < tokens.length; i++) {
    const t = tokens[i];
    if (OPENERS.has(t.tokenType)) stack.push(t);
    else if ([...OPENERS.values()].includes(t.tokenType)) stack.pop();
  }
  for (let k = stack.length - 1; k >= 0; k--) if (OPENERS.get(stack[k].tokenType) === closer) return stack[k];
  return undefined;
}

function hint(e: IRecognitionException, prev: IToken | undefined, expected: TokenType | undefined): string | undefined {
  const found = e.token.image;
  const rule = e.context.ruleStack[e.context.ruleStack.length - 1];
  if (found === "elif") return "write `else if`";
  if (prev?.image === "return") return "Feste has no `return`: a block's value is its last expression";
  if (atTopLevel(e) && OTHER_LANGUAGES_DECL.has(found)) {
    return "declare a graph with `graph name(param: Type) -> Type { ... }`";
  }
  if (prev?.tokenType === T.For && e.token.tokenType === T.LParen) return "write `for x in xs { ... }` without parentheses";
  if (expected === T.Colon && (rule === "field" || rule === "param")) return "write it as `name: Type`";
  if (expected === T.Colon && (rule === "setting" || rule === "fieldInit")) return "write it as `name: value`";
  return undefined;
}

/** Diagnostics for the parser's errors, skipping what a lexical diagnostic already explains. */
export function syntaxErrors(
  errors: readonly IRecognitionException[],
  tokens: readonly IToken[],
  lexical: readonly Diagnostic[],
  text: string,
  file: string,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const starts = declarationStarts(tokens);
  const reportedDecls = new Set<number>();
  for (const e of errors) {
    const tok = e.token;
    const atEof = Number.isNaN(tok.startOffset);
    const at = atEof ? tokens.length : indexAt(tokens, tok.startOffset);
    const prev = tokens[at - 1];
    const start = atEof ? (prev ? tokenEnd(prev) : text.length) : tok.startOffset;
    const end = atEof ? start : Math.max(start, tokenEnd(tok));
    if (lexical.some((d) => d.span.start <= start && start <= d.span.end)) continue;
    // Index of the declaration the error sits in (-1: before the first one).
    let decl = -1;
    for (let k = starts.length - 1; k >= 0; k--) {
      if (starts[k] <= start) {
        decl = k;
        break;
      }
    }
    if (reportedDecls.has(decl)) continue;
    reportedDecls.add(decl);
    const expected = (e as { expectedToken?: TokenType }).expectedToken ?? expectedFromMessage(e);
    const labels: Label[] = [];
    // Name the bracket a missing closer belongs to when the parser ran into the end of the
    // file or another closer; elsewhere the mistake is usually in what came before.
    const closers = [...OPENERS.values()];
    if (expected && closers.includes(expected) && (atEof || closers.includes(tok.tokenType))) {
      const opener = unclosedOpener(tokens, at, expected);
      if (opener) labels.push({ span: { file, start: opener.startOffset, end: tokenEnd(opener) }, message: "unclosed here" });
    }
    const help = hint(e, prev, expected);
    const code = atTopLevel(e) ? "FE1007" : (CODES[e.name] ?? "FE1006");
    const d = makeDiagnostic(code, { file, start, end }, ["", ""], { labels, ...(help ? { help } : {}) });
    out.push({ ...d, message: e.message });
  }
  return out;
}

/** Chevrotain keeps the expected token of a mismatch only in its message; recover it. */
function expectedFromMessage(e: IRecognitionException): TokenType | undefined {
  if (e.name !== "MismatchedTokenException") return undefined;
  const m = /^expected `([^`]+)`/.exec(e.message);
  if (!m) return undefined;
  return [T.RParen, T.RBracket, T.RCurly, T.Colon].find((t) => t.LABEL === `\`${m[1]}\``);
}
