/**
 * Golden diagnostics suite: each `samples/<name>/input.feste` (with any files it uses) gives
 * the whole rendered output in `diagnostics.txt`. `span.txt` holds the exact source text the
 * first diagnostic underlines, so the underline is proven to cover the offending token(s)
 * and nothing else. Every catalogue code from FE1xxx and FE2xxx has at least one sample.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkFile } from "../../src/compile.js";
import { catalogue, renderDiagnostics } from "../../src/diagnostics/index.js";
import { expectGolden, sampleDirs } from "../support/golden.js";
import { folderFiles } from "../support/files.js";
import { moduleExports } from "../../src/cli/module-exports.js";

const samples = sampleDirs(__dirname);
const seenCodes = new Set<string>();

describe("error samples", () => {
  for (const dir of samples) {
    it(basename(dir), () => {
      const files = folderFiles(dir);
      // Extern modules' exports are read from the sample folder on disk, as `feste check` reads them.
      const host = { readFile: (p: string) => files[p], fileExists: (p: string) => p in files, moduleExports: (p: string) => moduleExports(join(dir, p)) };
      const result = checkFile("input.feste", host);
      const text = renderDiagnostics(result.diagnostics, (f) => result.program.sources.get(f));
      expect(result.diagnostics.length, "a sample must produce at least one diagnostic").toBeGreaterThan(0);
      for (const d of result.diagnostics) seenCodes.add(d.code);
      expectGolden(dir, "diagnostics.txt", text);
      const spanFile = join(dir, "span.txt");
      expect(existsSync(spanFile), `${spanFile} names the text the first diagnostic underlines`).toBe(true);
      const first = result.diagnostics[0];
      const source = result.program.sources.get(first.span.file) ?? "";
      expect(source.slice(first.span.start, first.span.end)).toBe(readFileSync(spanFile, "utf8").replace(/\n$/, ""));
    });
  }

  it("covers every compile-time code of the catalogue", () => {
    // `feste fmt`'s own refusals (FE1017, FE1018) come from formatting, not compiling: test/format covers them.
    const formatter = new Set(["FE1017", "FE1018"]);
    // A file over the size limit (FE1019) and bytes that are not UTF-8 (FE1020) cannot be samples: test/abuse covers them.
    const notSamples = new Set(["FE1019", "FE1020"]);
    const compileTime = Object.keys(catalogue).filter((c) => (c.startsWith("FE1") || c.startsWith("FE2")) && !formatter.has(c) && !notSamples.has(c));
    const missing = compileTime.filter((c) => !seenCodes.has(c));
    expect(missing).toEqual([]);
  });

  it("has at least 40 samples", () => {
    expect(samples.length).toBeGreaterThanOrEqual(40);
  });
});
