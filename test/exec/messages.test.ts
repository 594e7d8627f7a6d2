/**
 * The `messages` prompt section: a `Message[]` is sent as real chat turns, in place between
 * the other sections (OpenAI chat `messages`, Cohere v2 `messages`), and flattened to text
 * for completion endpoints; graph, eager, unoptimized and reference runs agree.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { optimize } from "../../src/phases/4-optimize/index.js";
import { providerBackend } from "../../src/providers/index.js";
import { runGraph } from "../../src/runtime/run.js";
import { FakeBackend } from "../../src/testing/index.js";
import { pointAt, startStandIn, type StandInRequest, type StandInServer } from "../../src/testing/stand-in/index.js";
import { lowerSource, runWithFake } from "../support/pipeline.js";

const SOURCE = `
client gpt: openai.chat { model: "gpt-4o-mini", temperature: 0 }
client writer: cohere.chat { model: "command-r-plus", temperature: 0 }
client davinci: openai.completion { model: "gpt-3.5-turbo-instruct", temperature: 0 }

prompt reply(history: Message[], q: string) {
  system """
    You answer briefly.
    """
  messages history
  user """
    {{ q }}
    """
}

graph main(history: Message[], q: string) -> string[] {
  let turns = [Message { role: Role.user, content: "first" }, Message { role: "assistant", content: history[0].content }]
  [gpt(reply(history, q)), writer(reply(turns, q)), davinci(reply(history, q)), str(reply([], q)), str(turns[0].role)]
}
`;

const inputs = {
  history: [
    { role: "user", content: "Hello, I am Ada." },
    { role: "assistant", content: "Hello Ada!" },
  ],
  q: "What is my name?",
};

let server: StandInServer;
const bodies: StandInRequest[] = [];
beforeAll(async () => {
  server = await startStandIn({ override: (req) => void bodies.push(req) });
});
afterAll(async () => {
  await server.close();
});

describe("messages section", () => {
  it("sends the turns as chat messages in place, and flattens them for completions", async () => {
    bodies.length = 0;
    const program = optimize(lowerSource(SOURCE));
    const backend = providerBackend({ override: pointAt(server) });
    const { value } = await runGraph(program, "main", inputs, { backend });
    const openai = bodies.find((b) => b.path === "/v1/chat/completions")!.body;
    expect(openai.messages).toEqual([
      { role: "system", content: "You answer briefly." },
      { role: "user", content: "Hello, I am Ada." },
      { role: "assistant", content: "Hello Ada!" },
      { role: "user", content: "What is my name?" },
    ]);
    const cohere = bodies.find((b) => b.path === "/v2/chat")!.body;
    expect(cohere.messages.map((m: { role: string }) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(JSON.stringify(cohere.messages)).toContain("Hello, I am Ada.");
    const completion = bodies.find((b) => b.path === "/v1/completions")!.body;
    expect(completion.prompt).toEqual(["You answer briefly.\n\nHello, I am Ada.\n\nHello Ada!\n\nWhat is my name?"]);
    const v = value as string[];
    expect(v[3]).toBe("You answer briefly.\n\nWhat is my name?");
    expect(v[4]).toBe("user");
  });

  it("means the same in graph, eager, unoptimized and reference runs", async () => {
    const unoptimized = lowerSource(SOURCE);
    const optimized = optimize(unoptimized);
    const backend = providerBackend({ override: pointAt(server) });
    const graph = (await runGraph(optimized, "main", inputs, { backend })).value;
    expect((await runGraph(optimized, "main", inputs, { backend, eager: true })).value).toEqual(graph);
    expect((await runGraph(unoptimized, "main", inputs, { backend })).value).toEqual(graph);
    const fake = await runWithFake(unoptimized, "main", inputs);
    expect((await runGraph(optimized, "main", inputs, { backend: new FakeBackend() })).value).toEqual(fake.value);
  });
});
