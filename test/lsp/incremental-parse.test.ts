/**
 * The language server's incremental parse gives what a full parse gives: for random edits
 * of the examples (one edit from a clean text, and chains of edits through the cache), every
 * time the shortcut answers, its module and diagnostics equal `parse` on the new text; and a
 * keystroke inside one declaration of a large program does take the shortcut.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/phases/1-parse/index.js";
import { ParseCache, reparse } from "../../src/lsp/incremental-parse.js";
import { generateProgram } from "../bench/generate-program.js";
import { ROOT } from "./support/lsp-client.js";
import { random } from "./support/random.js";

const SNIPPETS = [
  "x", "0", " ", "\n", "\n\n", "{", "}", "(", ")", '"', '"""', "{{ ", " }}", "{% if x %}", "{% endif %}", "//", "// note\n", "///", "/// doc\n",
  "const q = 1\n", "\nconst q = 1\n", "enum E { a, b }\n", "type T { a: int }\n", "prompt", "graph", "client", "use", ";", "é", "\r\n",
];
const FILES = ["examples/support.feste", "examples/critic.feste", "examples/agent.feste", "examples/router.feste", "examples/refine.feste", "examples/shared/common.feste"];

/** One random edit: an insertion of a snippet or a copied stretch, a deletion, or a replacement. */
function edit(text: string, rnd: () => number): string {
  const at = Math.floor(rnd() * (text.length + 1));
  const r = rnd();
  if (r < 0.4) return text.slice(0, at) + SNIPPETS[Math.floor(rnd() * SNIPPETS.length)] + text.slice(at);
  const len = Math.floor(rnd() * (r < 0.8 ? 8 : 120));
  if (r < 0.9) return text.slice(0, at) + text.slice(at + len);
  const from = Math.floor(rnd() * text.length);
  return text.slice(0, at) + text.slice(from, from + len) + text.slice(at + len);
}

const full = (text: string, file: string) => {
  const p = parse(text, file);
  return { module: p.module, diagnostics: p.diagnostics };
};

/** Deep equality, fast on the common case (the same JSON), with the diff when it fails. */
function same(actual: unknown, expected: unknown, what: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) expect(actual, what).toEqual(expected);
}

describe("incremental parse", () => {
  it("equals a full parse after any one edit of a clean example", () => {
    const rnd = random(19);
    let taken = 0;
    for (const f of FILES) {
      const text = readFileSync(resolve(ROOT, f), "utf8");
      const base = full(text, f);
      expect(base.diagnostics).toEqual([]);
      for (let i = 0; i < 70; i++) {
        const next = edit(text, rnd);
        const fast = reparse(text, base, next, f);
        if (!fast) continue;
        taken++;
        same(fast, full(next, f), `${f}, edit ${i}`);
      }
    }
    // Most single edits leave the program parseable and are answered without a full parse.
    expect(taken).toBeGreaterThan(100);
  });

  it("equals a full parse along chains of edits through the cache, broken texts included", () => {
    const rnd = random(7);
    for (const f of FILES) {
      const cache = new ParseCache();
      let text = readFileSync(resolve(ROOT, f), "utf8");
      for (let i = 0; i < 40; i++) {
        text = edit(text, rnd);
        same(cache.parse(text, f), full(text, f), `${f}, edit ${i}`);
      }
    }
  });

  it("re-parses only around a keystroke in a large program, docs and shifted spans included", () => {
    const file = "big.feste";
    const text = generateProgram(600);
    const base = full(text, file);
    const middle = text.indexOf("/// Section 10.");
    const edits = [
      text.slice(0, middle) + "/// Section ten, edited." + text.slice(middle + "/// Section 10.".length),
      text.replace("score: int\n  title", "score: int\n  rank: int\n  title"),
      text.replace("prompt summarize12(", "prompt summarise12("),
    ];
    for (const next of edits) {
      const fast = reparse(text, base, next, file);
      expect(fast).toBeDefined();
      expect(fast).toEqual(full(next, file));
    }
    const doc = reparse(text, base, edits[0], file)!.module.declarations.find((d) => d.kind === "enumDecl" && d.name.text === "Kind10");
    expect(doc?.doc).toBe("Section ten, edited.");
  });
});
