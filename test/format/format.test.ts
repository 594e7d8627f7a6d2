/**
 * `feste fmt`: golden samples of the layout (`samples/<name>/input.feste` and the expected
 * `output.feste`; `UPDATE_SNAPSHOTS=1` re-accepts), idempotence and round trip on every
 * example, and the cases where formatting must refuse rather than lose something.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { astShape, formatSource } from "../../src/format/format.js";
import { parse } from "../../src/phases/1-parse/index.js";
import { expectGolden, sampleDirs } from "../support/golden.js";

const root = join(__dirname, "..", "..");

function formatted(text: string, file: string): string {
  const r = formatSource(text, file);
  expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`), file).toEqual([]);
  return r.text!;
}

describe("fmt samples", () => {
  for (const dir of sampleDirs(__dirname)) {
    it(basename(dir), () => {
      const input = readFileSync(join(dir, "input.feste"), "utf8");
      const out = formatted(input, "input.feste");
      expectGolden(dir, "output.feste", out);
      expect(formatted(out, "output.feste"), "formatting the output again changes it").toBe(out);
      expect(astShape(parse(out, "x.feste").module)).toBe(astShape(parse(input, "x.feste").module));
    });
  }
});

describe("fmt on the examples and parse samples", () => {
  const files = [
    ...readdirSync(join(root, "examples")).filter((f) => f.endsWith(".feste")).map((f) => join(root, "examples", f)),
    join(root, "examples/shared/common.feste"),
    ...readdirSync(join(root, "test/parse/samples")).filter((d) => !d.startsWith(".")).map((d) => join(root, "test/parse/samples", d, "input.feste")),
  ].filter((f) => existsSync(f));

  it("round-trips and is idempotent on every one, keeping each comment", () => {
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      const first = parse(text, file);
      if (first.diagnostics.some((d) => d.severity === "error")) continue;
      const out = formatted(text, file);
      const again = parse(out, file);
      expect(astShape(again.module), file).toBe(astShape(first.module));
      expect(again.comments.length, file).toBe(first.comments.length);
      expect(formatted(out, file), file).toBe(out);
    }
  });
});

describe("fmt refuses rather than lose or change anything", () => {
  it("reports syntax errors and returns no text", () => {
    const r = formatSource("graph g() -> int {\n  let x =\n}\n", "bad.feste");
    expect(r.text).toBeUndefined();
    expect(r.diagnostics[0].code).toBe("FE1006");
  });

  it("names a plain `///` comment that would become a doc comment (FE1018)", () => {
    // Inside the call it documents nothing; moved above the declaration it would document it.
    const text = 'const a = len(\n  "x", /// not a doc\n)\n';
    const r = formatSource(text, "doc.feste");
    expect(r.text).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(["FE1018"]);
    expect(text.slice(r.diagnostics[0].span.start, r.diagnostics[0].span.end)).toBe("/// not a doc");
  });

  it("keeps a comment between arguments by moving it above its statement", () => {
    const out = formatted("graph g(xs: int[]) -> int {\n  len(\n    xs, // the list\n  )\n}\n", "g.feste");
    expect(out).toBe("graph g(xs: int[]) -> int {\n  // the list\n  len(xs)\n}\n");
  });
});
