/** Compiling a `.feste` source held in memory to a TypeScript module and importing it. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { compileToTypeScript } from "../../src/compile.js";
import type { Data } from "../../src/ir/value.js";
import { memoryHost } from "../../src/phases/1-parse/index.js";

/** A generated module's graph functions, by name. */
export type GraphFunctions = Record<string, (input: unknown, options?: unknown) => Promise<Data>>;

/**
 * Compiles `source` as `<name>.feste`, writes the module to a fresh folder and imports it
 * (vitest resolves its `feste/runtime` import to the sources). The folders are removed by
 * calling the returned `cleanup`, which tests hand to `afterAll`.
 */
export function generatedModules(): { load(name: string, source: string): Promise<GraphFunctions>; cleanup(): void } {
  const dirs: string[] = [];
  return {
    async load(name, source) {
      const result = compileToTypeScript([`${name}.feste`], memoryHost({ [`${name}.feste`]: source }), "out");
      expect(result.ok).toBe(true);
      const dir = mkdtempSync(join(tmpdir(), `feste-${name}-`));
      dirs.push(dir);
      writeFileSync(join(dir, `${name}.ts`), result.files.find((f) => f.path === `${name}.ts`)!.text);
      return (await import(join(dir, `${name}.ts`))) as GraphFunctions;
    },
    cleanup() {
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
}
