/**
 * Generators of broken input for the robustness properties: token soup from the language's
 * own vocabulary, and mutations of real programs (slices deleted, duplicated, swapped,
 * tokens inserted, lines shuffled, names swapped) that keep most of a program intact so
 * the parser's recovery and, when the result still parses, the checker get exercised.
 */
import fc from "fast-check";
import { HARD_KEYWORDS, SOFT_KEYWORDS } from "./gen-lexical.js";

/** Pieces of Feste source, valid and almost valid, that random input is made from. */
export const VOCABULARY: readonly string[] = [
  ...HARD_KEYWORDS, ...SOFT_KEYWORDS,
  "{", "}", "(", ")", "[", "]", ",", ":", ";", ".", "->", "??", "||", "&&", "==", "!=", "<", "<=", ">", ">=",
  "=", "!", "+", "-", "*", "/", "%", "?", "|", "[]",
  '"""', "{{", "}}", "{%", "%}", "{%-", "-%}", "{{-", "-}}", "{#", "#}", "{##}",
  '"x"', '"', '"unterminated', '"\\q"', '"\\u{110000}"', "“curly”", "‘", "0", "1.5", ".5", "1e999", "99999999999999999999",
  "a", "x", "xs", "gpt", "openai", "chat", "completion", "embedding", "cohere", "rerank", "string", "int", "float",
  "bool", "Ticket", "Category", "system", "user", "assistant", "fallback", "round_robin", "model", "temperature",
  "len", "join", "upper", "env", "range", "cosine", "top_k", "Ranked", "en", "pt", "xx",
  "//", "///", "\n", "\r\n", "\t", " ", "\u00a0", "\uFEFF", "é", "😀", "\\",
  'use "./shared/common.feste"', 'use "./pipeline.feste"', 'from "./prompts/summary.txt"', 'from "./lib/text.ts"',
  'from "../outside.txt"', "client c: openai.chat { model: \"m\" }", "type T { a: int }", "enum E { a, b }",
  "graph main() -> string {", "prompt p(x: string) \"\"\"\n  {{ x }}\n  \"\"\"", "test t { assert true }",
];

const vocab = fc.constantFrom(...VOCABULARY);
const gap = fc.constantFrom("", " ", " ", "\n");

/** A random sequence of the language's tokens with random spacing. */
export const tokenSoup: fc.Arbitrary<string> = fc
  .array(fc.tuple(vocab, gap), { maxLength: 60 })
  .map((items) => items.map(([t, g]) => t + g).join(""));

/** One edit of a text, given as numbers so it applies to a text of any length. */
type Edit = (text: string) => string;

const at = (n: number, text: string) => (text.length === 0 ? 0 : n % (text.length + 1));
const lineSplit = (text: string) => text.split("\n");

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.tuple(fc.nat(), fc.nat({ max: 40 })).map(([p, n]): Edit => (t) => t.slice(0, at(p, t)) + t.slice(at(p, t) + n)),
  fc.tuple(fc.nat(), fc.oneof(vocab, fc.string({ maxLength: 4 }))).map(([p, s]): Edit => (t) => t.slice(0, at(p, t)) + s + t.slice(at(p, t))),
  fc.tuple(fc.nat(), fc.nat({ max: 80 }), fc.nat()).map(([p, n, q]): Edit => (t) => {
    const s = t.slice(at(p, t), at(p, t) + n);
    return t.slice(0, at(q, t)) + s + t.slice(at(q, t));
  }),
  fc.tuple(fc.nat(), fc.nat(), fc.nat({ max: 30 })).map(([p, q, n]): Edit => (t) => {
    const [a, b] = [at(p, t), at(q, t)].sort((x, y) => x - y);
    if (a + n > b) return t;
    return t.slice(0, a) + t.slice(b, b + n) + t.slice(a + n, b) + t.slice(a, a + n) + t.slice(b + n);
  }),
  fc.nat().map((p): Edit => (t) => t.slice(0, at(p, t))),
  fc.tuple(fc.nat(), fc.constantFrom("delete", "duplicate", "swap")).map(([i, op]): Edit => (t) => {
    const lines = lineSplit(t);
    const k = i % lines.length;
    const j = (i * 7 + 3) % lines.length;
    if (op === "delete") lines.splice(k, 1);
    else if (op === "duplicate") lines.splice(k, 0, lines[k]);
    else [lines[k], lines[j]] = [lines[j], lines[k]];
    return lines.join("\n");
  }),
  // Swap one name for another name of the same program: still parses, rarely still checks.
  fc.tuple(fc.nat(), fc.nat()).map(([i, j]): Edit => (t) => {
    const names = [...t.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)];
    if (names.length < 2) return t;
    const target = names[i % names.length];
    const other = names[j % names.length][0];
    return t.slice(0, target.index) + other + t.slice(target.index! + target[0].length);
  }),
);

/** 1 to 4 edits of `text`. */
export function mutated(text: string): fc.Arbitrary<string> {
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => edits.reduce((t, e) => e(t), text));
}
