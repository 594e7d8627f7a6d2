/**
 * Golden AST suite: `samples/<name>/input.feste` parses without diagnostics to the AST in
 * `ast.json` (spans shown as `start..end`).
 */
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/phases/1-parse/index.js";
import { renderDiagnostics } from "../../src/diagnostics/index.js";
import { expectGolden, sampleDirs } from "../support/golden.js";

/** AST as stable JSON: spans become "start..end", files are left out. */
export function astJson(value: unknown): string {
  return (
    JSON.stringify(
      value,
      (key, v) => {
        if ((key === "span" || key === "opSpan") && v && typeof v === "object") return `${v.start}..${v.end}`;
        if (key === "file") return undefined;
        return v;
      },
      2,
    ) + "\n"
  );
}

describe("parse samples", () => {
  for (const dir of sampleDirs(__dirname)) {
    it(basename(dir), () => {
      const text = readFileSync(join(dir, "input.feste"), "utf8");
      const result = parse(text, "input.feste");
      expect(renderDiagnostics(result.diagnostics, () => text)).toBe("");
      expectGolden(dir, "ast.json", astJson(result.module));
    });
  }
});
