/**
 * `feste fmt` on 10,000 generated programs, with `//` comments sprinkled over them: the
 * output parses to the same AST (spans aside), keeps every comment, and formatting it again
 * changes nothing. The programs come from the printer's round-trip generator (gen-module.ts).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as T from "../../grammar/tokens.js";
import { plainComments } from "../../src/format/comments.js";
import { astShape, formatSource } from "../../src/format/format.js";
import { parse } from "../../src/phases/1-parse/index.js";
import { moduleSource } from "../property/gen-module.js";

/** The texts of a parsed program's comments that are not docs (docs are in the AST), sorted. */
function commentTexts(parsed: ReturnType<typeof parse>, text: string): string[] {
  return plainComments(parsed.module, parsed.comments, text)
    .map((c) => c.text)
    .sort();
}

/**
 * `src` with `//` comments added at code line ends: before some newlines (a trailing comment)
 * or after them (a comment on a line of its own). Newline tokens of the main lexer mode are
 * never inside strings or templates, and a comment or an extra newline there changes nothing.
 */
function withComments(src: string, picks: readonly number[]): string {
  const newlines = T.lexer.tokenize(src).tokens.filter((t) => t.tokenType === T.Newline);
  let out = src;
  // From the end, so earlier offsets stay valid.
  for (let i = newlines.length - 1; i >= 0; i--) {
    const pick = picks[i % picks.length];
    const at = newlines[i].startOffset;
    if (pick === 1) out = `${out.slice(0, at)} // trailing ${i}${out.slice(at)}`;
    else if (pick === 2) out = `${out.slice(0, at + 1)}// own line ${i}\n${out.slice(at + 1)}`;
  }
  return out;
}

const commented = fc.tuple(moduleSource, fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 8 })).map(([src, picks]) => withComments(src, picks));

describe("feste fmt on generated programs", () => {
  it("keeps the AST and every comment, and is idempotent (10,000 programs)", () => {
    fc.assert(
      fc.property(commented, (src) => {
        const first = parse(src, "p.feste");
        // The generator makes valid programs only: a diagnostic here is a generator bug.
        expect(first.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        const once = formatSource(src, "p.feste");
        expect(once.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
        const out = once.text!;
        const second = parse(out, "p.feste");
        expect(astShape(second.module)).toBe(astShape(first.module));
        expect(commentTexts(second, out)).toEqual(commentTexts(first, src));
        expect(formatSource(out, "p.feste").text).toBe(out);
      }),
      { numRuns: 10_000 },
    );
  }, 180_000);
});
