/**
 * Golden optimizer suite. Each `samples/<name>/input.feste` (with an optional `input.json`
 * giving the first graph's arguments) is lowered; `ir.txt` holds the IR before optimizing
 * and `after-<pass>.txt` the IR after each pass in order. For every sample: running a pass
 * twice changes nothing, and every prefix of the pipeline gives the unoptimized result with
 * no more model requests.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { IdTable } from "../../src/ir/ids.js";
import { printProgram } from "../../src/ir/print.js";
import { PASSES } from "../../src/phases/4-optimize/index.js";
import { folderHost } from "../support/files.js";
import { expectGolden, sampleDirs } from "../support/golden.js";
import { lowerFile, runWithFake } from "../support/pipeline.js";

describe("optimizer samples", () => {
  for (const dir of sampleDirs(__dirname)) {
    it(basename(dir), async () => {
      const ir = lowerFile("input.feste", folderHost(dir));
      expectGolden(dir, "ir.txt", printProgram(ir));
      const inputs = existsSync(join(dir, "input.json")) ? JSON.parse(readFileSync(join(dir, "input.json"), "utf8")) : {};
      const graph = Object.keys(ir.graphs)[0];
      const base = graph ? await runWithFake(ir, graph, inputs, dir) : undefined;
      let current = ir;
      for (const pass of PASSES) {
        const cx = { ids: new IdTable() };
        const once = pass.run(current, cx);
        const twice = pass.run(once, { ids: new IdTable() });
        expect(printProgram(twice), `${pass.name} twice changes nothing`).toBe(printProgram(once));
        expectGolden(dir, `after-${pass.name}.txt`, printProgram(once));
        if (graph && base) {
          const run = await runWithFake(once, graph, inputs, dir);
          expect(run.value, `results after ${pass.name}`).toEqual(base.value);
          expect(run.requests, `requests after ${pass.name}`).toBeLessThanOrEqual(base.requests);
        }
        current = once;
      }
    });
  }
});
