/**
 * `feste explain`: every code in the catalogue has a long explanation with an example, and
 * the command prints it (and lists every code once).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { runExplain } from "../../src/cli/explain-command.js";
import { catalogue } from "../../src/diagnostics/index.js";
import { BUILTINS } from "../../src/phases/2-check/builtins.js";

/** What `runExplain(code)` writes to stdout, and its exit code. */
function explain(code?: string): { code: number; out: string } {
  let out = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    return { code: runExplain(code), out };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe("feste explain", () => {
  for (const [code, entry] of Object.entries(catalogue)) {
    it(`${code}: a long explanation with an example, printed under its title`, () => {
      expect(entry.explanation.length).toBeGreaterThanOrEqual(60);
      // Something to copy or recognise: code, a flag or a value, in backticks.
      expect(entry.explanation).toMatch(/`[^`]+`/);
      expect(entry.explanation).toMatch(/\.$/);
      const r = explain(code.toLowerCase());
      expect(r.code).toBe(0);
      expect(r.out).toBe(`${code} (${entry.severity}): ${entry.title}\n\n${entry.explanation}\n`);
    });
  }

  it("`builtins` lists exactly the builtin table, each with signature, summary and example", () => {
    const r = explain("builtins");
    expect(r.code).toBe(0);
    const listed = [...r.out.matchAll(/^(\w+)\(/gm)].map((m) => m[1]);
    expect(listed).toEqual([...BUILTINS.keys()]);
    for (const b of BUILTINS.values()) {
      expect(b.doc.signature.startsWith(`${b.name}(`), b.name).toBe(true);
      expect(b.doc.example, b.name).toContain(`${b.name}(`);
      expect(r.out).toContain(`${b.doc.signature}\n    ${b.summary}\n    e.g. ${b.doc.example}\n`);
    }
    // The entry for unknown functions points there.
    expect(explain("FE2047").out).toContain("feste explain builtins");
  });

  it("lists every code once, in order", () => {
    const r = explain();
    const listed = r.out.trimEnd().split("\n").map((l) => l.split(" ")[0]);
    expect(listed).toEqual(Object.keys(catalogue));
    expect(listed).toEqual([...listed].sort());
  });

  it("exits 2 on a code that does not exist", () => {
    const spy = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    expect(explain("FE9999").code).toBe(2);
    expect(String(spy.mock.calls[0][0])).toContain("unknown diagnostic code `FE9999`");
  });
});
