import { readFileSync } from "node:fs";
import { compileFile } from "../src/compile.js";
import { memoryHost } from "../src/phases/1-parse/host.js";
import { evaluate } from "../src/runtime/evaluate.js";
import { FakeBackend } from "../src/testing/fake-backend.js";
import { printProgram } from "../src/ir/print.js";
const [file, inputJson, disabled = "", graph = "main", show = ""] = process.argv.slice(2);
const r = compileFile("main.feste", memoryHost({ "main.feste": readFileSync(file, "utf8") }), { disabled: new Set(disabled.split(",").filter(Boolean)) });
if (!r.ok) { console.log(r.diagnostics.map((d: any) => `${d.code} ${d.message}`).join("\n")); process.exit(1); }
if (show) console.log(printProgram(r.optimized!));
for (const [label, p] of [["lowered", r.lowered], [`opt(-${disabled})`, r.optimized]] as const) {
  const be = new FakeBackend();
  try { const v = await evaluate(p as any, graph, JSON.parse(inputJson), { backend: be }); console.log(`${label}: requests=${be.requests} [${be.log.map(l=>l.items).join(",")}] value=${JSON.stringify(v)}`); }
  catch (e: any) { console.log(`${label}: ERROR ${e.message}`); }
}
