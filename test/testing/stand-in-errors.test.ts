/** Refusals and overrides: each reaches the real SDK as the error or answer it should. */
import { CohereClientV2, CohereError } from "cohere-ai";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { startStandIn, type StandInOptions, type StandInServer } from "../../src/testing/index.js";

let s: StandInServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

async function clients(options: StandInOptions = {}) {
  s = await startStandIn(options);
  const openai = new OpenAI({ apiKey: "test", baseURL: s.openaiBaseURL, maxRetries: 0 });
  const cohere = new CohereClientV2({ token: "test", environment: s.cohereBaseURL, maxRetries: 0 });
  return { s, openai, cohere };
}

const chat = { model: "m", messages: [{ role: "user" as const, content: "hi" }] };

/** The error a promise rejects with. */
async function failure(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to fail");
}

describe("refusals the real APIs make", () => {
  it("401 without an Authorization header, in each provider's shape", async () => {
    const { s } = await clients();
    const openai = new OpenAI({ apiKey: "test", baseURL: s.openaiBaseURL, maxRetries: 0, defaultHeaders: { Authorization: null } });
    const e = await failure(openai.chat.completions.create(chat));
    expect(e).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(e.message).toMatch(/^401 You didn't provide an API key/);
    const cohere = new CohereClientV2({ token: "", environment: s.cohereBaseURL, maxRetries: 0 });
    const c = await failure(cohere.chat(chat));
    expect(c).toBeInstanceOf(CohereError);
    expect(c.statusCode).toBe(401);
    expect(c.body).toEqual({ message: "no api key supplied" });
    expect(s.log.map((x) => x.status)).toEqual([401, 401]);
  });

  it("404 for an unknown path", async () => {
    const { s, openai } = await clients();
    const e = await failure(openai.post("/nowhere", { body: {} }));
    expect(e).toBeInstanceOf(OpenAI.NotFoundError);
    expect(e.message).toBe("404 Invalid URL (POST /v1/nowhere)");
    const r = await fetch(`${s.url}/v2/nowhere`, { method: "POST", headers: { authorization: "Bearer t" }, body: "{}" });
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ message: "route not found: POST /v2/nowhere" });
  });

  it("400 for invalid JSON and for a missing model", async () => {
    const { s, openai, cohere } = await clients();
    const r = await fetch(`${s.openaiBaseURL}/chat/completions`, { method: "POST", headers: { authorization: "Bearer t" }, body: "{nope" });
    expect(r.status).toBe(400);
    expect((await r.json()).error.message).toMatch(/could not parse the JSON body/);
    const e = await failure(openai.chat.completions.create({ messages: chat.messages } as any));
    expect(e).toBeInstanceOf(OpenAI.BadRequestError);
    expect(e.message).toBe("400 you must provide a model parameter");
    expect(e.param).toBe("model");
    // cohere-ai checks required fields itself, so the server's refusal is seen through fetch.
    const c = await fetch(`${s.cohereBaseURL}/v2/rerank`, { method: "POST", headers: { authorization: "Bearer t" }, body: JSON.stringify({ query: "q", documents: ["d"] }) });
    expect(c.status).toBe(400);
    expect(await c.json()).toEqual({ message: "invalid request: model must be provided" });
    const bad = await failure(cohere.chat({ model: "m", messages: [] }));
    expect(bad.statusCode).toBe(400);
    expect(bad.body.message).toMatch(/at least one message/);
  });

  it("400 for embedding limits: 2048 inputs, empty strings, 96 Cohere texts", async () => {
    const { openai, cohere } = await clients();
    const tooMany = await failure(openai.embeddings.create({ model: "e", input: Array.from({ length: 2049 }, (_, i) => `t${i}`) }));
    expect(tooMany.message).toMatch(/^400 '\$\.input' is invalid: array length must be 2048 or less/);
    const empty = await failure(openai.embeddings.create({ model: "e", input: ["fine", ""] }));
    expect(empty.message).toMatch(/empty string/);
    await expect(openai.embeddings.create({ model: "e", input: Array.from({ length: 2048 }, (_, i) => `t${i}`) })).resolves.toBeDefined();
    const cohereTooMany = await failure(cohere.embed({ model: "e", texts: Array.from({ length: 97 }, () => "x"), inputType: "search_document", embeddingTypes: ["float"] }));
    expect(cohereTooMany.body).toEqual({ message: "invalid request: total number of texts must be at most 96 - received 97" });
  });

  it("400 for more completion choices than one request may carry", async () => {
    const { openai } = await clients();
    const e = await failure(openai.completions.create({ model: "m", prompt: Array.from({ length: 65 }, () => "p"), n: 2 }));
    expect(e).toBeInstanceOf(OpenAI.BadRequestError);
    expect(e.message).toMatch(/over the limit of 128/);
  });
});

describe("overrides", () => {
  it("status: any HTTP error with its body", async () => {
    const { s, openai } = await clients({ override: (r) => (r.index === 0 ? { status: 429, body: { error: { message: "slow down", type: "requests", param: null, code: "rate_limit_exceeded" } } } : undefined) });
    const e = await failure(openai.chat.completions.create(chat));
    expect(e).toBeInstanceOf(OpenAI.RateLimitError);
    expect(e.message).toBe("429 slow down");
    await expect(openai.chat.completions.create(chat)).resolves.toBeDefined();
    expect(s.log.map((x) => x.status)).toEqual([429, 200]);
  });

  it("raw: a malformed body", async () => {
    const { openai, cohere } = await clients({ override: () => ({ raw: "{\"choices\": [" }) });
    await expect(openai.chat.completions.create(chat)).rejects.toThrow(SyntaxError);
    // cohere-ai does not throw on a 200 it cannot parse: the caller gets an object without the answer's fields.
    const r = await cohere.chat(chat);
    expect(r.message).toBeUndefined();
  });

  it("raw with a status: an error page that is not JSON", async () => {
    const { openai, cohere } = await clients({ override: () => ({ raw: "<html>bad gateway</html>", status: 502 }) });
    const e = await failure(openai.chat.completions.create(chat));
    expect(e).toBeInstanceOf(OpenAI.InternalServerError);
    expect(e.status).toBe(502);
    expect(e.message).toMatch(/bad gateway/);
    // cohere-ai fails to parse a non-JSON error body and throws without the status code.
    const c = await failure(cohere.chat(chat));
    expect(c).toBeInstanceOf(CohereError);
    expect(c.statusCode).toBeUndefined();
    expect(c.message).toMatch(/is not valid JSON/);
  });

  it("texts: replaces answers and the finish reason, [] meaning no choices", async () => {
    const { openai, cohere } = await clients({
      override: (r) => (r.path === "/v1/completions" ? { texts: ["cut", null], finishReason: "length" } : r.path === "/v2/chat" ? { texts: ['{"a": 1'], finishReason: "MAX_TOKENS" } : { texts: [] }),
    });
    const empty = await openai.chat.completions.create(chat);
    expect(empty.choices).toEqual([]);
    const r = await openai.completions.create({ model: "m", prompt: ["a", "b"] });
    const byIndex = [...r.choices].sort((a, b) => a.index - b.index);
    expect(byIndex.map((c) => [c.text, c.finish_reason])).toEqual([["cut", "length"], [null, "length"]]);
    const c = await cohere.chat(chat);
    expect(c.finishReason).toBe("MAX_TOKENS");
    expect(c.message.content).toEqual([{ type: "text", text: '{"a": 1' }]);
  });

  it("sees the request as parsed: path, model, items, index", async () => {
    const seen: unknown[] = [];
    const { openai } = await clients({ override: (r) => void seen.push({ path: r.path, model: r.model, items: r.items, index: r.index, prompt: r.body.prompt }) });
    await openai.completions.create({ model: "m", prompt: ["a", "b"] });
    expect(seen).toEqual([{ path: "/v1/completions", model: "m", items: 2, index: 0, prompt: ["a", "b"] }]);
  });
});

describe("a throwing override hook", () => {
  it("answers 500 with the hook's message instead of hanging", async () => {
    const { openai } = await clients({
      override: () => {
        throw new Error("hook broke");
      },
    });
    const e = await failure(openai.chat.completions.create(chat));
    expect(e).toBeInstanceOf(OpenAI.InternalServerError);
    expect(e.message).toBe("500 stand-in server failed: hook broke");
  });
});
