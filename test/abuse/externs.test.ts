/**
 * Probe 12: externs. A missing export is FE2060 at check time (the module's exports are read
 * without running it: the module below would write a file if it ran); a result of the wrong
 * type is FE4031 at the call's `.feste` line; a failing extern among many in flight ends the
 * run with its own error, never an unhandled piscina error; and a `.ts` module is bundled
 * once, kept for later runs while its files are unchanged.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createExternPool } from "../../src/runtime/extern-pool.js";
import { feste, scratch, STACK_LINE } from "./support.js";

const MODULE = `import { writeFileSync } from "node:fs";
writeFileSync(new URL("./ran.txt", import.meta.url), "the module ran");
export function slugify(text: string): string { return text.toLowerCase().replace(/[^a-z0-9]+/g, "-"); }
export function answer(text: string): number { return 42; }
export function work(x: string): string {
  if (x === "bad") throw new Error("no bad input");
  const end = Date.now() + 100;
  while (Date.now() < end) {}
  return x.toUpperCase();
}
`;

describe("externs", () => {
  it("a missing export: FE2060 from feste check, with did-you-mean, without running the module", async () => {
    const s = scratch();
    s.file("text.ts", MODULE);
    const file = s.file("main.feste", `extern fn slugfy(text: string) -> string from "./text.ts"\ngraph main(t: string) -> string { slugfy(t) }\n`);
    const r = await feste(["check", file]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("error[FE2060]: `./text.ts` does not export `slugfy`");
    expect(r.err).toContain("main.feste:1:11");
    expect(r.err).toContain("help: did you mean `slugify`?");
    expect(r.err).not.toContain("no problems");
    expect(existsSync(join(s.dir, "ran.txt"))).toBe(false);
    // exec stops at the same check, before anything runs.
    const x = await feste(["exec", file, "--fake", "--input", '{"t":"a"}']);
    expect(x.code).toBe(1);
    expect(x.err).toContain("FE2060");
    expect(existsSync(join(s.dir, "ran.txt"))).toBe(false);
  });

  for (const mode of [[], ["--eager"]]) {
    it(`a result of the wrong type: FE4031 naming the extern and the call's line${mode.length ? " (eager)" : ""}`, async () => {
      const s = scratch();
      s.file("text.ts", MODULE);
      const file = s.file("main.feste", `extern fn answer(text: string) -> string from "./text.ts"\n\ngraph main(t: string) -> string {\n  answer(t)\n}\n`);
      const r = await feste(["exec", file, "--no-cache", "--input", '{"t":"a"}', ...mode]);
      expect(r.code).toBe(1);
      expect(r.out).toBe("");
      expect(r.err).toContain(`error[FE4031]: extern \`answer\` (from \`${s.dir}/text.ts\`) returned a value of the wrong type: its result should be string, found an int`);
      expect(r.err).toContain("main.feste:4:3");
      expect(r.err).not.toMatch(STACK_LINE);
    });
  }

  it("one extern failing among many in flight: its error, no piscina error, in every one of 4 runs", async () => {
    const s = scratch();
    s.file("text.ts", MODULE);
    const file = s.file("main.feste", `extern fn work(x: string) -> string from "./text.ts"\ngraph main(xs: string[]) -> string[] { for x in xs { work(x) } }\n`);
    const input = JSON.stringify({ xs: ["a", "b", "c", "bad", "d", "e", "f", "g"] });
    const runs = [];
    for (let i = 0; i < 4; i++) runs.push(await feste(["exec", file, "--no-cache", "--input", input, "--json"]));
    for (const r of runs) {
      expect(r.code).toBe(1);
      expect(JSON.parse(r.out).error.code).toBe("FE4005");
      expect(r.err).not.toMatch(/Unexpected message|internal error/);
      expect(r.err).not.toMatch(STACK_LINE);
    }
  });

  it("a .ts module is bundled once and kept: a second run bundles nothing, a changed import bundles again", async () => {
    const s = scratch();
    const keep = join(s.dir, "kept");
    s.file("words.ts", `export const SEP = "-";\n`);
    const module = s.file("text.ts", `import { SEP } from "./words.ts";\nexport function join2(a: string, b: string): string { return a + SEP + b; }\n`);
    const once = async () => {
      const pool = createExternPool({ maxThreads: 1, keepBundles: keep });
      try {
        return { value: await pool.run(module, "join2", ["a", "b"]), bundles: pool.bundles };
      } finally {
        await pool.close();
      }
    };
    expect(await once()).toEqual({ value: "a-b", bundles: 1 });
    expect(await once()).toEqual({ value: "a-b", bundles: 0 });
    writeFileSync(join(s.dir, "words.ts"), `export const SEP = "+";\n`);
    expect(await once()).toEqual({ value: "a+b", bundles: 1 });
    expect(await once()).toEqual({ value: "a+b", bundles: 0 });
  });
});
