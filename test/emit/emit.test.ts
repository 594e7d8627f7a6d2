/**
 * Code generation: golden samples (`samples/<name>/input.feste` and the modules expected in
 * `samples/<name>/out/`), byte-identical output however and however often it is compiled,
 * `generated/` current, and every generated module passing `tsc --strict`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { nodeHost } from "../../src/cli/node-host.js";
import { compileToTypeScript } from "../../src/compile.js";
import { renderDiagnostics } from "../../src/diagnostics/index.js";
import { expectGolden, sampleDirs } from "../support/golden.js";
import { folderHost } from "../support/files.js";

const root = join(__dirname, "..", "..");
const examples = readdirSync(join(root, "examples")).filter((f) => f.endsWith(".feste")).map((f) => `examples/${f}`).sort();

function compileSample(dir: string) {
  const r = compileToTypeScript(["input.feste"], folderHost(dir), "out");
  if (!r.ok) throw new Error(r.results.map((x) => renderDiagnostics(x.diagnostics, (f) => x.program.sources.get(f))).join("\n"));
  return r.files;
}

describe("emit samples", () => {
  for (const dir of sampleDirs(__dirname)) {
    it(basename(dir), () => {
      for (const f of compileSample(dir)) expectGolden(join(dir, "out", dirname(f.path)), basename(f.path), f.text);
    });
  }
});

describe("determinism", () => {
  it("compiling twice, or the files in another order, gives byte-identical modules", () => {
    const once = compileToTypeScript(examples, nodeHost, "generated").files;
    const again = compileToTypeScript(examples, nodeHost, "generated").files;
    const reversed = compileToTypeScript([...examples].reverse(), nodeHost, "generated").files;
    expect(again).toEqual(once);
    expect(reversed).toEqual(once);
    expect(once.map((f) => f.path)).toEqual([...once.map((f) => f.path)].sort());
  });

  it("generated/ is what `feste compile examples/*.feste -o generated` writes", () => {
    for (const f of compileToTypeScript(examples, nodeHost, "generated").files) {
      expect(readFileSync(join(root, "generated", f.path), "utf8"), `generated/${f.path} is stale: run npm run generate`).toBe(f.text);
    }
  });
});

describe("tsc --strict", () => {
  for (const project of ["generated/tsconfig.json", "test/emit/samples/tsconfig.json"]) {
    it(`${project} type-checks with no errors`, () => {
      const path = join(root, project);
      const config = ts.getParsedCommandLineOfConfigFile(path, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => expect.fail(String(d.messageText)) })!;
      const program = ts.createProgram(config.fileNames, config.options);
      const errors = ts.getPreEmitDiagnostics(program).map((d) => ts.formatDiagnostic(d, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => "\n" }));
      expect(errors).toEqual([]);
      expect(config.fileNames.length).toBeGreaterThan(3);
    }, 60_000);
  }
});
