import { readFileSync } from "node:fs";
import { compileFile } from "../src/compile.js";
import { memoryHost } from "../src/phases/1-parse/host.js";
import { printProgram } from "../src/ir/print.js";
import { PASSES } from "../src/phases/4-optimize/passes.js";
import { IdTable } from "../src/ir/ids.js";
const [file, ...which] = process.argv.slice(2);
const r = compileFile("main.feste", memoryHost({ "main.feste": readFileSync(file, "utf8") }));
if (!r.ok) { console.log(r.diagnostics); process.exit(1); }
let p = r.lowered!;
const cx = { ids: new IdTable() };
for (const pass of PASSES) { if (which.length && !which.includes(pass.name)) continue; p = pass.run(p, cx); console.log(`--- after ${pass.name}`); console.log(printProgram(p).split("\n").filter(l => !l.startsWith("prompt") && !l.startsWith("client") && !l.startsWith("  ") || l.startsWith("  ")).join("\n")); }
