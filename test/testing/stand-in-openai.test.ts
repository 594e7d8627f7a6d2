/** The stand-in server through the real openai-node client: answers, shapes and determinism. */
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fakeFromSchema, fakeVector, startStandIn, type StandInServer } from "../../src/testing/index.js";
import { withSchemaInstruction } from "../../src/runtime/structured/instruction.js";
import { hash32 } from "../../src/testing/fake-answers.js";

let s: StandInServer;
let client: OpenAI;

beforeAll(async () => {
  s = await startStandIn();
  client = new OpenAI({ apiKey: "test", baseURL: s.openaiBaseURL, maxRetries: 0 });
});
afterAll(() => s.close());
beforeEach(() => s.reset());

const schema = {
  type: "object",
  properties: { title: { type: "string" }, score: { type: "integer" }, tags: { type: "array", items: { type: "string" } } },
  required: ["title", "score", "tags"],
  additionalProperties: false,
};

describe("chat completions", () => {
  it("answers from the model and the messages", async () => {
    const messages = [
      { role: "system" as const, content: "be brief" },
      { role: "user" as const, content: "hello" },
    ];
    const r = await client.chat.completions.create({ model: "gpt-x", messages });
    expect(r.choices).toHaveLength(1);
    expect(r.choices[0].message.content).toBe(`answer ${hash32("gpt-x\nsystem: be brief\nuser: hello").toString(36)}`);
    expect(r.choices[0].finish_reason).toBe("stop");
    expect(r.usage!.prompt_tokens).toBeGreaterThan(0);
    expect(r.usage!.completion_tokens).toBeGreaterThan(0);
    const again = await client.chat.completions.create({ model: "gpt-x", messages });
    expect(again.choices[0].message.content).toBe(r.choices[0].message.content);
  });

  it("answers a json_schema request with JSON satisfying the schema", async () => {
    const r = await client.chat.completions.create({
      model: "gpt-x",
      messages: [{ role: "user", content: "rate it" }],
      response_format: { type: "json_schema", json_schema: { name: "Review", schema, strict: true } },
    });
    const value = JSON.parse(r.choices[0].message.content!);
    expect(value).toEqual(fakeFromSchema(schema, "gpt-x\nuser: rate it"));
    expect(typeof value.title).toBe("string");
    expect(Number.isInteger(value.score)).toBe(true);
    expect(Array.isArray(value.tags)).toBe(true);
  });
});

describe("completions", () => {
  it("answers each prompt by itself, choices out of order with the right index", async () => {
    const prompts = ["one", "two", "three"];
    const r = await client.completions.create({ model: "gpt-i", prompt: prompts });
    expect(r.choices.map((c) => c.index)).not.toEqual([0, 1, 2]);
    expect([...r.choices.map((c) => c.index)].sort()).toEqual([0, 1, 2]);
    for (const c of r.choices) expect(c.text).toBe(`answer ${hash32(`gpt-i\n${prompts[c.index]}`).toString(36)}`);
    const single = await client.completions.create({ model: "gpt-i", prompt: "two" });
    expect(single.choices[0].text).toBe(r.choices.find((c) => c.index === 1)!.text);
    expect(s.log.map((e) => e.items).sort()).toEqual([1, 3]);
  });

  it("answers in shape when the prompt carries the schema instruction", async () => {
    const prompt = withSchemaInstruction("rate it", schema);
    const r = await client.completions.create({ model: "gpt-i", prompt });
    expect(JSON.parse(r.choices[0].text)).toEqual(fakeFromSchema(schema, `gpt-i\n${prompt}`));
  });

  it("keeps the input order when outOfOrder is off", async () => {
    const inOrder = await startStandIn({ outOfOrder: false });
    try {
      const c = new OpenAI({ apiKey: "test", baseURL: inOrder.openaiBaseURL, maxRetries: 0 });
      const r = await c.completions.create({ model: "gpt-i", prompt: ["a", "b", "c", "d"] });
      expect(r.choices.map((x) => x.index)).toEqual([0, 1, 2, 3]);
    } finally {
      await inOrder.close();
    }
  });
});

describe("embeddings", () => {
  const texts = ["alpha", "beta", "gamma"];
  const byIndex = (data: { index: number; embedding: number[] }[]) => [...data].sort((a, b) => a.index - b.index).map((d) => d.embedding);

  it("returns fakeVector through the SDK's default base64 encoding", async () => {
    const r = await client.embeddings.create({ model: "emb", input: texts });
    expect(r.data.map((d) => d.index)).not.toEqual([0, 1, 2]);
    // The SDK decodes float32, so the values are fakeVector rounded to float32.
    expect(byIndex(r.data)).toEqual(texts.map((t) => Array.from(new Float32Array(fakeVector(`emb\n${t}`)))));
    expect(r.usage.prompt_tokens).toBe(5); // about four characters a token, per input
  });

  it("returns fakeVector exactly with encoding_format float, at the asked dimensions", async () => {
    const r = await client.embeddings.create({ model: "emb", input: texts, encoding_format: "float", dimensions: 4 });
    expect(byIndex(r.data)).toEqual(texts.map((t) => fakeVector(`emb\n${t}`, 4)));
  });

  it("gives a text the same vector whatever travels with it", async () => {
    const alone = await client.embeddings.create({ model: "emb", input: "beta", encoding_format: "float" });
    const batch = await client.embeddings.create({ model: "emb", input: texts, encoding_format: "float" });
    expect(batch.data.find((d) => d.index === 1)!.embedding).toEqual(alone.data[0].embedding);
  });
});
