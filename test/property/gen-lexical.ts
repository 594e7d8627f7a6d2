/**
 * Source-text generators for the smallest pieces of Feste: names, literals, whitespace,
 * comments and template text. Each produces text that lexes as intended wherever the
 * bigger generators put it; the constraints that make that true are written next to them.
 */
import fc from "fast-check";

export const HARD_KEYWORDS = [
  "use", "const", "client", "enum", "type", "prompt", "graph", "extern", "fn", "test", "assert",
  "let", "for", "in", "if", "else", "true", "false", "null",
];
/** Keywords only where the grammar asks for them: elsewhere they are names. */
export const SOFT_KEYWORDS = ["language", "lang", "from", "elif", "endif", "endfor", "fold", "loop", "until", "max"];

const COMMON_NAMES = ["a", "b", "x", "xs", "item", "tickets", "gpt", "T", "Draft", "Category", "_x", "a1", "snake_case", "q"];

/** A name where the grammar wants an Identifier: declarations, params, lets, bindings. */
export const name: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...COMMON_NAMES) },
  { weight: 1, arbitrary: fc.constantFrom(...SOFT_KEYWORDS) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.stringMatching(/^[A-Za-z_]$/), fc.stringMatching(/^[A-Za-z0-9_]{0,8}$/))
      .map(([h, t]) => h + t)
      .filter((s) => !HARD_KEYWORDS.includes(s)),
  },
);

/** A name where any word is accepted: fields, setting keys, named arguments, enum members. */
export const anyName: fc.Arbitrary<string> = fc.oneof({ weight: 5, arbitrary: name }, { weight: 1, arbitrary: fc.constantFrom(...HARD_KEYWORDS) });

/** Names for items in braces: fields, settings, members (any word, keywords included). */
export const itemName: fc.Arbitrary<string> = anyName;

/** Required whitespace between tokens on one line. */
export const sp = fc.constantFrom(" ", " ", " ", "  ", "\t");
/** Optional whitespace on one line. */
export const osp = fc.constantFrom("", "", " ", "  ");
/** Whitespace where newlines are dropped: inside brackets and after operators and commas. */
export const brk = fc.constantFrom("", " ", " ", "\n", "\n  ", "\r\n    ");
/** Whitespace inside template tags, where every newline is plain whitespace. */
export const tws = fc.constantFrom(" ", " ", "  ", "\n", "\t", " \n ");

export const intLit = fc.oneof(
  fc.nat({ max: 1000 }).map(String),
  fc.maxSafeNat().map(String),
  fc.constantFrom("0", "007", "9007199254740991"),
);

export const floatLit = fc.oneof(
  fc.tuple(fc.nat({ max: 999 }), fc.stringMatching(/^\d{1,4}$/)).map(([i, f]) => `${i}.${f}`),
  fc.tuple(fc.nat({ max: 99 }), fc.constantFrom("e", "E"), fc.constantFrom("", "+", "-"), fc.nat({ max: 30 })).map((p) => p.join("")),
  fc.constantFrom("1.0", "0.5", "1e400", "1e-400", "2.5E-3", "123456789012345678901.0", "0.1"),
);

const STRING_CHARS = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("a", "b", " ", "Z", "é", "😀", "{{", "}}", '\\"\\"\\"', "{%", "'", "\t", "#", "\u2028", "\uFEFF") },
  { weight: 3, arbitrary: fc.constantFrom("\\n", "\\r", "\\t", "\\\\", '\\"', "\\0", "\\u{41}", "\\u{1F600}", "\\u{0}", "\\u{FFFD}", "\\u{D800}", "\\u{7f}", "\\u{10FFFF}") },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 3 }).map(escapeRaw) },
);

/** Escapes what a raw string-literal body may not hold; the other characters stay as they are. */
function escapeRaw(s: string): string {
  return s.replace(/[\\"\n\r\u0000\uFFFD]/g, (c) => (c === "\\" ? "\\\\" : c === '"' ? '\\"' : `\\u{${c.codePointAt(0)!.toString(16)}}`));
}

/** A `"..."` literal in source form, with escapes of every kind. */
export const stringLit: fc.Arbitrary<string> = fc.array(STRING_CHARS, { maxLength: 6 }).map((parts) => `"${parts.join("")}"`);

/** One line of comment text (`//` or `///`): anything but a newline and the bytes the lexer refuses. */
export const commentText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("", " a doc line", "  indented", "x", " `code` and {{ braces }}", ' """ quotes', "/ slash", " trailing \r"),
  fc.string({ unit: "grapheme", maxLength: 12 }).map((s) => s.replace(/[\n\u0000\uFFFD]/g, "")),
);

/** `///` lines ending in a newline, or nothing. */
export const docLines: fc.Arbitrary<string> = fc.option(
  fc.array(commentText, { minLength: 1, maxLength: 3 }).map((lines) => lines.map((l) => `///${l}\n`).join("")),
  { freq: 3 },
).map((d) => d ?? "");

/** A line ending: a newline, sometimes after a `//` comment. */
export const lineEnd: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constant("\n") },
  { weight: 1, arbitrary: commentText.map((c) => ` //${c}\n`) },
);

const TEXT_UNITS = fc.constantFrom(
  "a", "b", "Z", "word", " ", "  ", "\n", "\n", "\n  ", "\t", "{", "}", "%", "#", "-", '"', "'", "é", "😀",
  "\\", "{ x }", "%}", "}}", "\r\n", "elif", ".", ":", "\u2028", "\uFEFF", "endif", "\r",
);

/**
 * Template text. It may not contain `"""`, `{{`, `{%` or `{#` (they would open something),
 * and may not end in `{` or `"`, so that whatever follows (a tag, more text, the closing
 * quotes) cannot join with it into one of those.
 */
export const templateText: fc.Arbitrary<string> = fc
  .array(TEXT_UNITS, { minLength: 1, maxLength: 8 })
  .map((u) => u.join(""))
  .filter((t) => !/"""|\{\{|\{%|\{#/.test(t) && !/[{"]$/.test(t));

/** The inside of a `{# #}` comment: anything without `#}`. */
export const templateCommentText: fc.Arbitrary<string> = fc
  .array(fc.constantFrom("", " c ", "\n", "{{", "%}", '"""', "{%", "é", "#", "}"), { maxLength: 4 })
  .map((u) => u.join(""))
  .filter((t) => !t.includes("#}") && !t.endsWith("#"));
