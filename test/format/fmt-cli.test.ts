/** `feste fmt` as a user runs it: files rewritten in place only when they change, `--check`, errors. */
import { readFileSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { feste, scratch } from "../support/cli.js";

const file = scratch("feste-fmt-");
const MESSY = "const a=1\nconst b = 2   // two\n";
const TIDY = "const a = 1\nconst b = 2  // two\n";

describe("feste fmt", () => {
  it("rewrites a file in place, names it, and leaves a formatted file untouched", () => {
    const messy = file("messy.feste", MESSY);
    const tidy = file("tidy.feste", TIDY);
    const before = statSync(tidy).mtimeMs;
    const r = feste(["fmt", messy, tidy]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`formatted ${messy}\n`);
    expect(readFileSync(messy, "utf8")).toBe(TIDY);
    expect(statSync(tidy).mtimeMs).toBe(before);
  });

  it("--check lists the files that would change, exits 1 and writes nothing", () => {
    const messy = file("check.feste", MESSY);
    const tidy = file("ok.feste", TIDY);
    const r = feste(["fmt", "--check", messy, tidy]);
    expect(r.code).toBe(1);
    expect(r.out).toBe(`would format ${messy}\n`);
    expect(readFileSync(messy, "utf8")).toBe(MESSY);
    expect(feste(["fmt", "--check", tidy]).code).toBe(0);
  });

  it("reports syntax errors with the usual diagnostics, exits 1 and leaves the file alone", () => {
    const text = "graph g() -> int {\n  let x =\n}\n";
    const bad = file("bad.feste", text);
    const r = feste(["fmt", bad]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("error[FE1006]");
    expect(r.err).toContain("bad.feste:3:1");
    expect(readFileSync(bad, "utf8")).toBe(text);
  });

  it("exits 2 for a file it cannot read", () => {
    expect(feste(["fmt", file("x.feste", "").replace(/x\.feste$/, "missing.feste")]).code).toBe(2);
  });
});
