/** The stand-in server through the real cohere-ai clients: chat, embed, rerank v2 and generate v1. */
import { CohereClient, CohereClientV2 } from "cohere-ai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fakeFromSchema, fakeRanking, fakeVector, startStandIn, type StandInServer } from "../../src/testing/index.js";
import { hash32 } from "../../src/testing/fake-answers.js";

let s: StandInServer;
let v2: CohereClientV2;

beforeAll(async () => {
  s = await startStandIn();
  v2 = new CohereClientV2({ token: "test", environment: s.cohereBaseURL, maxRetries: 0 });
});
afterAll(() => s.close());
beforeEach(() => s.reset());

describe("chat v2", () => {
  it("answers from the model and the messages", async () => {
    const r = await v2.chat({ model: "command-x", messages: [{ role: "user", content: "hello" }] });
    const content = r.message.content!;
    expect(content[0]).toEqual({ type: "text", text: `answer ${hash32("command-x\nuser: hello").toString(36)}` });
    expect(r.finishReason).toBe("COMPLETE");
    expect(r.usage?.tokens?.inputTokens).toBeGreaterThan(0);
    expect(r.usage?.billedUnits?.outputTokens).toBeGreaterThan(0);
    expect(s.byPath()).toEqual({ "/v2/chat": 1 });
  });

  it("answers a json_object request with a schema in shape", async () => {
    const schema = { type: "object", properties: { label: { type: "string", enum: ["spam", "ham"] }, sure: { type: "boolean" } }, required: ["label", "sure"] };
    const r = await v2.chat({
      model: "command-x",
      messages: [{ role: "system", content: "classify" }, { role: "user", content: [{ type: "text", text: "buy now" }] }],
      responseFormat: { type: "json_object", jsonSchema: schema },
    });
    const text = (r.message.content![0] as { text: string }).text;
    expect(JSON.parse(text)).toEqual(fakeFromSchema(schema, "command-x\nsystem: classify\nuser: buy now"));
    expect(["spam", "ham"]).toContain(JSON.parse(text).label);
  });
});

describe("embed v2", () => {
  it("returns fakeVector for each text, in input order", async () => {
    const texts = ["a", "b", "c"];
    const r = await v2.embed({ model: "embed-x", texts, inputType: "search_document", embeddingTypes: ["float"] });
    expect(r.embeddings.float).toEqual(texts.map((t) => fakeVector(`embed-x\n${t}`)));
    expect(r.texts).toEqual(texts);
    expect(r.meta?.billedUnits?.inputTokens).toBe(3);
    expect(s.log[0].items).toBe(3);
    const alone = await v2.embed({ model: "embed-x", texts: ["b"], inputType: "search_query" });
    expect(alone.embeddings.float![0]).toEqual(r.embeddings.float![1]);
  });
});

describe("rerank v2", () => {
  it("ranks by fakeRanking, each result with its document index", async () => {
    const documents = ["red", "green", "blue", "cyan"];
    const r = await v2.rerank({ model: "rerank-x", query: "colour", documents, topN: 3 });
    const expected = fakeRanking("colour", documents, 3);
    expect(r.results.map((x) => x.index)).toEqual(expected.map((x) => x.index));
    expect(r.results.map((x) => x.relevanceScore)).toEqual(expected.map((x) => x.score));
  });
});

describe("generate v1", () => {
  it("answers one prompt through the legacy client", async () => {
    const v1 = new CohereClient({ token: "test", environment: s.cohereBaseURL, maxRetries: 0 });
    const r = await v1.generate({ model: "command", prompt: "say hi" });
    expect(r.generations).toHaveLength(1);
    expect(r.generations[0].text).toBe(`answer ${hash32("command\nsay hi").toString(36)}`);
    expect(r.meta?.billedUnits?.inputTokens).toBeGreaterThan(0);
    expect(s.byPath()).toEqual({ "/v1/generate": 1 });
  });
});
