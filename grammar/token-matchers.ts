/**
 * Hand-written matchers for the tokens that can span megabytes: strings, template text and
 * template comments. A regular expression such as `"(?:[^"\\]|\\.)*"` makes V8's backtracking
 * engine keep one stack entry per character, so an 8 MB string overflowed the stack
 * (`RangeError` in `Lexer.matchLength`); these loops use no stack and allocate only the image.
 * Each matches exactly what its former pattern matched, written beside it.
 */
import type { CustomPatternMatcherFunc, ICustomPattern } from "chevrotain";

/**
 * A custom pattern that the serialized grammar (and so the syntax diagrams) shows as the
 * regular expression it stands for; that expression is documentation only, never run.
 */
function described(exec: CustomPatternMatcherFunc, equivalent: RegExp): ICustomPattern & { toJSON(): string } {
  return { exec, toJSON: () => equivalent.source };
}

const QUOTE = 34; // "
const BACKSLASH = 92; // \
const LF = 10;
const CR = 13;
const LCURLY = 123; // {
const HASH = 35; // #
const PERCENT = 37; // %

/**
 * A string on one line from `offset`: `"` then characters or escapes until the closing `"`.
 * `terminated` (StringLiteral, `/"(?:[^"\\\n\r]|\\[^\n\r])*"/`) needs the closing quote;
 * otherwise (UnterminatedString, `/"(?:[^"\\\n\r]|\\[^\n\r])*\\?/`) it takes what precedes
 * the line end, a dangling backslash included.
 */
function matchString(text: string, offset: number, terminated: boolean): [string] | null {
  if (text.charCodeAt(offset) !== QUOTE) return null;
  let i = offset + 1;
  for (;;) {
    if (i >= text.length) return terminated ? null : [text.slice(offset, i)];
    const c = text.charCodeAt(i);
    if (c === QUOTE) return terminated ? [text.slice(offset, i + 1)] : [text.slice(offset, i)];
    if (c === LF || c === CR) return terminated ? null : [text.slice(offset, i)];
    if (c === BACKSLASH) {
      const next = text.charCodeAt(i + 1);
      if (i + 1 >= text.length || next === LF || next === CR) return terminated ? null : [text.slice(offset, i + 1)];
      i += 2;
      continue;
    }
    i++;
  }
}

export const stringLiteralPattern = described((text, offset) => matchString(text, offset, /*terminated*/ true), /"(?:[^"\\\n\r]|\\[^\n\r])*"/);
export const unterminatedStringPattern = described((text, offset) => matchString(text, offset, /*terminated*/ false), /"(?:[^"\\\n\r]|\\[^\n\r])*\\?/);

/**
 * Template text up to the next `"""`, `{{`, `{%` or `{#` (at least one character), as
 * `/(?:[^"{]|"(?!"")|\{(?![{%#]))+/` did.
 */
const matchTemplateText: CustomPatternMatcherFunc = (text, offset) => {
  let i = offset;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE && text.charCodeAt(i + 1) === QUOTE && text.charCodeAt(i + 2) === QUOTE) break;
    if (c === LCURLY) {
      const next = text.charCodeAt(i + 1);
      if (next === LCURLY || next === PERCENT || next === HASH) break;
    }
    i++;
  }
  return i > offset ? [text.slice(offset, i)] : null;
};

/** A template comment `{# ... #}`, the shortest one, as `/\{#[\s\S]*?#\}/` did. */
const matchTemplateComment: CustomPatternMatcherFunc = (text, offset) => {
  if (text.charCodeAt(offset) !== LCURLY || text.charCodeAt(offset + 1) !== HASH) return null;
  const end = text.indexOf("#}", offset + 2);
  return end < 0 ? null : [text.slice(offset, end + 2)];
};

export const templateTextPattern = described(matchTemplateText, /(?:[^"{]|"(?!"")|\{(?![{%#]))+/);
export const templateCommentPattern = described(matchTemplateComment, /\{#[\s\S]*?#\}/);
