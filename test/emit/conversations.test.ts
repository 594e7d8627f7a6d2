/**
 * Sample `07-conversations-and-state`: a `messages` section built with list `+`, a chat call
 * with `tools` over an `extern io fn`, `loop.*` in a template `for`, and `fold`/`loop` in a
 * template. The generated renderers render what the interpreter renders, and the generated
 * module returns what `feste exec` returns (graph and eager) and sends the same requests.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeHost } from "../../src/cli/node-host.js";
import { compileFile } from "../../src/compile.js";
import { renderPrompt } from "../../src/ir/evaluate-pure.js";
import { providerBackend } from "../../src/providers/index.js";
import { createExternPool } from "../../src/runtime/extern-pool.js";
import { runGraph } from "../../src/runtime/run.js";
import { pointAt, startStandIn, type StandInServer } from "../../src/testing/index.js";
import { chat, listing, main, words } from "./samples/07-conversations-and-state/out/input.js";
import { folderHost } from "../support/files.js";

const sample = join(__dirname, "samples", "07-conversations-and-state");
const history = [
  { role: "user" as const, content: "Hello, I am Ada." },
  { role: "assistant" as const, content: "Hello Ada!" },
];
const questions = ["What is a quokka?", "And a numbat?"];
const pool = createExternPool();
let server: StandInServer;
/** The body of every request since the last reset, as JSON. */
let bodies: string[] = [];

beforeAll(async () => {
  server = await startStandIn({ latencyMs: 1, override: (req) => void bodies.push(JSON.stringify(req.body.messages)) });
});
afterAll(async () => {
  await server.close();
  await pool.close();
});

describe("conversations, tools, loop variables, fold and loop in a generated module", () => {
  const compiled = compileFile("input.feste", folderHost(sample));
  const program = compiled.optimized!;
  // Compiled from the repository's root, so the interpreter finds the extern module by path.
  const rooted = compileFile(join("test", "emit", "samples", "07-conversations-and-state", "input.feste"), nodeHost).optimized!;

  it("checks and compiles", () => {
    expect(compiled.diagnostics).toEqual([]);
  });

  it("renders in the generated module exactly as in the interpreter", () => {
    for (const xs of [["a", "skip", "bc"], [], ["skip"], ["only"]]) expect(listing(xs)).toEqual(renderPrompt(program, "listing", [xs]));
    expect(JSON.stringify(listing(["a", "skip", "bc"]))).toContain("1/2 a (first), 2/2 bc\\nLetters: 7\\nGrown: abbb");
    expect(chat(history, "Why?")).toEqual(renderPrompt(program, "chat", [history, "Why?"]));
    expect(chat([], "Why?")).toEqual(renderPrompt(program, "chat", [[], "Why?"]));
  });

  it("gives equal values and equal requests in exec, eager and the generated module", async () => {
    const backend = providerBackend({ override: pointAt(server) });
    const run = async (f: () => Promise<unknown>) => {
      server.reset();
      bodies = [];
      const value = await f();
      return { value, sent: [...bodies].sort() };
    };
    for (const [graph, inputs, call] of [
      ["main", { history, questions }, () => main({ history, questions }, { backend })],
      ["words", { xs: ["quokka", "skip"] }, () => words({ xs: ["quokka", "skip"] }, { backend })],
    ] as const) {
      const exec = await run(async () => (await runGraph(rooted, graph, inputs, { backend, externs: pool.run })).value);
      const eager = await run(async () => (await runGraph(rooted, graph, inputs, { backend, externs: pool.run, eager: true })).value);
      const module = await run(call);
      expect(eager).toEqual(exec);
      expect(module).toEqual(exec);
      if (graph === "main") {
        // Each question's conversation ran the tool: a second turn carries its result.
        expect(exec.sent.filter((m) => m.includes('"role":"tool"'))).toHaveLength(questions.length);
        expect(exec.sent.every((m) => m.includes('"content":"Hello, I am Ada."'))).toBe(true);
      }
    }
  });
});
