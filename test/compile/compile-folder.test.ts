/**
 * `feste compile -o DIR` shares DIR between runs: compiling one file never deletes the module
 * of another whose source still exists; only modules whose recorded source is gone are
 * removed, or every other generated module under `--clean`, and each removal is printed.
 */
import { existsSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { feste, scratch } from "../support/cli.js";

const program = (name: string) => `
client gpt: openai.chat { model: "gpt-4o-mini" }
prompt ask(q: string) """Answer: {{ q }}"""
graph ${name}(q: string) -> string { gpt(ask(q)) }
`;

describe("feste compile -o DIR", () => {
  it("keeps the modules of other sources that still exist, removes those whose source is gone", () => {
    const file = scratch("feste-compile-");
    const a = file("a.feste", program("a"));
    const b = file("b.feste", program("b"));
    const out = join(dirname(a), "generated");
    expect(feste(["compile", a, "-o", out]).code).toBe(0);
    const second = feste(["compile", b, "-o", out]);
    expect(second.code).toBe(0);
    expect(existsSync(join(out, "a.ts")), "a's module survives compiling b").toBe(true);
    expect(existsSync(join(out, "b.ts"))).toBe(true);
    expect(second.err).not.toMatch(/removed/);

    rmSync(a);
    const third = feste(["compile", b, "-o", out]);
    expect(third.code).toBe(0);
    expect(existsSync(join(out, "a.ts")), "a.feste is gone, so is its module").toBe(false);
    expect(third.err).toContain(`removed ${join(out, "a.ts")}`);
  });

  it("--clean removes every generated module this run did not write, and says which", () => {
    const file = scratch("feste-compile-clean-");
    const a = file("a.feste", program("a"));
    const b = file("b.feste", program("b"));
    const out = join(dirname(a), "generated");
    expect(feste(["compile", a, b, "-o", out]).code).toBe(0);
    const r = feste(["compile", b, "-o", out, "--clean"]);
    expect(r.code).toBe(0);
    expect(existsSync(join(out, "a.ts"))).toBe(false);
    expect(existsSync(join(out, "b.ts"))).toBe(true);
    expect(r.err).toContain(`removed ${join(out, "a.ts")}`);
  });
});
