/**
 * A template rendering a `use`d module's prompt, whose parameters have defaults (sample
 * `06-cross-module-defaults`): `feste exec` in graph and eager mode and the generated module
 * return the same values and send the same prompts, and the generated renderers render what
 * the interpreter renders, defaults included.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileFile } from "../../src/compile.js";
import { renderPrompt } from "../../src/ir/evaluate-pure.js";
import { providerBackend } from "../../src/providers/index.js";
import { runGraph } from "../../src/runtime/run.js";
import { pointAt, startStandIn, type StandInServer } from "../../src/testing/index.js";
import { headline } from "./samples/06-cross-module-defaults/out/shared/wording.js";
import { main, pitch } from "./samples/06-cross-module-defaults/out/input.js";
import { folderHost } from "../support/files.js";

const sample = join(__dirname, "samples", "06-cross-module-defaults");
const notes = [
  { text: "The bridge reopens on Monday", tags: ["city", "traffic"] },
  { text: "Rain all week", tags: [] },
];
let server: StandInServer;
/** The messages of every request since the last reset, as JSON. */
let prompts: string[] = [];

beforeAll(async () => {
  server = await startStandIn({ latencyMs: 1, override: (req) => void prompts.push(JSON.stringify(req.body.messages)) });
});
afterAll(async () => {
  await server.close();
});

describe("a template rendering a used module's prompt", () => {
  const compiled = compileFile("input.feste", folderHost(sample));

  it("checks and compiles", () => {
    expect(compiled.diagnostics).toEqual([]);
    expect(compiled.optimized?.prompts.headline?.params.map((p) => p.default)).toEqual([undefined, 10, "urgent"]);
  });

  it("renders in the generated module exactly as in the interpreter, defaults included", () => {
    const program = compiled.optimized!;
    for (const note of notes) expect(pitch(note)).toEqual(renderPrompt(program, "pitch", [note]));
    expect(headline("Rain")).toEqual(renderPrompt(program, "headline", ["Rain", 10, "urgent"]));
    expect(headline("Rain", 3)).toEqual(renderPrompt(program, "headline", ["Rain", 3, "urgent"]));
    expect(JSON.stringify(pitch(notes[0]))).toContain("Write a urgent headline of at most 10 words for: The bridge reopens on Monday");
  });

  it("gives equal values and equal prompts in exec, eager and the generated module", async () => {
    const backend = providerBackend({ override: pointAt(server) });
    const sent = () => [...prompts].sort();
    const reset = () => {
      server.reset();
      prompts = [];
    };
    reset();
    const exec = await runGraph(compiled.optimized!, "main", { notes }, { backend });
    const execSent = sent();
    reset();
    const eager = await runGraph(compiled.optimized!, "main", { notes }, { backend, eager: true });
    const eagerSent = sent();
    reset();
    const module = await main({ notes }, { backend });
    expect(eager.value).toEqual(exec.value);
    expect(module).toEqual(exec.value);
    expect(eagerSent).toEqual(execSent);
    expect(sent()).toEqual(execSent);
    expect(execSent).toHaveLength(notes.length);
  });
});
