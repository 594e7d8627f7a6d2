/**
 * Tool calling: a chat call with `tools` runs the tools the model asks for (several in one
 * turn, in parallel), returns their results as tool messages and repeats until an answer
 * without tool calls, within `max_steps`; OpenAI and Cohere v2 wire formats; failures name the
 * tool or the call; across a `for`, turn k of every conversation is sent together.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeHost } from "../../src/cli/node-host.js";
import { optimize } from "../../src/phases/4-optimize/index.js";
import { providerBackend } from "../../src/providers/index.js";
import { evaluate } from "../../src/runtime/evaluate.js";
import { createExternPool } from "../../src/runtime/extern-pool.js";
import { runGraph } from "../../src/runtime/run.js";
import { pointAt, startStandIn, type StandInOverride, type StandInRequest, type StandInServer } from "../../src/testing/stand-in/index.js";
import { lowerFile } from "../support/pipeline.js";

const dir = mkdtempSync(join(tmpdir(), "feste-tools-"));
writeFileSync(
  join(dir, "tools.mjs"),
  `
export async function lookup(q) { (globalThis.__festeLookups ??= []).push(q); return ["doc about " + q]; }
export function add(a, b) { return a + b; }
export function boom(x) { throw new Error("the index is down"); }
`,
);
const SOURCE = `
client gpt: openai.chat { model: "gpt-4o-mini", temperature: 0 }
client writer: cohere.chat { model: "command-r-plus", temperature: 0 }

/// Looks documents up by a query.
extern io fn lookup(q: string) -> string[] from "./tools.mjs"
/// Adds two numbers.
extern fn add(a: int, b: int) -> int from "./tools.mjs"
extern fn boom(x: string) -> string from "./tools.mjs"

prompt ask(rounds: int, q: string) """
  tool rounds: {{ rounds }}
  {{ q }}
  """

graph steps(rounds: int) -> string { gpt(ask(rounds, "what is 2 + 3?"), tools: [lookup, add], max_steps: 3) }
graph cohere(rounds: int) -> string { writer(ask(rounds, "what is 2 + 3?"), tools: [lookup, add]) }
graph broken() -> string { gpt(ask(1, "x"), tools: [boom]) }
graph many(qs: string[]) -> string[] { for q in qs { gpt(ask(1, q), tools: [lookup]) } }
`;
writeFileSync(join(dir, "main.feste"), SOURCE);

let server: StandInServer;
const seen: StandInRequest[] = [];
let answer: ((req: StandInRequest) => StandInOverride | undefined) | undefined;
const pool = createExternPool({ maxThreads: 1 });
beforeAll(async () => {
  server = await startStandIn({ latencyMs: 5, override: (req) => (seen.push(req), answer?.(req)) });
});
afterAll(async () => {
  await server.close();
  await pool.close();
});

const unoptimized = lowerFile(join(dir, "main.feste"), nodeHost);
const program = optimize(unoptimized);
const backend = () => providerBackend({ override: pointAt(server) });
const run = (graph: string, inputs: Record<string, unknown>, eager = false) =>
  runGraph(program, graph, inputs as never, { backend: backend(), externs: pool.run, eager });
const fresh = () => {
  seen.length = 0;
  answer = undefined;
};
const toolCallBody = (name: string, args: string) => ({
  status: 200,
  body: {
    id: "x",
    object: "chat.completion",
    created: 1,
    model: "gpt-4o-mini",
    choices: [{ index: 0, finish_reason: "tool_calls", message: { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name, arguments: args } }] } }],
  },
});

describe("tool calling", () => {
  for (const [rounds, steps] of [[0, 1], [1, 2], [2, 3]] as const) {
    it(`finishes in ${steps} step${steps === 1 ? "" : "s"} (max_steps 3)`, async () => {
      fresh();
      const { value } = await run("steps", { rounds });
      expect(typeof value).toBe("string");
      expect(seen).toHaveLength(steps);
      const first = seen[0].body;
      expect(first.tools.map((t: any) => t.function.name)).toEqual(["lookup", "add"]);
      expect(first.tools[1].function).toMatchObject({ description: "Adds two numbers.", parameters: { type: "object", required: ["a", "b"] } });
      if (steps > 1) {
        // Both tools were called in one turn; their results came back as tool messages.
        const last = seen[steps - 1].body.messages;
        const assistant = last.filter((m: any) => m.role === "assistant");
        expect(assistant).toHaveLength(steps - 1);
        expect(assistant[0].tool_calls.map((c: any) => c.function.name)).toEqual(["lookup", "add"]);
        const tools = last.filter((m: any) => m.role === "tool");
        expect(tools).toHaveLength(2 * (steps - 1));
        expect(JSON.parse(tools[0].content)[0]).toMatch(/^doc about /);
      }
    });
  }

  it("past max_steps the call fails with FE4070 naming it", async () => {
    fresh();
    await expect(run("steps", { rounds: 5 })).rejects.toMatchObject({ code: "FE4070", message: expect.stringContaining("`gpt` still asked for tools after 3 steps") });
    expect(seen).toHaveLength(3);
  });

  it("speaks Cohere v2's tools and tool messages", async () => {
    fresh();
    const { value } = await run("cohere", { rounds: 1 });
    expect(typeof value).toBe("string");
    expect(seen.map((r) => r.path)).toEqual(["/v2/chat", "/v2/chat"]);
    expect(seen[0].body.tools[0]).toMatchObject({ type: "function", function: { name: "lookup" } });
    const roles = seen[1].body.messages.map((m: any) => m.role);
    expect(roles).toEqual(["user", "assistant", "tool", "tool"]);
    expect(seen[1].body.messages[2].tool_call_id).toBe(seen[1].body.messages[1].tool_calls[0].id);
  });

  it("a tool that throws fails with FE4071 at the tool's declaration", async () => {
    fresh();
    const failed = run("broken", {});
    await expect(failed).rejects.toMatchObject({ code: "FE4071", message: expect.stringContaining("the tool `boom` (called by the chat call to `gpt`) failed: `boom` threw Error: the index is down") });
    const e = await failed.catch((x) => x);
    expect(SOURCE.slice(e.span.start, e.span.end)).toBe("boom");
  });

  it("a model asking for an unknown tool fails with FE4072", async () => {
    fresh();
    answer = () => toolCallBody("delete_everything", "{}");
    await expect(run("steps", { rounds: 1 })).rejects.toMatchObject({ code: "FE4072", message: expect.stringContaining("`delete_everything`, which it does not offer (its tools: `lookup`, `add`)") });
  });

  it("arguments that do not fit the schema fail with FE4073", async () => {
    fresh();
    answer = () => toolCallBody("add", '{"a": "two", "b": 3}');
    await expect(run("steps", { rounds: 1 })).rejects.toMatchObject({ code: "FE4073", message: expect.stringContaining("tool `add`") });
    answer = () => toolCallBody("add", "{not json");
    await expect(run("steps", { rounds: 1 })).rejects.toMatchObject({ code: "FE4073", message: expect.stringContaining("are not JSON") });
    answer = () => toolCallBody("add", '{"a": 2}');
    await expect(run("steps", { rounds: 1 })).rejects.toMatchObject({ code: "FE4073", message: expect.stringContaining("miss the parameter `b`") });
  });

  it("across a for, turn k of every conversation is sent together", async () => {
    // Answers take 150 ms, so a second turn can only start after every first turn has arrived.
    const order: StandInRequest[] = [];
    const slow = await startStandIn({ latencyMs: 150, override: (req) => void order.push(req) });
    try {
      const qs = ["a", "b", "c", "d", "e"];
      const { value } = await runGraph(program, "many", { qs }, { backend: providerBackend({ override: pointAt(slow) }), externs: pool.run });
      expect(value).toHaveLength(5);
      expect(order).toHaveLength(10);
      const turn = (r: StandInRequest) => r.body.messages.filter((m: any) => m.role === "tool").length;
      expect(order.map(turn)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
      // Each turn's requests were sent together: the five arrived within one answer's latency.
      const firsts = slow.log.filter((e) => e.index < 5).map((e) => e.start);
      expect(Math.max(...firsts) - Math.min(...firsts)).toBeLessThan(150);
    } finally {
      await slow.close();
    }
  });

  it("means the same in graph, eager, unoptimized and reference runs", async () => {
    fresh();
    const graph = (await run("many", { qs: ["x", "y"] })).value;
    expect((await run("many", { qs: ["x", "y"] }, true)).value).toEqual(graph);
    expect((await runGraph(unoptimized, "many", { qs: ["x", "y"] }, { backend: backend(), externs: pool.run })).value).toEqual(graph);
    expect(await evaluate(unoptimized, "many", { qs: ["x", "y"] }, { backend: backend(), externs: pool.run })).toEqual(graph);
  });
});
