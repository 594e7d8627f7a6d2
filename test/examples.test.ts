/** Every example program checks with no diagnostic at all. */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkFile } from "../src/compile.js";
import { renderDiagnostics } from "../src/diagnostics/index.js";
import { nodeHost } from "../src/cli/node-host.js";

const dir = join(__dirname, "..", "examples");
const examples = readdirSync(dir).filter((f) => f.endsWith(".feste")).sort();

describe("examples", () => {
  it("there are at least six", () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
  });
  for (const name of examples) {
    it(`${name} checks clean`, () => {
      const r = checkFile(join(dir, name), nodeHost);
      expect(renderDiagnostics(r.diagnostics, (f) => r.program.sources.get(f))).toBe("");
      expect(r.checked).toBeDefined();
    });
  }
});
