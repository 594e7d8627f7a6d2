import { readFileSync } from "node:fs";
import { compileFile } from "../src/compile.js";
import { memoryHost } from "../src/phases/1-parse/host.js";
import { evaluate } from "../src/runtime/evaluate.js";
import { FakeBackend } from "../src/testing/fake-backend.js";
import { printProgram } from "../src/ir/print.js";
import { optimize } from "../src/phases/4-optimize/index.js";
import { planGraph, dryRun } from "../src/plan/plan.js";

const [file, inputJson, graph = "main", ...flags] = process.argv.slice(2);
const text = readFileSync(file, "utf8");
const r = compileFile("main.feste", memoryHost({ "main.feste": text }));
if (!r.ok) { console.log(r.diagnostics.map((d: any) => `${d.code} ${d.message}`).join("\n")); process.exit(1); }
const inputs = JSON.parse(inputJson);
async function run(label: string, p: any) {
  const be = new FakeBackend();
  try {
    const v = await evaluate(p, graph, inputs, { backend: be });
    console.log(`${label.padEnd(14)} requests=${be.requests} items=${be.log.map((l) => l.items).join(",")} value=${JSON.stringify(v)}`);
  } catch (e: any) { console.log(`${label.padEnd(14)} ERROR ${e.message}`); }
}
if (flags.includes("ir")) console.log(printProgram(r.optimized!));
if (flags.includes("lowir")) console.log(printProgram(r.lowered!));
await run("lowered", r.lowered);
await run("optimized", r.optimized);
for (const pass of ["fold", "dedupe", "cull", "batch", "fuse"]) {
  await run(`only-${pass}`, optimize(r.lowered!, { disabled: new Set(["fold", "dedupe", "cull", "batch", "fuse"].filter((x) => x !== pass)) }));
}
if (flags.includes("plan")) {
  const pl = planGraph(r.optimized!, graph);
  console.log("plan requests:", pl.requests.text, pl.steps.map((s) => `${s.kind}:${s.items.text}/${s.requests.text}`).join(" "));
  console.log("dryrun:", (await dryRun(r.optimized!, graph, inputs)).requests);
}
