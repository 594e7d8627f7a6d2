/**
 * Safety of what is emitted (DESIGN.md §6): random programs push hostile names, template
 * text, string literals and doc comments through `compileToTypeScript`. Properties: the
 * compiler does not throw on a program that checks; every emitted module passes `tsc
 * --strict` (one TypeScript program over the whole batch, for speed) and exports each
 * declaration; importing a module and calling its prompt renderers gives exactly what the
 * interpreter renders from the lowered IR (with defaulted arguments left out too), and each
 * enum's value list is exactly its members.
 * Modules are run by transpiling them to CommonJS with `feste/runtime` bound to the runtime.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileToTypeScript, type EmitResult } from "../../src/compile.js";
import { renderPrompt } from "../../src/ir/evaluate-pure.js";
import type { Data } from "../../src/ir/value.js";
import { memoryHost } from "../../src/phases/1-parse/index.js";
import { lowerDeclarations } from "../../src/phases/3-lower/index.js";
import { NameTable } from "../../src/phases/5-emit/names.js";
import { parse } from "../../src/phases/1-parse/parse.js";
import * as runtime from "../../src/runtime/index.js";
import { argument, program, type Program } from "./safety-programs.js";

const RUNTIME = fileURLToPath(new URL("../../src/runtime/index.ts", import.meta.url));
const TYPES = fileURLToPath(new URL("../../node_modules/@types", import.meta.url));
/** Programs in the type-checked batch, and runs of the round-trip property. */
const BATCH = 120;
const ROUND_TRIPS = 80;

interface Compiled {
  readonly program: Program;
  readonly result?: EmitResult;
  /** The compiler's exception, where it threw instead of reporting. */
  readonly thrown?: string;
}

function compile(p: Program): Compiled {
  try {
    return { program: p, result: compileToTypeScript(["main.feste"], memoryHost({ "main.feste": p.source }), "out") };
  } catch (e) {
    return { program: p, thrown: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

/**
 * A generated module's exports: transpiled to CommonJS and run with `feste/runtime` bound to
 * the runtime this test imports. Much faster than a file and an `import()` per run (which
 * shrinking multiplies), and a namespace exporting `then` cannot hang it.
 */
function load(text: string): Record<string, unknown> {
  const js = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, strict: true } }).outputText;
  const exports: Record<string, unknown> = {};
  const require = (id: string) => {
    if (id !== "feste/runtime") throw new Error(`a generated module imports \`${id}\``);
    return runtime;
  };
  new Function("exports", "require", js)(exports, require);
  return exports;
}

/** What a failure shows: the program and the first lines of what went wrong. */
const report = (p: Program, what: string) => `${what}\n--- main.feste ---\n${p.source}`;

let dir: string;
let batch: Compiled[];
let checker: ts.TypeChecker;
let tsProgram: ts.Program;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "feste-emit-safety-"));
  batch = fc.sample(program, { numRuns: BATCH, seed: fc.readConfigureGlobal().seed }).map(compile);
  const roots: string[] = [];
  batch.forEach((c, i) => {
    const main = c.result?.ok ? c.result.files.find((f) => f.path === "main.ts") : undefined;
    if (!main) return;
    mkdirSync(join(dir, `m${i}`));
    writeFileSync(join(dir, `m${i}`, "main.ts"), main.text);
    roots.push(join(dir, `m${i}`, "main.ts"));
  });
  tsProgram = ts.createProgram(roots, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ["node"],
    typeRoots: [TYPES],
    paths: { "feste/runtime": [RUNTIME] },
  });
  checker = tsProgram.getTypeChecker();
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const moduleFile = (i: number) => join(dir, `m${i}`, "main.ts");
const checkedIndices = () => batch.flatMap((c, i) => (c.result?.ok ? [i] : []));

describe("emit safety", () => {
  it("most hostile programs are accepted by the checker, so codegen sees them", () => {
    const accepted = batch.filter((c) => c.thrown !== undefined || c.result?.ok).length;
    expect(accepted / batch.length).toBeGreaterThan(0.6);
  });

  it("the compiler reports or emits, and never throws, on a program that checks", () => {
    const thrown = batch.filter((c) => c.thrown !== undefined).map((c) => report(c.program, c.thrown!.split("\n").slice(0, 4).join("\n")));
    expect(thrown).toEqual([]);
  });

  it("every emitted module passes tsc --strict", () => {
    const failures = checkedIndices().flatMap((i) => {
      const file = tsProgram.getSourceFile(moduleFile(i))!;
      const diags = [...tsProgram.getSyntacticDiagnostics(file), ...tsProgram.getSemanticDiagnostics(file)];
      if (diags.length === 0) return [];
      const lines = diags.slice(0, 5).map((d) => `main.ts:${file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
      return [report(batch[i].program, lines.join("\n"))];
    });
    expect(checkedIndices().length).toBeGreaterThan(BATCH / 2);
    expect(failures).toEqual([]);
  });

  it("every module exports each declaration under its safe name, and never `then`", () => {
    const failures = checkedIndices().flatMap((i) => {
      const p = batch[i].program;
      const symbol = checker.getSymbolAtLocation(tsProgram.getSourceFile(moduleFile(i))!);
      const exported = new Set(symbol ? checker.getExportsOfModule(symbol).map((s) => s.name) : []);
      const names = new NameTable(parse(p.source, "main.feste").module);
      const wanted = [...p.enums, ...p.records, ...p.prompts, ...p.graphs].map((d) => names.of(d.name));
      const missing = wanted.filter((n) => !exported.has(n));
      const problems = [...(missing.length > 0 ? [`missing exports: ${missing.join(", ")}`] : []), ...(exported.has("then") ? ["exports `then`, so `await import()` of it never settles"] : [])];
      return problems.length === 0 ? [] : [report(p, problems.join("\n"))];
    });
    expect(failures).toEqual([]);
  });

  it("renderers render what the interpreter renders, and enum lists are the declared members", () => {
    fc.assert(
      fc.property(program, fc.gen(), (p, gen) => {
        const c = compile(p);
        if (!c.result?.ok) return;
        const r = c.result.results.find((x) => x.checked && x.program.root === "main.feste")!;
        const declared = lowerDeclarations(r.checked!);
        const mod = load(c.result.files.find((f) => f.path === "main.ts")!.text);
        // Each declaration's exported name, unique in the module (see `NameTable`).
        const names = new NameTable(r.checked!.program.modules.get("main.feste")!.module);
        const identifier = (name: string) => names.of(name);

        for (const e of p.enums) expect(mod[identifier(e.name)], `enum \`${e.name}\``).toStrictEqual(e.members);
        for (const prompt of p.prompts) {
          expect(Object.hasOwn(declared.prompts, prompt.name), `prompt \`${prompt.name}\` is in the lowered IR`).toBe(true);
          const renderer = mod[identifier(prompt.name)];
          expect(typeof renderer, `renderer \`${identifier(prompt.name)}\``).toBe("function");
          for (let k = 0; k < 3; k++) {
            const args = prompt.params.map((x) => gen(() => argument(x.ty, p.enums, p.records)) as Data);
            const expected = outcome(() => renderPrompt(declared, prompt.name, args));
            const actual = outcome(() => (renderer as (...a: unknown[]) => unknown)(...args));
            expect(actual, `prompt \`${prompt.name}\` on ${JSON.stringify(args)}`).toStrictEqual(expected);
          }
          // Defaulted arguments left out (passed as undefined): the renderer uses the declared default.
          if (prompt.params.some((x) => x.default)) {
            const args = prompt.params.map((x) => gen(() => argument(x.ty, p.enums, p.records)) as Data);
            const expected = outcome(() => renderPrompt(declared, prompt.name, args.map((a, i) => prompt.params[i].default?.value ?? a)));
            const actual = outcome(() => (renderer as (...a: unknown[]) => unknown)(...args.map((a, i) => (prompt.params[i].default ? undefined : a))));
            expect(actual, `prompt \`${prompt.name}\` with its defaults on ${JSON.stringify(args)}`).toStrictEqual(expected);
          }
        }
      }),
      // Each shrink step compiles a program again: bound the time, and report what is left.
      { numRuns: ROUND_TRIPS, interruptAfterTimeLimit: 15_000, markInterruptAsFailure: true },
    );
  });
});

/** A call's value, or its error's message (both sides must fail alike). */
function outcome(f: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: f() };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
