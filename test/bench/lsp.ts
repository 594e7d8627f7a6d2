/**
 * Language server latency: the time from a `didChange` on a 2,000-line program to the
 * `publishDiagnostics` for that version (debounce included, as an editor sees it), median
 * and p95 over many edits, half in the first line and half in the middle of the file; then
 * the server's resident memory with every example open. Drives the built server (`dist/`)
 * over stdio with the same client as test/lsp.
 *
 * The machine may be shared, so each edit is followed by a baseline taken in this process
 * at the same moment: a full parse and check of the same text (what every keystroke cost
 * before the server parsed incrementally). The ratio of the medians holds under load better
 * than the absolute figures, which are printed with the load average.
 * Run: `npm run bench:lsp` (builds first); `-- --quick` for fewer edits, `-- --lines=N`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { checkFile } from "../../src/compile.js";
import { generateProgram } from "./generate-program.js";
import { ROOT, startClient } from "../lsp/support/lsp-client.js";

const QUICK = process.argv.includes("--quick");
const LINES = Number(process.argv.find((a) => a.startsWith("--lines="))?.slice(8) ?? 2_000);
const EDITS = QUICK ? 15 : 60;

/** The server's resident set size in MB, from /proc (Linux), or undefined elsewhere. */
function rssMb(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

const client = await startClient(resolve(ROOT, "examples"));
try {
  const text = generateProgram(LINES);
  const lines = text.split("\n").length;
  // Only in the editor's memory: the server never reads it from disk.
  const uri = client.open("test/bench/.lsp-bench.feste", text);
  await client.waitForDiagnostics(uri);
  const firstLine = text.indexOf("\n");
  // A line of template text in the middle of the program.
  const middle = text.slice(0, text.indexOf(`You sort texts`, text.length >> 1)).split("\n").length - 1;
  let current = text;
  const file = "test/bench/.lsp-bench.feste";
  const host = { readFile: (p: string) => (p === file ? current : undefined), fileExists: (p: string) => p === file };
  const times: number[] = [];
  const baseline: number[] = [];
  const load = loadavg()[0];
  for (let i = 0; i < EDITS; i++) {
    // A keystroke: in the first comment (every declaration after it moves) or in the middle.
    const at = i % 2 === 0 ? { line: 0, character: firstLine } : { line: middle, character: 4 };
    const edit = { range: { start: at, end: at }, text: String(i % 10) };
    const rows = current.split("\n");
    rows[at.line] = rows[at.line].slice(0, at.character) + edit.text + rows[at.line].slice(at.character);
    current = rows.join("\n");
    const t0 = performance.now();
    const version = client.change(uri, edit);
    await client.waitForDiagnostics(uri, () => client.versions.get(uri) === version);
    times.push(performance.now() - t0);
    const b0 = performance.now();
    if (!checkFile(file, host, current).ok) throw new Error("the benchmark's program does not check");
    baseline.push(performance.now() - b0);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const base = [...baseline].sort((a, b) => a - b);
  const examples = readdirSync(resolve(ROOT, "examples")).filter((f) => f.endsWith(".feste"));
  const before = rssMb(client.process.pid!);
  for (const f of examples) await client.waitForDiagnostics(client.open(join("examples", f)));
  const after = rssMb(client.process.pid!);
  console.log(`language server on a ${lines}-line program (${EDITS} edits, ${cpus().length} cores, node ${process.version}, load average ${load.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after)`);
  console.log("| measure | value |");
  console.log("| --- | ---: |");
  console.log(`| didChange → publishDiagnostics, median | ${percentile(sorted, 50).toFixed(1)} ms |`);
  console.log(`| didChange → publishDiagnostics, p95 | ${percentile(sorted, 95).toFixed(1)} ms |`);
  console.log(`| baseline in this process: full parse and check of the same text, median | ${percentile(base, 50).toFixed(1)} ms |`);
  console.log(`| median latency / median baseline | ${(percentile(sorted, 50) / percentile(base, 50)).toFixed(2)} |`);
  console.log(`| server memory (RSS), the ${lines}-line program open | ${before ?? "?"} MB |`);
  console.log(`| server memory (RSS), plus the ${examples.length} examples open | ${after ?? "?"} MB |`);
} finally {
  await client.stop();
}
