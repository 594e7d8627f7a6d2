/**
 * Runs the Chevrotain lexer and turns its output into what the parser expects: lexer errors
 * become diagnostics, unterminated strings and templates are reported once and closed with
 * synthetic tokens (so the parser does not report the same mistake again), and newlines are
 * kept only where they end a statement.
 */
import { createTokenInstance, type IToken, type TokenType } from "chevrotain";
import * as T from "../../../grammar/tokens.js";
import { makeDiagnostic, type Diagnostic } from "../../diagnostics/index.js";

/** The exclusive end offset of a token (also right for the empty synthetic ones). */
export function tokenEnd(t: IToken): number {
  return t.startOffset + t.image.length;
}

/** Deepest bracket, block or template nesting accepted; deeper input would exhaust the stack. */
export const MAX_NESTING = 64;
/**
 * The largest source or template text read, in UTF-16 code units (32 MiB of ASCII): lexing
 * and parsing stay within about 20 bytes of memory per character below it (test/abuse).
 */
export const MAX_SOURCE_CHARS = 32 * 1024 * 1024;
/** Syntax errors reported per file before giving up. */
export const MAX_SYNTAX_ERRORS = 30;

export interface LexResult {
  readonly tokens: IToken[];
  /** `///` and `//` comments, in order, for doc comments and the formatter. */
  readonly comments: IToken[];
  readonly diagnostics: Diagnostic[];
}

/** Lexes a `.feste` file (`mode: "main"`) or a template file (`mode: "template"`). */
export function lex(text: string, file: string, mode: "main" | "template" = "main"): LexResult {
  const diagnostics: Diagnostic[] = [];
  const span = (start: number, end: number) => ({ file, start, end });
  if (text.length > MAX_SOURCE_CHARS) {
    diagnostics.push(makeDiagnostic("FE1019", span(0, 0), [mebibytes(text.length), mebibytes(MAX_SOURCE_CHARS)], { help: "read data at run time, e.g. with --input @data.json" }));
    return { tokens: [], comments: [], diagnostics };
  }
  if (text.includes("\u0000")) {
    const at = text.indexOf("\u0000");
    diagnostics.push(makeDiagnostic("FE1011", span(at, at + 1), []));
    return { tokens: [], comments: [], diagnostics };
  }
  // The host marks the first byte that is not UTF-8 with a lone surrogate (U+DC80 + the byte).
  const bad = text.search(LONE_SURROGATE);
  if (bad >= 0) {
    const byte = text.charCodeAt(bad) >= 0xdc80 && text.charCodeAt(bad) <= 0xdcff ? text.charCodeAt(bad) - 0xdc00 : 0xfffd;
    diagnostics.push(makeDiagnostic("FE1020", span(bad, bad + 1), [`0x${byte.toString(16).toUpperCase()}`], { help: "save the file as UTF-8" }));
    return { tokens: [], comments: [], diagnostics };
  }

  const raw = T.lexer.tokenize(text, mode);
  for (const e of raw.errors) {
    const start = e.offset;
    const end = start + Math.max(1, e.length);
    const shown = text.slice(start, Math.min(end, start + 20));
    diagnostics.push(
      makeDiagnostic("FE1001", span(start, end), [shown], {
        help: /^[\u2018\u2019\u201C\u201D]/.test(shown)
          ? 'write strings with straight quotes: `"..."`'
          : /[^\x00-\x7f]/.test(shown)
            ? "put text that is not code inside a string"
            : undefined,
      }),
    );
  }
  const repaired = repairUnclosed(raw.tokens, text, file, mode, diagnostics);
  const tokens = significantNewlines(repaired);
  const tooDeep = nestingTooDeep(tokens);
  if (tooDeep) {
    diagnostics.push(
      makeDiagnostic("FE1008", span(tooDeep.startOffset, tokenEnd(tooDeep)), [], {
        notes: [`brackets, blocks and template tags may nest ${MAX_NESTING} levels deep`],
        help: "split it into steps with `let`",
      }),
    );
    return { tokens: [], comments: [], diagnostics };
  }
  return { tokens, comments: (raw.groups.comments as IToken[] | undefined) ?? [], diagnostics };
}

/** "40.0 MiB" */
function mebibytes(chars: number): string {
  return `${(chars / (1024 * 1024)).toFixed(1)} MiB`;
}

/** Half of a surrogate pair without its other half: never the result of decoding UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function synthetic(type: TokenType, offset: number, image = ""): IToken {
  return createTokenInstance(type, image, offset, offset - 1, NaN, NaN, NaN, NaN);
}

function retype(t: IToken, type: TokenType, image = t.image): IToken {
  return { ...t, image, tokenType: type, tokenTypeIdx: type.tokenTypeIdx! };
}

/**
 * Reports unterminated strings, templates, template tags and `{% if %}`/`{% for %}` blocks
 * once each, and closes them with synthetic tokens so that the parser does not report the
 * same mistake again. A `"""` inside `{{ }}` ends the template: the rest of the file is lexed
 * again as code. Curly-quoted strings and `.5` numbers are reported and read as meant.
 */
function repairUnclosed(
  input: IToken[],
  text: string,
  file: string,
  mode: "main" | "template",
  diagnostics: Diagnostic[],
): IToken[] {
  const out: IToken[] = [];
  const open: IToken[] = [];
  // `{% if %}` and `{% for %}` blocks open in the current template (templates do not nest).
  let blocks: { tag: IToken; keyword: IToken; kind: "if" | "for" }[] = [];
  let templateReported = false;
  const report = (d: Diagnostic) => {
    diagnostics.push(d);
    templateReported = true;
  };
  const span = (t: IToken) => ({ file, start: t.startOffset, end: tokenEnd(t) });
  const closeBlocks = (offset: number) => {
    for (let k = blocks.length - 1; k >= 0; k--) {
      const b = blocks[k];
      if (!templateReported) {
        const word = b.kind === "if" ? "endif" : "endfor";
        report(makeDiagnostic("FE1016", { file, start: b.tag.startOffset, end: tokenEnd(b.keyword) }, [b.kind], { help: `close it with \`{% ${word} %}\`` }));
      }
      out.push(synthetic(T.TagOpen, offset), synthetic(b.kind === "if" ? T.Endif : T.Endfor, offset), synthetic(T.TagClose, offset));
    }
    blocks = [];
  };
  let tokens = input;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    switch (t.tokenType) {
      case T.UnterminatedString:
        diagnostics.push(makeDiagnostic("FE1002", span(t), []));
        out.push(retype(t, T.StringLiteral));
        continue;
      case T.CurlyString:
        diagnostics.push(makeDiagnostic("FE1015", span(t), [], { help: 'write strings with straight quotes: `"..."`' }));
        out.push(retype(t, T.StringLiteral, `"${t.image.slice(1, -1)}"`));
        continue;
      case T.LeadingDotNumber:
        diagnostics.push(makeDiagnostic("FE1014", span(t), [t.image], { help: `write \`0${t.image}\`` }));
        out.push(retype(t, T.FloatLiteral));
        continue;
      case T.TemplateStart:
        blocks = [];
        templateReported = false;
        open.push(t);
        break;
      case T.ExprOpen:
        open.push(t);
        break;
      case T.TagOpen: {
        open.push(t);
        const next = tokens[i + 1]?.tokenType;
        if (next === T.If || next === T.For) blocks.push({ tag: t, keyword: tokens[i + 1], kind: next === T.If ? "if" : "for" });
        else if ((next === T.Endif || next === T.Endfor) && blocks.length > 0) blocks.pop();
        break;
      }
      case T.TemplateEnd:
        closeBlocks(t.startOffset);
        open.pop();
        break;
      case T.ExprClose:
      case T.TagClose:
        open.pop();
        break;
      case T.TripleQuoteInCode: {
        const tag = open.pop()!;
        report(
          makeDiagnostic("FE1012", span(tag), [tag.image], {
            help: tag.tokenType === T.ExprOpen ? "close it with `}}`" : "close it with `%}`",
          }),
        );
        out.push(synthetic(tag.tokenType === T.ExprOpen ? T.ExprClose : T.TagClose, t.startOffset));
        closeBlocks(t.startOffset);
        open.pop();
        out.push(retype(t, T.TemplateEnd));
        // Everything after the quotes is code again: lex it afresh and continue there.
        const restStart = tokenEnd(t);
        const rest = T.lexer.tokenize(" ".repeat(restStart) + text.slice(restStart), "main");
        tokens = rest.tokens;
        i = -1;
        open.length = 0;
        continue;
      }
    }
    out.push(t);
  }
  if (open.length > 0 || (mode === "template" && blocks.length > 0)) {
    const first = open.find((t) => t.tokenType === T.TemplateStart) ?? open[0];
    if (first?.tokenType === T.TemplateStart) report(makeDiagnostic("FE1003", span(first), [], { help: 'close it with `"""`' }));
    else if (first) report(makeDiagnostic("FE1012", span(first), [first.image], { help: "close it before the end of the file" }));
    for (let k = open.length - 1; k >= 0; k--) {
      const type = open[k].tokenType;
      if (type === T.TemplateStart) closeBlocks(text.length);
      out.push(synthetic(type === T.TemplateStart ? T.TemplateEnd : type === T.ExprOpen ? T.ExprClose : T.TagClose, text.length));
    }
    if (mode === "template") closeBlocks(text.length);
  }
  return out;
}

const CONTINUES_AFTER = new Set<TokenType>([
  T.Comma, T.LParen, T.LBracket, T.LCurly, T.Equals, T.Arrow, T.Colon, T.Dot, T.QuestionQuestion,
  T.OrOr, T.AndAnd, T.EqEq, T.NotEq, T.Less, T.LessEq, T.Greater, T.GreaterEq, T.Plus, T.Minus,
  T.Star, T.Slash, T.Percent, T.Bang, T.Newline, T.Semicolon,
]);
const ENDS_BEFORE = new Set<TokenType>([T.RCurly, T.RParen, T.RBracket]);

/**
 * Keeps a newline or `;` only where it separates statements or items: inside braces, not
 * after an operator, comma or opening bracket, not before a closing bracket, and never at the
 * top level, where every declaration starts with a keyword. (A newline before `else` is kept:
 * the parser tells `} else {` from a record field named `else`.)
 */
function significantNewlines(tokens: IToken[]): IToken[] {
  const out: IToken[] = [];
  const stack: ("paren" | "brace" | "code")[] = [];
  const isSep = (t: IToken | undefined) => t !== undefined && (t.tokenType === T.Newline || t.tokenType === T.Semicolon);
  for (const t of tokens) {
    const type = t.tokenType;
    if (type === T.Newline || type === T.Semicolon) {
      const top = stack[stack.length - 1];
      const prev = out[out.length - 1];
      if (top !== "brace" || prev === undefined || CONTINUES_AFTER.has(prev.tokenType)) continue;
      out.push(t);
      continue;
    }
    if (ENDS_BEFORE.has(type)) while (isSep(out[out.length - 1])) out.pop();
    if (type === T.LParen || type === T.LBracket) stack.push("paren");
    else if (type === T.LCurly) stack.push("brace");
    else if (type === T.RParen || type === T.RBracket || type === T.RCurly) {
      if (stack[stack.length - 1] !== "code") stack.pop();
    } else if (type === T.ExprOpen || type === T.TagOpen || type === T.TemplateStart) stack.push("code");
    else if (type === T.ExprClose || type === T.TagClose || type === T.TemplateEnd) {
      while (stack.length > 0 && stack.pop() !== "code") {
        // Unbalanced brackets inside a template tag end with the tag.
      }
    }
    out.push(t);
  }
  while (isSep(out[out.length - 1])) out.pop();
  return out;
}

/** The first token at which nesting exceeds MAX_NESTING, counting template `if`/`for` tags. */
function nestingTooDeep(tokens: IToken[]): IToken | undefined {
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const type = tokens[i].tokenType;
    const next = tokens[i + 1]?.tokenType;
    if (type === T.LParen || type === T.LBracket || type === T.LCurly || type === T.TemplateStart || type === T.ExprOpen) depth++;
    else if (type === T.TagOpen && (next === T.If || next === T.For)) depth++;
    else if (type === T.RParen || type === T.RBracket || type === T.RCurly || type === T.TemplateEnd || type === T.ExprClose) depth--;
    else if (type === T.TagOpen && (next === T.Endif || next === T.Endfor)) depth--;
    if (depth > MAX_NESTING) return tokens[i];
  }
  return undefined;
}
