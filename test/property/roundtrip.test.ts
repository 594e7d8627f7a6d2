/**
 * The printer against the parser: for random valid programs, printing the parsed AST and
 * parsing the printout gives the same AST (spans aside), and printing is idempotent. The
 * programs come from source-text generators (gen-module.ts), so the first parse decides
 * their meaning and the printer has to reproduce it from the tree alone.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { printModule } from "../../src/format/print.js";
import { parse } from "../../src/phases/1-parse/index.js";
import { moduleSource } from "./gen-module.js";
import { mutated } from "./gen-noise.js";

/** The AST as JSON without positions: what the round trip must keep. */
function shape(value: unknown): string {
  return JSON.stringify(value, (key, v) => (key === "span" || key === "opSpan" ? undefined : v), 1);
}

function diagnosticsOf(text: string): string[] {
  return parse(text, "generated.feste").diagnostics.map((d) => `${d.code} ${d.message} at ${d.span.start}`);
}

describe("printer", () => {
  it("round-trips generated programs: parse(print(parse(src))) == parse(src)", () => {
    fc.assert(
      fc.property(moduleSource, (src) => {
        const first = parse(src, "generated.feste");
        // The generator only makes valid programs: a diagnostic here is a parser (or generator) bug.
        expect(first.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
        const printed = printModule(first.module);
        const second = parse(printed, "generated.feste");
        expect(second.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
        expect(shape(second.module)).toBe(shape(first.module));
      }),
      { numRuns: 5000 },
    );
  }, 120_000);

  it("is idempotent: print(parse(print(ast))) == print(ast)", () => {
    fc.assert(
      fc.property(moduleSource, (src) => {
        const once = printModule(parse(src, "generated.feste").module);
        expect(printModule(parse(once, "generated.feste").module)).toBe(once);
      }),
      { numRuns: 1000 },
    );
  }, 120_000);

  it("round-trips mutated examples that still parse", () => {
    const examples = join(__dirname, "../../examples");
    const sources = readdirSync(examples)
      .filter((f) => f.endsWith(".feste"))
      .map((f) => readFileSync(join(examples, f), "utf8"));
    const programs = fc.constantFrom(...sources).chain((text) => mutated(text));
    fc.assert(
      fc.property(programs, (src) => {
        const first = parse(src, "mutated.feste");
        // Most edits break the program; the property is about the ones that do not.
        if (first.diagnostics.length > 0) return;
        const printed = printModule(first.module);
        expect(diagnosticsOf(printed)).toEqual([]);
        expect(shape(parse(printed, "mutated.feste").module)).toBe(shape(first.module));
      }),
      { numRuns: 3000 },
    );
  }, 120_000);

  it("round-trips every example and parse sample", () => {
    const root = join(__dirname, "../..");
    const files = [
      ...readdirSync(join(root, "examples")).filter((f) => f.endsWith(".feste")).map((f) => join(root, "examples", f)),
      join(root, "examples/shared/common.feste"),
      ...readdirSync(join(root, "test/parse/samples")).map((d) => join(root, "test/parse/samples", d, "input.feste")),
    ].filter((f) => existsSync(f));
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      const first = parse(text, "sample.feste");
      const printed = printModule(first.module);
      expect(diagnosticsOf(printed), file).toEqual([]);
      expect(shape(parse(printed, "sample.feste").module), file).toBe(shape(first.module));
      expect(printModule(parse(printed, "sample.feste").module), file).toBe(printed);
    }
  });
});
