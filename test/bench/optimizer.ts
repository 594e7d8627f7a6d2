/**
 * Lowering and optimizing a generated graph of 100,000 nodes, in nodes per second (median of
 * several runs after a warm-up), on the built package. Prints a table and writes
 * test/bench/results-optimizer.json. Run: `npm run bench:optimizer`.
 */
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generateLargeGraph } from "./generate-large-graph.js";
import { measure } from "./measure.js";

const NODES = Number(process.argv.find((a) => a.startsWith("--nodes="))?.slice(8) ?? 100_000);
const RUNS = Number(process.argv.find((a) => a.startsWith("--runs="))?.slice(7) ?? 5);
const here = dirname(fileURLToPath(import.meta.url));
const lib = (await import(pathToFileURL(join(here, "..", "..", "dist", "index.js")).href)) as typeof import("../../src/index.js");

const text = generateLargeGraph(NODES);
const host = lib.memoryHost({ "big.feste": text });
const checked = lib.checkFile("big.feste", host).checked!;
let nodes = 0;
lib.walkNodes(lib.lower(checked).graphs.big, () => nodes++);

function row(phase: string, fn: () => void) {
  const t = measure(fn, RUNS);
  return { phase, nodes, ...t, nodesPerSecond: Math.round(nodes / (t.medianMs / 1000)) };
}

const lowered = lib.lower(checked);
const rows = [row("lower", () => lib.lower(checked)), row("optimize (all passes)", () => lib.optimize(lowered)), row("lower + optimize", () => lib.optimize(lib.lower(checked)))];
console.log(`optimizer on a ${nodes.toLocaleString("en-US")}-node graph (${RUNS} runs, ${cpus().length} cores, node ${process.version})`);
console.log("| phase | median ms | min ms | max ms | nodes/s |");
console.log("| --- | ---: | ---: | ---: | ---: |");
for (const r of rows) console.log(`| ${r.phase} | ${r.medianMs} | ${r.minMs} | ${r.maxMs} | ${r.nodesPerSecond.toLocaleString("en-US")} |`);
writeFileSync(join(here, "results-optimizer.json"), JSON.stringify({ node: process.version, cores: cpus().length, rows }, null, 2) + "\n");
