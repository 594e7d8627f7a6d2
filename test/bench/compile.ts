/**
 * Compile time, parse through emit (`compileToTypeScript`), of a generated 2,000-line
 * program and of all of `examples/*.feste` together: median of several runs after a
 * warm-up. Prints a table and writes test/bench/results-compile.json. Run: `npm run
 * bench:compile`, which builds first. The compiler is measured bundled, not through tsx (a
 * dev-time loader wraps every closure and would measure itself): from `dist/` when the
 * package exports `compileToTypeScript`, else bundled here from src/compile.ts with esbuild,
 * the way tsup bundles it.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import type { CompilerHost } from "../../src/phases/1-parse/index.js";
import { generateProgram } from "./generate-program.js";
import { measure } from "./measure.js";

const LINES = Number(process.argv.find((a) => a.startsWith("--lines="))?.slice(8) ?? 2_000);
const RUNS = Number(process.argv.find((a) => a.startsWith("--runs="))?.slice(7) ?? 7);

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
type Compiler = Pick<typeof import("../../src/compile.js"), "compileToTypeScript"> & Pick<typeof import("../../src/index.js"), "memoryHost">;

/** The built compiler: `dist/index.js` if it exports `compileToTypeScript`, else an esbuild bundle of the sources. */
async function loadCompiler(): Promise<{ compiler: Compiler; from: string }> {
  const dist = (await import(pathToFileURL(join(root, "dist", "index.js")).href)) as Partial<Compiler>;
  if (dist.compileToTypeScript && dist.memoryHost) return { compiler: dist as Compiler, from: "dist/index.js" };
  // Under node_modules, so that the bundle's external packages resolve from the repository.
  mkdirSync(join(root, "node_modules", ".cache"), { recursive: true });
  const dir = mkdtempSync(join(root, "node_modules", ".cache", "feste-bench-compile-"));
  const entry = join(dir, "entry.ts");
  writeFileSync(entry, `export { compileToTypeScript } from ${JSON.stringify(join(root, "src", "compile.ts"))};\nexport { memoryHost } from ${JSON.stringify(join(root, "src", "phases", "1-parse", "index.ts"))};\n`);
  const out = join(dir, "compile.mjs");
  await build({ entryPoints: [entry], bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", outfile: out, absWorkingDir: root, logLevel: "error" });
  const compiler = (await import(pathToFileURL(out).href)) as Compiler;
  rmSync(dir, { recursive: true, force: true });
  return { compiler, from: "src/compile.ts bundled with esbuild" };
}

/** Files read from disk, paths relative to the repository root (the CLI's host does the same from the working directory). */
const diskHost: CompilerHost = {
  readFile: (path) => {
    try {
      return readFileSync(join(root, path), "utf8");
    } catch {
      return undefined;
    }
  },
  fileExists: (path) => existsSync(join(root, path)),
};

const { compiler, from } = await loadCompiler();

interface Case {
  readonly name: string;
  readonly files: readonly string[];
  readonly host: CompilerHost;
  readonly lines: number;
}

const text = generateProgram(LINES);
const examples = readdirSync(join(root, "examples"))
  .filter((f) => f.endsWith(".feste"))
  .sort()
  .map((f) => `examples/${f}`);
const cases: Case[] = [
  { name: `generated program`, files: ["bench.feste"], host: compiler.memoryHost({ "bench.feste": text }), lines: text.split("\n").length },
  { name: `examples/*.feste (${examples.length} files)`, files: examples, host: diskHost, lines: 0 },
];

const rows = cases.map((c) => {
  const first = compiler.compileToTypeScript(c.files, c.host, c.name.startsWith("examples") ? "generated" : "out");
  if (!first.ok) {
    const messages = first.results.flatMap((r) => r.diagnostics).slice(0, 3).map((d) => `${d.code} ${d.message}`);
    throw new Error(`${c.name} does not compile:\n${messages.join("\n")}`);
  }
  // Lines of .feste read, every module `use`d included.
  const lines = c.lines || [...new Set(first.results.flatMap((r) => [...r.program.modules.keys()]))].reduce((n, f) => n + (diskHost.readFile(f) ?? "").split("\n").length, 0);
  const emittedLines = first.files.reduce((n, f) => n + f.text.split("\n").length, 0);
  const t = measure(() => void compiler.compileToTypeScript(c.files, c.host, "out"), RUNS);
  return { case: c.name, festeLines: lines, modules: first.files.length, emittedLines, ...t, linesPerSecond: Math.round(lines / (t.medianMs / 1000)) };
});

const load = loadavg().map((x) => +x.toFixed(2));
console.log(`compile (parse, check, lower, optimize, emit) — ${from}; median of ${RUNS} runs after a warm-up; ${cpus().length} cores, node ${process.version}, load ${load.join(" ")}`);
console.log("| case | .feste lines | modules | TS lines out | median ms | min ms | max ms | lines/s |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const r of rows) {
  console.log(`| ${r.case} | ${r.festeLines} | ${r.modules} | ${r.emittedLines} | ${r.medianMs} | ${r.minMs} | ${r.maxMs} | ${r.linesPerSecond.toLocaleString("en-US")} |`);
}
writeFileSync(join(here, "results-compile.json"), JSON.stringify({ node: process.version, cores: cpus().length, loadAverage: load, compiler: from, runs: RUNS, rows }, null, 2) + "\n");
