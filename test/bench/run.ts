/**
 * `npm run bench`: every benchmark, in one process each, on the built package: the front end
 * (parse and check throughput), the optimizer (lower and optimize a 100,000-node graph),
 * compilation to TypeScript (the examples and a 2,000-line program) and the runtime (W1-W6
 * against hand-written SDK code and LangChain.js) and distributed runs (W1 on 1, 2 and 4 BullMQ
 * workers; needs redis-server). `-- --quick` runs each once on smaller
 * inputs, for CI; it fails if feste sends more requests than the floor or any system's
 * result differs from the naive system's.
 */
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes("--quick");
const benches: [string, string[]][] = [
  ["frontend.ts", quick ? ["--lines=2000", "--runs=1"] : []],
  ["optimizer.ts", quick ? ["--nodes=20000", "--runs=1"] : []],
  ["compile.ts", quick ? ["--lines=500", "--runs=1"] : []],
  ["runtime.ts", quick ? ["--quick"] : []],
  ["distributed.ts", quick ? ["--quick"] : []],
];
let failed = false;
for (const [file, args] of benches) {
  // The benchmarks' own tsconfig: `feste/runtime` is the built package there, not the sources.
  const env = { ...process.env, TSX_TSCONFIG_PATH: join(here, "tsconfig.json") };
  const r = spawnSync(process.execPath, ["--import", "tsx", join(here, file), ...args], { stdio: "inherit", env });
  console.log();
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
