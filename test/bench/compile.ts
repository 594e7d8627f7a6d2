/**
 * Compile time, parse through emit (`compileToTypeScript`), of a generated 2,000-line
 * program and of all of `examples/*.feste` together: median of several runs after a
 * warm-up. Prints a table and writes test/bench/results-compile.json. Run: `npm run
 * bench:compile`, which builds first. The compiler is measured bundled, not through tsx (a
 * dev-time loader wraps every closure and would measure itself): from `dist/` when the
 * package exports `compileToTypeScript`, else bundled here from src/compile.ts with esbuild,
 * the way tsup bundles it. Then generated TypeScript lines per .feste line (the program and
 * every example), and `npx feste compile` end to end against `npx baml-cli generate` on an
 * equivalent BAML project, measured in the same run.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import type { CompilerHost } from "../../src/phases/1-parse/index.js";
import { generateBamlProject } from "./generate-baml.js";
import { generateProgram } from "./generate-program.js";
import { measure } from "./measure.js";

const LINES = Number(process.argv.find((a) => a.startsWith("--lines="))?.slice(8) ?? 2_000);
const RUNS = Number(process.argv.find((a) => a.startsWith("--runs="))?.slice(7) ?? 7);
const E2E_RUNS = Number(process.argv.find((a) => a.startsWith("--e2e-runs="))?.slice(11) ?? 5);
/** The BAML release `compareWithBaml` installs for the comparison (one that runs on Node 20). */
const BAML_VERSION = "0.226.2";

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

// Generated lines per .feste line, for the program and for each example module (target: at most 8).
const ratios = [
  { module: "generated program", festeLines: text.split("\n").length, tsLines: rows[0].emittedLines },
  ...compiler.compileToTypeScript(examples, diskHost, "generated").files.map((f) => {
    const source = `examples/${f.path.replace(/\.ts$/, ".feste")}`;
    return { module: source, festeLines: (diskHost.readFile(source) ?? "").split("\n").length, tsLines: f.text.split("\n").length };
  }),
].map((r) => ({ ...r, perLine: +(r.tsLines / r.festeLines).toFixed(2) }));
console.log("\n| module | .feste lines | TS lines | TS lines per .feste line |");
console.log("| --- | ---: | ---: | ---: |");
for (const r of ratios) console.log(`| ${r.module} | ${r.festeLines} | ${r.tsLines} | ${r.perLine}${r.perLine > 8 ? " (over 8)" : ""} |`);

const endToEnd = compareWithBaml(text);
if (endToEnd) {
  console.log(`\nend to end, each run as its README tells users to (median of ${E2E_RUNS} after a warm-up, in a fresh project with both packages' bins linked):`);
  console.log("| command | median ms | min ms | max ms |");
  console.log("| --- | ---: | ---: | ---: |");
  for (const r of endToEnd) console.log(`| ${r.command} | ${r.medianMs} | ${r.minMs} | ${r.maxMs} |`);
}

writeFileSync(join(here, "results-compile.json"), JSON.stringify({ node: process.version, cores: cpus().length, loadAverage: load, compiler: from, runs: RUNS, rows, ratios, endToEnd }, null, 2) + "\n");

/**
 * `npx feste compile bench.feste -o generated` against `npx baml-cli generate` on the
 * equivalent BAML project (test/bench/generate-baml.ts), in one temporary project whose
 * `node_modules/.bin` links both CLIs, as a user who installed both packages has them.
 * `@boundaryml/baml` is installed into a cache folder the first time, not as a dependency of
 * this project: its lockfile entries name a native package per platform, and `npm ci` fails
 * where the registry does not serve them all. Skipped (with a note) when it cannot be installed.
 */
function compareWithBaml(program: string): ({ command: string } & ReturnType<typeof measure>)[] | undefined {
  const bamlHome = join(root, "node_modules", ".cache", "feste-bench-baml");
  const bamlCli = join(bamlHome, "node_modules", ".bin", "baml-cli");
  if (!existsSync(bamlCli)) {
    mkdirSync(bamlHome, { recursive: true });
    const r = spawnSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--prefix", bamlHome, `@boundaryml/baml@${BAML_VERSION}`], { encoding: "utf8" });
    if (r.status !== 0 || !existsSync(bamlCli)) {
      console.log(`\n@boundaryml/baml@${BAML_VERSION} could not be installed: the comparison with \`baml-cli generate\` is skipped\n${r.stderr}`);
      return undefined;
    }
  }
  const version = (JSON.parse(readFileSync(join(bamlHome, "node_modules", "@boundaryml", "baml", "package.json"), "utf8")) as { version: string }).version;
  mkdirSync(join(root, "node_modules", ".cache"), { recursive: true });
  const dir = mkdtempSync(join(root, "node_modules", ".cache", "feste-bench-e2e-"));
  try {
    mkdirSync(join(dir, "node_modules", ".bin"), { recursive: true });
    symlinkSync(join(root, "dist", "cli", "main.js"), join(dir, "node_modules", ".bin", "feste"));
    symlinkSync(bamlCli, join(dir, "node_modules", ".bin", "baml-cli"));
    writeFileSync(join(dir, "package.json"), '{ "name": "bench-e2e", "private": true }\n');
    writeFileSync(join(dir, "bench.feste"), program);
    for (const [path, content] of Object.entries(generateBamlProject(program, version))) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    const run = (args: string[]) => () => {
      const r = spawnSync("npx", args, { cwd: dir, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`npx ${args.join(" ")} failed: ${r.stderr || r.stdout}`);
    };
    return [
      { command: "npx feste compile bench.feste -o generated", ...measure(run(["feste", "compile", "bench.feste", "-o", "generated"]), E2E_RUNS) },
      { command: "npx baml-cli generate", ...measure(run(["baml-cli", "generate"]), E2E_RUNS) },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
