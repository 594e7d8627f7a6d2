/**
 * Literal and name spelling for the printer: string escapes, float spelling and the words
 * that may stand bare where the grammar wants a plain identifier.
 */

/** Words that are always keywords; a soft keyword (`language`, `from`, ...) is also a name. */
const HARD_KEYWORDS = new Set([
  "use", "const", "client", "enum", "type", "prompt", "graph", "extern", "fn", "test", "assert",
  "let", "for", "in", "if", "else", "true", "false", "null",
]);

/** Whether `text` lexes as an identifier, so it can be printed bare (e.g. a test name). */
export function isPlainName(text: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(text) && !HARD_KEYWORDS.has(text);
}

const SIMPLE: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r" };

/**
 * A `"..."` literal that decodes back to `value`. Control characters, lone surrogates and the
 * characters the lexer refuses in source (NUL, U+FFFD) or that editors hide (BOM, line and
 * paragraph separators) are written as `\u{XX}` so the output is plain, visible text.
 */
export function quoteString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (SIMPLE[ch] !== undefined) out += SIMPLE[ch];
    else if (mustEscape(code)) out += `\\u{${code.toString(16).toUpperCase().padStart(2, "0")}}`;
    else out += ch;
  }
  return out + '"';
}

function mustEscape(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0xd800 && code <= 0xdfff) ||
    code === 0xfeff ||
    code === 0xfffd ||
    code === 0x2028 ||
    code === 0x2029
  );
}

/**
 * A float literal that reads back as the same number and as a float, never an int: `1` is
 * spelled `1.0`, and infinity (what an overlong exponent parses to) `1e999`.
 */
export function floatText(value: number): string {
  if (value === Infinity) return "1e999";
  const s = String(value);
  return /^\d+$/.test(s) ? `${s}.0` : s;
}
