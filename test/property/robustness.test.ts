/**
 * No input makes the front end throw. 100,000 random and mutated inputs in total ((a) 32,000
 * random strings, (b) 48,000 mutated examples, (c) 20,000 token sequences), plus 4,000
 * generated valid programs for the checker (d), go through
 * `parse` and `checkFile` (which loads `use`d modules and template files from a memory host
 * holding the examples folder); each may only produce diagnostics, and every diagnostic must
 * have a catalogue-shaped code and spans inside the text of the file they name.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import fc from "fast-check";
import { describe, it } from "vitest";
import { checkFile } from "../../src/compile.js";
import type { Diagnostic } from "../../src/diagnostics/index.js";
import { memoryHost, parse } from "../../src/phases/1-parse/index.js";
import { moduleSource } from "./gen-module.js";
import { mutated, tokenSoup } from "./gen-noise.js";

const EXAMPLES = join(__dirname, "../../examples");

/** Every file of the examples folder by its path relative to it, as a host serves them. */
function examplesFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const n of readdirSync(dir)) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(EXAMPLES, p).split("\\").join("/")] = readFileSync(p, "utf8");
    }
  };
  walk(EXAMPLES);
  return out;
}

const FILES = examplesFiles();
const PROGRAMS = Object.keys(FILES).filter((f) => f.endsWith(".feste")).sort();

/** Throws (failing the property) when a diagnostic is malformed. */
function expectWellFormed(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): void {
  for (const d of diagnostics) {
    if (!/^FE[1-4]\d{3}$/.test(d.code)) throw new Error(`bad code ${d.code}: ${d.message}`);
    for (const s of [d.span, ...d.labels.map((l) => l.span)]) {
      const text = sources.get(s.file);
      if (text === undefined) throw new Error(`${d.code} names a file with no text: ${s.file}`);
      if (!(0 <= s.start && s.start <= s.end && s.end <= text.length)) {
        throw new Error(`${d.code} span ${s.start}..${s.end} outside ${s.file} (length ${text.length}): ${d.message}`);
      }
    }
  }
}

/** Parses and checks `text` as `file`, next to the examples (some replaced by `files`). */
function survive(file: string, text: string, files: Record<string, string> = {}): void {
  const parsed = parse(text, file);
  expectWellFormed(parsed.diagnostics, new Map([[file, text]]));
  const checked = checkFile(file, memoryHost({ ...FILES, ...files, [file]: text }), text);
  expectWellFormed(checked.diagnostics, checked.program.sources);
}

/** Per-block time limit: generous against a slow CI machine, far above the expected run. */
const TIMEOUT = 120_000;

describe("the front end never throws", () => {
  describe("(a) random strings", () => {
    for (const unit of ["binary", "grapheme", "binary-ascii", "grapheme-ascii"] as const) {
      it(`unit ${unit}`, () => {
        fc.assert(fc.property(fc.string({ unit, maxLength: 300, size: "medium" }), (s) => survive("random.feste", s)), { numRuns: 6_000 });
      }, TIMEOUT);
    }
    it("as a template file read through `prompt p() from`", () => {
      const root = 'prompt p(x: string) from "./t.txt"\ngraph main() -> string { p("x") }\n';
      fc.assert(
        fc.property(fc.string({ unit: "grapheme", maxLength: 300, size: "medium" }), tokenSoup, (s, soup) => {
          survive("root.feste", root, { "t.txt": s });
          survive("root.feste", root, { "t.txt": soup });
        }),
        { numRuns: 4_000 },
      );
    }, TIMEOUT);
  });

  describe("(b) mutated example programs", () => {
    for (const file of PROGRAMS) {
      it(file, () => {
        // pipeline.feste reads shared/common.feste and prompts/summary.txt: break those too.
        const siblings = fc.record({
          "shared/common.feste": fc.oneof(fc.constant(FILES["shared/common.feste"]), mutated(FILES["shared/common.feste"])),
          "prompts/summary.txt": fc.oneof(fc.constant(FILES["prompts/summary.txt"]), mutated(FILES["prompts/summary.txt"])),
        });
        fc.assert(fc.property(mutated(FILES[file]), siblings, (text, sib) => survive(file, text, sib)), { numRuns: 6_000 });
      }, TIMEOUT);
    }
  });

  describe("(c) token sequences", () => {
    it("of the language's vocabulary", () => {
      fc.assert(fc.property(tokenSoup, (s) => survive("soup.feste", s)), { numRuns: 20_000 });
    }, TIMEOUT);
  });

  describe("(d) generated valid programs, through the checker", () => {
    const programs = moduleSource;
    it("never throw in check", () => {
      fc.assert(fc.property(programs, (s) => survive("generated.feste", s)), { numRuns: 4_000 });
    }, TIMEOUT);
  });
});
