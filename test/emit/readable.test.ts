/**
 * Generated code reads like hand-written TypeScript: no casts (`as unknown as`, `as never`),
 * no numbered temporaries of the old renderers (`$3`, `$1_0`), no string building through
 * the runtime's `concat`/`text` operations, and renderers free of IR (no `"kind":` data in a
 * renderer's body). Checked over `generated/` and every emit golden sample.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..", "..");

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : n.endsWith(".ts") && !n.startsWith("_actual.") ? [p] : [];
  });
}

const modules = [...tsFiles(join(root, "generated")), ...tsFiles(join(__dirname, "samples")).filter((f) => f.includes(`${join("out", "")}`))];

/** The bodies of exported functions returning a prompt: the renderers. */
function renderers(text: string): string[] {
  return [...text.matchAll(/^export function \w+\([^\n]*\): feste\.PromptValue \{\n([\s\S]*?)\n\}$/gm)].map((m) => m[1]);
}

describe("generated modules read like hand-written code", () => {
  it("finds the modules and their renderers", () => {
    expect(modules.length).toBeGreaterThan(10);
    expect(modules.flatMap((f) => renderers(readFileSync(f, "utf8"))).length).toBeGreaterThan(15);
  });

  for (const file of modules) {
    it(relative(root, file), () => {
      const text = readFileSync(file, "utf8");
      expect(text).not.toMatch(/\bas unknown as\b/);
      expect(text).not.toMatch(/\bas never\b/);
      expect(text).not.toMatch(/\$\d+(_\d+)?\b/);
      expect(text).not.toMatch(/applyOp\("(concat|text)"/);
      for (const body of renderers(text)) {
        expect(body).not.toMatch(/"kind":/);
        expect(body).toMatch(/return feste\.prompt\("[^"]*", \[/);
      }
    });
  }
});
