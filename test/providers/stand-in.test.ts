/**
 * The provider backend against the stand-in server: every endpoint through the real SDKs,
 * answers placed by index, structured outputs, bad answers and error wording.
 */
import { getEventListeners } from "node:events";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { IrClient, IrTypeDef, Settings } from "../../src/ir/nodes.js";
import type { Type } from "../../src/ir/types.js";
import type { Data, PromptValue } from "../../src/ir/value.js";
import { ENDPOINTS } from "../../src/phases/2-check/endpoints.js";
import { providerBackend, type ProviderOptions, type Usage } from "../../src/providers/index.js";
import { failure } from "../support/provider-failure.js";
import type { ModelBackend } from "../../src/runtime/backend.js";
import { fakeVector } from "../../src/testing/fake-answers.js";
import { answerText, chatSeed, completionText } from "../../src/testing/stand-in/answers.js";
import { startStandIn, type StandInOverride, type StandInRequest, type StandInServer } from "../../src/testing/stand-in/index.js";

const types: Record<string, IrTypeDef> = {
  Category: { kind: "enum", name: "Category", members: ["billing", "shipping", "other"] },
  Ticket: {
    kind: "record",
    name: "Ticket",
    fields: [
      { name: "category", type: { kind: "enum", name: "Category", file: "t.feste" }, optional: false },
      { name: "urgency", type: { kind: "int" }, optional: false },
      { name: "summary", type: { kind: "string" }, optional: false },
    ],
  },
};
const STRING: Type = { kind: "string" };
const INT: Type = { kind: "int" };
const TICKET: Type = { kind: "record", name: "Ticket", file: "t.feste" };

function client(name: string, endpoint: string, settings: Settings): IrClient {
  const spec = ENDPOINTS[endpoint];
  return { name, provider: spec.provider, endpoint, kind: spec.kind, settings };
}

function user(text: string, system?: string): PromptValue {
  return { $prompt: { lang: "en", messages: [...(system ? [{ role: "system" as const, content: system }] : []), { role: "user" as const, content: text }] } };
}

let server: StandInServer;
/** What the next requests answer instead of the stand-in's own answer. */
let answerWith: ((req: StandInRequest) => StandInOverride | undefined) | undefined;
const seen: StandInRequest[] = [];
const usages: [string, Usage][] = [];

beforeAll(async () => {
  server = await startStandIn({
    override: (req) => {
      seen.push(req);
      return answerWith?.(req);
    },
  });
});
afterAll(() => server.close());
beforeEach(() => {
  answerWith = undefined;
  seen.length = 0;
  usages.length = 0;
  server.reset();
});

function backend(extra: ProviderOptions = {}): ModelBackend {
  return providerBackend({
    env: {},
    override: (c) => ({ baseURL: c.provider === "cohere" ? server.cohereBaseURL : server.openaiBaseURL, apiKey: "test" }),
    onUsage: (c, u) => usages.push([c.name, u]),
    ...extra,
  });
}


const gpt = client("gpt", "openai.chat", { model: "gpt-4o-mini", temperature: 0 });
const davinci = client("davinci", "openai.completion", { model: "gpt-3.5-turbo-instruct", max_tokens: 64 });
const embedder = client("embedder", "openai.embedding", { model: "text-embedding-3-small" });
const writer = client("writer", "cohere.chat", { model: "command-r-plus", temperature: 0.3 });
const legacy = client("legacy", "cohere.generate", { model: "command" });
const coembed = client("coembed", "cohere.embedding", { model: "embed-english-v3.0" });
const ranker = client("ranker", "cohere.rerank", { model: "rerank-v3.5" });

function complete(c: IrClient, prompts: PromptValue[], output: Type = STRING, settings: Settings = c.settings, b = backend()): Promise<Data[]> {
  return b.complete({ client: c, settings, prompts, output, types });
}

function expectTicket(v: Data): void {
  expect(v).toMatchObject({ category: expect.stringMatching(/^(billing|shipping|other)$/), urgency: expect.any(Number), summary: expect.any(String) });
  expect(Number.isInteger((v as { urgency: number }).urgency)).toBe(true);
}

describe("OpenAI through the stand-in", () => {
  it("chat answers with the model's text, in one request, and reports usage", async () => {
    const [answer] = await complete(gpt, [user("Ticket: my parcel is late", "You triage tickets.")]);
    expect(answer).toBe(answerText(chatSeed("gpt-4o-mini", [{ role: "system", text: "You triage tickets." }, { role: "user", text: "Ticket: my parcel is late" }])));
    expect(server.byPath()).toEqual({ "/v1/chat/completions": 1 });
    expect(seen[0].body.temperature).toBe(0);
    expect(seen[0].body.response_format).toBeUndefined();
    expect(usages).toEqual([["gpt", { inputTokens: expect.any(Number), outputTokens: expect.any(Number) }]]);
    expect(usages[0][1].inputTokens).toBeGreaterThan(0);
  });

  it("chat sends a strict json_schema and reads the answer as the output type", async () => {
    const [ticket] = await complete(gpt, [user("Ticket: refund please")], TICKET);
    expectTicket(ticket);
    expect(seen[0].body.response_format).toMatchObject({ type: "json_schema", json_schema: { name: expect.any(String), strict: true, schema: { type: "object" } } });
    const [n] = await complete(gpt, [user("How urgent, 1 to 5?")], INT);
    expect(Number.isInteger(n)).toBe(true);
  });

  it("completion sends three prompts in one request and places the shuffled choices by index", async () => {
    const texts = ["first prompt", "second prompt", "third prompt"];
    const answers = await complete(davinci, texts.map((t) => user(t)));
    expect(answers).toEqual(texts.map((t) => completionText("gpt-3.5-turbo-instruct", t)));
    expect(server.log).toMatchObject([{ path: "/v1/completions", items: 3 }]);
    expect(seen[0].body.prompt).toEqual(texts);
    expect(seen[0].body.max_tokens).toBe(64);
  });

  it("completion puts the schema in the prompt for a structured output", async () => {
    const answers = await complete(davinci, [user("one"), user("two"), user("three")], TICKET);
    answers.forEach(expectTicket);
    expect(seen[0].body.prompt[0]).toMatch(/^one\n\nAnswer with only JSON that matches this JSON schema:\n\{/);
  });

  it("embeddings come back one per text, in order, with the dimensions asked", async () => {
    const texts = ["alpha", "beta", "gamma"];
    const b = backend();
    const vectors = await b.embed({ client: embedder, settings: { ...embedder.settings, dimensions: 16 }, texts });
    expect(vectors).toHaveLength(3);
    vectors.forEach((v, i) => {
      const expected = fakeVector(`text-embedding-3-small\n${texts[i]}`, 16);
      expect(v).toHaveLength(16);
      v.forEach((x, k) => expect(x).toBeCloseTo(expected[k], 5));
    });
    expect(server.log).toMatchObject([{ path: "/v1/embeddings", items: 3 }]);
    expect(usages[0][1].inputTokens).toBeGreaterThan(0);
  });
});

describe("Cohere through the stand-in", () => {
  it("chat v2 answers plain text and structured output", async () => {
    const [text] = await complete(writer, [user("Write a headline", "You are an editor.")]);
    expect(text).toBe(answerText(chatSeed("command-r-plus", [{ role: "system", text: "You are an editor." }, { role: "user", text: "Write a headline" }])));
    const [ticket] = await complete(writer, [user("Ticket: broken lid")], TICKET);
    expectTicket(ticket);
    expect(seen[1].body.response_format).toMatchObject({ type: "json_object", json_schema: { type: "object" } });
    expect(server.byPath()).toEqual({ "/v2/chat": 2 });
    expect(usages.map(([, u]) => u.outputTokens > 0)).toEqual([true, true]);
  });

  it("generate (v1) answers one prompt, plain or with the schema in the prompt", async () => {
    const [text] = await complete(legacy, [user("Once upon a time")]);
    expect(text).toBe(completionText("command", "Once upon a time"));
    const [ticket] = await complete(legacy, [user("Ticket: lost card")], TICKET);
    expectTicket(ticket);
    expect(server.byPath()).toEqual({ "/v1/generate": 2 });
  });

  it("embed v2 asks for float embeddings for search documents by default", async () => {
    const texts = ["one", "two", "three"];
    const vectors = await backend().embed({ client: coembed, settings: coembed.settings, texts });
    expect(vectors).toEqual(texts.map((t) => fakeVector(`embed-english-v3.0\n${t}`, 8)));
    expect(seen[0].body).toMatchObject({ input_type: "search_document", embedding_types: ["float"], texts });
    await backend().embed({ client: coembed, settings: { ...coembed.settings, input_type: "search_query" }, texts: ["q"] });
    expect(seen[1].body.input_type).toBe("search_query");
  });

  it("rerank returns Ranked records, best first, at most top_n", async () => {
    const documents = ["apples", "bananas", "cherries", "dates"];
    const ranked = (await backend().rerank({ client: ranker, settings: { ...ranker.settings, top_n: 2 }, query: "fruit", documents })) as { index: number; score: number; document: string }[];
    expect(ranked).toHaveLength(2);
    for (const r of ranked) expect(r.document).toBe(documents[r.index]);
    expect(ranked[0].score).toBeGreaterThanOrEqual(ranked[1].score);
    expect(seen[0].body.top_n).toBe(2);
    expect(server.byPath()).toEqual({ "/v2/rerank": 1 });
  });
});

describe("bad answers", () => {
  it("malformed JSON in a structured answer names the client and the problem", async () => {
    answerWith = () => ({ texts: ['{"category": "billing", "urgency": 3, "summary": "x" oops}'] });
    const e = await failure(complete(gpt, [user("t")], TICKET));
    expect(e.code).toBe("FE4004");
    expect(e.message).toMatch(/^client `gpt` \(openai\.chat\): the answer is not valid JSON/);
    expect(e.item).toBeUndefined();
  });

  it("a body that is not JSON at all", async () => {
    answerWith = () => ({ raw: "<html>502 Bad Gateway</html>" });
    expect((await failure(complete(gpt, [user("t")]))).message).toMatch(/^client `gpt` \(openai\.chat\): the provider's answer is not JSON/);
    expect((await failure(complete(writer, [user("t")]))).message).toBe("client `writer` (cohere.chat): the provider's answer is not JSON: it starts with `<html>502 Bad Gateway</html>`");
  });

  it("wrong types and missing fields", async () => {
    answerWith = () => ({ texts: ['{"category": "billing", "urgency": "very", "summary": "x"}'] });
    expect((await failure(complete(gpt, [user("t")], TICKET))).message).toMatch(/^client `gpt` \(openai\.chat\): .*urgency/);
    answerWith = () => ({ texts: ['{"category": "billing"}'] });
    expect((await failure(complete(writer, [user("t")], TICKET))).message).toMatch(/^client `writer` \(cohere\.chat\): .*(urgency|summary)/);
  });

  it("a structured answer cut off at max_tokens is an error, never a partial value", async () => {
    answerWith = () => ({ texts: ['{"category": "billing", "urg'], finishReason: "length" });
    expect((await failure(complete(gpt, [user("t")], TICKET))).message).toMatch(/^client `gpt` \(openai\.chat\): the answer was cut off/);
    answerWith = () => ({ texts: ['{"category": "billing", "urg'], finishReason: "MAX_TOKENS" });
    expect((await failure(complete(writer, [user("t")], TICKET))).message).toMatch(/^client `writer` \(cohere\.chat\): the answer was cut off/);
    expect((await failure(complete(legacy, [user("t")], TICKET))).message).toMatch(/^client `legacy` \(cohere\.generate\): the answer was cut off/);
  });

  it("no choices, no generations, no text", async () => {
    answerWith = () => ({ texts: [] });
    expect((await failure(complete(gpt, [user("t")]))).message).toBe("client `gpt` (openai.chat): the provider answered with no choices");
    expect((await failure(complete(davinci, [user("a"), user("b")]))).message).toBe("client `davinci` (openai.completion): the provider answered with no choices");
    expect((await failure(complete(legacy, [user("t")]))).message).toBe("client `legacy` (cohere.generate): the provider answered with no generations");
    expect((await failure(complete(writer, [user("t")]))).message).toBe("client `writer` (cohere.chat): the answer has no text");
    answerWith = () => ({ texts: [null] });
    expect((await failure(complete(gpt, [user("t")]))).message).toBe("client `gpt` (openai.chat): the answer has no text");
  });

  it("a bad answer among several names its item", async () => {
    answerWith = () => ({ texts: ['{"category": "billing", "urgency": 1, "summary": "a"}', "I cannot help with that.", '{"category": "other", "urgency": 2, "summary": "c"}'] });
    const e = await failure(complete(davinci, [user("a"), user("b"), user("c")], TICKET));
    expect(e.item).toBe(1);
    expect(e.message).toMatch(/^client `davinci` \(openai\.completion\): answer 2 of 3: /);
  });

  it("too few embeddings", async () => {
    const one = Buffer.from(new Float32Array([0.5, 0.5]).buffer).toString("base64");
    answerWith = () => ({ raw: JSON.stringify({ object: "list", data: [{ object: "embedding", index: 0, embedding: one }, { object: "embedding", index: 1, embedding: one }], usage: { prompt_tokens: 3, total_tokens: 3 } }) });
    const e = await failure(backend().embed({ client: embedder, settings: embedder.settings, texts: ["a", "b", "c"] }));
    expect(e.message).toBe("client `embedder` (openai.embedding): the provider answered with 2 embeddings for 3 items; item 3 has none");
    expect(e.item).toBe(2);
    answerWith = () => ({ raw: JSON.stringify({ id: "x", embeddings: { float: [[0.1, 0.2]] } }) });
    expect((await failure(backend().embed({ client: coembed, settings: coembed.settings, texts: ["a", "b"] }))).message).toBe(
      "client `coembed` (cohere.embedding): the provider answered with 1 embedding for 2 texts",
    );
  });

  it("an HTTP 400 carries the provider's message and status", async () => {
    answerWith = () => ({ status: 400, body: { error: { message: "Invalid 'temperature': decimal above maximum value.", type: "invalid_request_error", param: "temperature", code: null } } });
    const e = await failure(complete(gpt, [user("t")]));
    expect(e.message).toBe("client `gpt` (openai.chat): the provider answered HTTP 400: Invalid 'temperature': decimal above maximum value.");
    expect(e).toMatchObject({ code: "FE4004", status: 400, retryable: false, reason: "http" });
    answerWith = () => ({ status: 400, body: { id: "x", message: "invalid request: temperature must be at most 1" } });
    const c = await failure(complete(writer, [user("t")]));
    expect(c.message).toBe("client `writer` (cohere.chat): the provider answered HTTP 400: invalid request: temperature must be at most 1");
    expect(c.status).toBe(400);
  });

  it("a 5xx is marked retryable, and the SDK did not retry it", async () => {
    answerWith = () => ({ status: 503, body: { message: "overloaded" } });
    const e = await failure(backend().rerank({ client: ranker, settings: ranker.settings, query: "q", documents: ["a"] }));
    expect(e).toMatchObject({ status: 503, retryable: true });
    expect(e.message).toBe("client `ranker` (cohere.rerank): the provider answered HTTP 503: overloaded");
    expect(server.requests()).toBe(1);
    server.reset();
    await failure(complete(gpt, [user("t")]));
    expect(server.requests()).toBe(1);
  });
});

describe("cancellation", () => {
  it("many requests under one run's signal leave it one abort listener at most", async () => {
    const run = new AbortController();
    const b = backend();
    await Promise.all(Array.from({ length: 30 }, (_, i) => b.complete({ client: gpt, settings: gpt.settings, prompts: [user(`q${i}`)], output: STRING, types, signal: run.signal })));
    await Promise.all(Array.from({ length: 12 }, (_, i) => b.rerank({ client: ranker, settings: ranker.settings, query: `q${i}`, documents: ["a", "b"], signal: run.signal })));
    expect(getEventListeners(run.signal, "abort").length).toBeLessThanOrEqual(1);
    expect(server.requests()).toBe(42);
  });
});

describe("keys", () => {
  it("a missing key is FE4006, names the variable and --fake, and sends nothing", async () => {
    const b = providerBackend({ env: {}, override: () => ({ baseURL: server.openaiBaseURL }) });
    const e = await failure(b.complete({ client: gpt, settings: gpt.settings, prompts: [user("t")], output: STRING, types }));
    expect(e.code).toBe("FE4006");
    expect(e.message).toBe("client `gpt` has no API key: set OPENAI_API_KEY, or run with --fake to use the offline stand-in server");
    const w = await failure(b.complete({ client: writer, settings: writer.settings, prompts: [user("t")], output: STRING, types }));
    expect(w.message).toContain("set CO_API_KEY");
    expect(server.requests()).toBe(0);
  });

  it("the key never appears in an error, even when the provider quotes it", async () => {
    const key = "sk-live-Zx81Qw92Er73Ty64Ui55";
    answerWith = () => ({ status: 401, body: { error: { message: `Incorrect API key provided: ${key}. You can find your API key at https://platform.openai.com.`, code: "invalid_api_key" } } });
    const b = providerBackend({ env: { OPENAI_API_KEY: key }, override: () => ({ baseURL: server.openaiBaseURL }) });
    const e = await failure(b.complete({ client: gpt, settings: gpt.settings, prompts: [user("t")], output: STRING, types }));
    expect(e.status).toBe(401);
    expect(e.message).toContain("Incorrect API key provided: [redacted].");
    for (const text of [e.message, String(e.stack), JSON.stringify(e), JSON.stringify(e.facts)]) expect(text).not.toContain(key);
  });
});
