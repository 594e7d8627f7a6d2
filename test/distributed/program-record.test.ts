/**
 * What a program record hands the workers: the bundled modules of the externs they run, pure
 * ones called directly or as a model's tools, and not the modules of `extern io fn`s, which
 * the coordinator runs itself.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { programRecord } from "../../src/distributed/program-record.js";
import { nodeHost } from "../../src/cli/node-host.js";
import { lowerFile } from "../support/pipeline.js";

const dir = mkdtempSync(join(tmpdir(), "feste-record-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("bundles pure externs and pure tools, never an io extern's module", async () => {
  writeFileSync(join(dir, "pure.ts"), "export function shout(s: string): string { return s.toUpperCase(); }\n");
  writeFileSync(join(dir, "tool.ts"), "export function lookup(q: string): string { return `found ${q}`; }\n");
  writeFileSync(join(dir, "io.ts"), "export async function fetchIt(q: string): Promise<string> { return q; }\n");
  writeFileSync(
    join(dir, "main.feste"),
    `client gpt: openai.chat { model: "gpt-4o-mini", temperature: 0 }
extern fn shout(s: string) -> string from "./pure.ts"
extern fn lookup(q: string) -> string from "./tool.ts"
extern io fn fetchIt(q: string) -> string from "./io.ts"
graph main(q: string) -> string {
  let found = fetchIt(q)
  shout(gpt(found, tools: [lookup]))
}
`,
  );
  const ir = lowerFile(join(dir, "main.feste"), nodeHost);
  const record = await programRecord(ir, { bundleExterns: true });
  const modules = Object.keys(record.externs).map((m) => m.slice(m.lastIndexOf("/") + 1));
  expect(modules.sort()).toEqual(["pure.ts", "tool.ts"]);
  expect(record.externs[Object.keys(record.externs).find((m) => m.endsWith("tool.ts"))!]).toContain("found");
});
