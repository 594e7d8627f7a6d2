/**
 * Front-end throughput: lex + parse, and parse + check, of a generated 10,000-line program,
 * in lines per second (median of several runs after a warm-up). Prints a table and writes
 * test/bench/results-frontend.json. Run: `npm run bench:frontend`, which builds first and
 * measures the built package (`dist/`), the code users run: a dev-time loader like tsx adds
 * wrappers to every closure and would measure itself.
 */
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { pathToFileURL } from "node:url";
import { generateProgram } from "./generate-program.js";
import { measure } from "./measure.js";

const LINES = Number(process.argv.find((a) => a.startsWith("--lines="))?.slice(8) ?? 10_000);
const RUNS = Number(process.argv.find((a) => a.startsWith("--runs="))?.slice(7) ?? 7);

function row(phase: string, fn: () => void, lines: number) {
  const t = measure(fn, RUNS);
  return { phase, lines, ...t, linesPerSecond: Math.round(lines / (t.medianMs / 1000)) };
}

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { checkFile, memoryHost, parse } = (await import(pathToFileURL(join(root, "dist", "index.js")).href)) as typeof import("../../src/index.js");

const text = generateProgram(LINES);
const lines = text.split("\n").length;
const host = memoryHost({ "bench.feste": text });
const first = checkFile("bench.feste", host);
if (!first.ok) throw new Error(`the generated program does not check:\n${first.diagnostics.slice(0, 3).map((d) => d.message).join("\n")}`);

const rows = [row("parse", () => parse(text, "bench.feste"), lines), row("parse + check", () => checkFile("bench.feste", host), lines)];

console.log(`front end on a ${lines}-line program (${RUNS} runs, ${cpus().length} cores, node ${process.version})`);
console.log("| phase | median ms | min ms | max ms | lines/s |");
console.log("| --- | ---: | ---: | ---: | ---: |");
for (const r of rows) console.log(`| ${r.phase} | ${r.medianMs} | ${r.minMs} | ${r.maxMs} | ${r.linesPerSecond.toLocaleString("en-US")} |`);
writeFileSync(join(dirname(fileURLToPath(import.meta.url)), "results-frontend.json"), JSON.stringify({ node: process.version, cores: cpus().length, rows }, null, 2) + "\n");
