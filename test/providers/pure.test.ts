/** The provider adapters' pure parts: settings and keys, messages, sampling names, error wording. */
import { describe, expect, it } from "vitest";
import type { IrClient } from "../../src/ir/nodes.js";
import type { PromptValue } from "../../src/ir/value.js";
import { resolveApiKey, resolveSettings } from "../../src/providers/api-keys.js";
import { byIndex } from "../../src/providers/answers.js";
import type { Call } from "../../src/providers/call.js";
import { cohereMessages, cohereSampling } from "../../src/providers/cohere.js";
import { bodyMessage, networkCause, ProviderError, redact, retryAfter } from "../../src/providers/errors.js";
import { httpFailure, networkFailure } from "../../src/providers/failures.js";
import { chatMessages, responseFormat, samplingParams } from "../../src/providers/openai.js";

const gpt: IrClient = { name: "gpt", provider: "openai", endpoint: "openai.chat", kind: "chat", settings: {} };
const writer: IrClient = { name: "writer", provider: "cohere", endpoint: "cohere.chat", kind: "chat", settings: {} };

function call(settings: Call["settings"] = {}, client = gpt): Call {
  return { client, endpoint: client.endpoint!, settings, baseURL: "http://127.0.0.1:1/v1", apiKey: "sk-test-0123456789abcdefXYZ", onUsage: () => {}, onHeaders: () => {} };
}

const prompt: PromptValue = {
  $prompt: {
    lang: "en",
    messages: [
      { role: "system", content: "You triage tickets." },
      { role: "user", content: "Ticket: refund" },
      { role: "assistant", content: "Noted." },
    ],
  },
};

function thrown(f: () => unknown): ProviderError {
  try {
    f();
  } catch (e) {
    if (e instanceof ProviderError) return e;
    throw e;
  }
  throw new Error("expected a ProviderError");
}

describe("API keys", () => {
  it("come from the api_key setting, its env variable, or the provider's default variable", () => {
    expect(resolveApiKey(gpt, { api_key: "literal" }, {})).toBe("literal");
    expect(resolveApiKey(gpt, { api_key: { env: "MY_KEY" } }, { MY_KEY: "k1", OPENAI_API_KEY: "k2" })).toBe("k1");
    expect(resolveApiKey(gpt, {}, { OPENAI_API_KEY: "k2" })).toBe("k2");
    expect(resolveApiKey(writer, {}, { CO_API_KEY: "k3", OPENAI_API_KEY: "k2" })).toBe("k3");
  });

  it("when missing, fail with FE4006 naming the variable to set and --fake", () => {
    const e = thrown(() => resolveApiKey(gpt, {}, {}));
    expect(e.code).toBe("FE4006");
    expect(e.message).toBe("client `gpt` has no API key: set OPENAI_API_KEY, or run with --fake to use the offline stand-in server");
    expect(thrown(() => resolveApiKey(writer, {}, { OPENAI_API_KEY: "x" })).message).toContain("set CO_API_KEY");
    const viaEnv = thrown(() => resolveApiKey(writer, { api_key: { env: "NEWSROOM_KEY" } }, { CO_API_KEY: "unused" }));
    expect(viaEnv.message).toBe("client `writer` has no API key: its `api_key` setting reads NEWSROOM_KEY, which is not set; set it, or run with --fake to use the offline stand-in server");
  });
});

describe("settings", () => {
  it("read { env } values and leave the key out", () => {
    const s = resolveSettings(gpt, { model: { env: "MODEL" }, temperature: 0.5, api_key: { env: "K" } }, { MODEL: "gpt-4o-mini" });
    expect(s).toEqual({ model: "gpt-4o-mini", temperature: 0.5 });
  });

  it("fail naming the setting whose variable is not set", () => {
    const e = thrown(() => resolveSettings(gpt, { base_url: { env: "VLLM_URL" } }, {}));
    expect(e.code).toBe("FE4004");
    expect(e.message).toBe("client `gpt` (openai.chat): setting `base_url` reads VLLM_URL, which is not set");
  });

  it("map to OpenAI's names, sending only the ones set", () => {
    expect(samplingParams(call({ model: "m", temperature: 0, top_p: 0.9, max_tokens: 64, stop: ["\n"], seed: 7, presence_penalty: 0.1, frequency_penalty: -0.2 }))).toEqual({
      temperature: 0,
      top_p: 0.9,
      max_tokens: 64,
      stop: ["\n"],
      seed: 7,
      presence_penalty: 0.1,
      frequency_penalty: -0.2,
    });
    expect(samplingParams(call({ model: "m", max_batch: 10, timeout: 3 }))).toEqual({});
  });

  it("map to cohere-ai's names", () => {
    expect(cohereSampling(call({ temperature: 0.3, top_p: 0.5, max_tokens: 10, stop: ["END"], seed: 1, presence_penalty: 0, frequency_penalty: 1 }, writer))).toEqual({
      temperature: 0.3,
      p: 0.5,
      maxTokens: 10,
      stopSequences: ["END"],
      seed: 1,
      presencePenalty: 0,
      frequencyPenalty: 1,
    });
  });
});

describe("messages", () => {
  it("are the prompt's role sections, in order", () => {
    const expected = [
      { role: "system", content: "You triage tickets." },
      { role: "user", content: "Ticket: refund" },
      { role: "assistant", content: "Noted." },
    ];
    expect(chatMessages(prompt)).toEqual(expected);
    expect(cohereMessages(prompt)).toEqual(expected);
  });

  it("ask for a strict json_schema when the output is structured", () => {
    expect(responseFormat(undefined)).toEqual({});
    expect(responseFormat({ name: "Ticket", schema: { type: "object" }, wrapped: false })).toEqual({
      response_format: { type: "json_schema", json_schema: { name: "Ticket", schema: { type: "object" }, strict: true } },
    });
  });
});

describe("answers placed by index", () => {
  it("come back in request order", () => {
    const placed = byIndex(call(), [{ index: 2, t: "c" }, { index: 0, t: "a" }, { index: 1, t: "b" }], 3, "choices");
    expect(placed.map((c) => c.t)).toEqual(["a", "b", "c"]);
  });

  it("fail when one is missing, doubled, out of range or there are none", () => {
    const missing = thrown(() => byIndex(call(), [{ index: 0 }, { index: 2 }], 3, "choices"));
    expect(missing.message).toBe("client `gpt` (openai.chat): the provider answered with 2 choices for 3 items; item 2 has none");
    expect(missing.item).toBe(1);
    expect(thrown(() => byIndex(call(), [{ index: 0 }, { index: 0 }], 2, "choices")).item).toBe(0);
    expect(thrown(() => byIndex(call(), [{ index: 5 }], 2, "choices")).message).toContain("a choice whose index is 5, expected 0 to 1");
    expect(thrown(() => byIndex(call(), [], 2, "choices")).message).toBe("client `gpt` (openai.chat): the provider answered with no choices");
  });
});

describe("errors", () => {
  it("quote the provider's own message from the usual body shapes", () => {
    expect(bodyMessage({ error: { message: "Invalid 'messages': empty array.", type: "invalid_request_error" } })).toBe("Invalid 'messages': empty array.");
    expect(bodyMessage({ message: "invalid request: model must be provided" })).toBe("invalid request: model must be provided");
    expect(bodyMessage({ detail: "Not Found" })).toBe("Not Found");
    expect(bodyMessage({ error: "bad" })).toBe("bad");
    expect(bodyMessage("  upstream\n  timed out ")).toBe("upstream timed out");
    expect(bodyMessage({ odd: 1 })).toBe('{"odd":1}');
    expect(bodyMessage(undefined)).toBe("");
  });

  it("name the client, the endpoint, the status and whether a retry can help", () => {
    const e = httpFailure(call(), 400, { error: { message: "Unsupported parameter: 'seed'." } }, undefined);
    expect(e.message).toBe("client `gpt` (openai.chat): the provider answered HTTP 400: Unsupported parameter: 'seed'.");
    expect(e).toMatchObject({ code: "FE4004", status: 400, retryable: false, reason: "http" });
    const limited = httpFailure(call(), 429, {}, new Headers({ "retry-after": "2" }));
    expect(limited).toMatchObject({ status: 429, retryable: true, retryAfterMs: 2000 });
    expect(httpFailure(call(), 503, "", undefined).message).toBe("client `gpt` (openai.chat): the provider answered HTTP 503 with no message");
  });

  it("never carry the key", () => {
    const c = call();
    const e = httpFailure(c, 401, { error: { message: `Incorrect API key provided: ${c.apiKey}.` } }, undefined);
    expect(e.message).not.toContain(c.apiKey);
    expect(e.message).toContain("[redacted]");
    expect(redact("Authorization: Bearer abcdefghijkl", undefined)).toBe("Authorization: [redacted]");
    expect(redact("key sk-proj-AAAAAAAAAAAAAAAAAAAA here", undefined)).toBe("key [redacted] here");
    // Placeholders such as "test" are not secrets; masking them would garble messages.
    expect(redact("the latest test", "test")).toBe("the latest test");
  });

  it("say why a connection failed", () => {
    const refused = Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }) });
    expect(networkCause(refused)).toBe("connection refused");
    expect(networkCause(new Error("Socket hang up"))).toBe("socket hang up");
    const e = networkFailure(call(), refused);
    expect(e.message).toBe("client `gpt` (openai.chat): could not reach http://127.0.0.1:1/v1: connection refused");
    expect(e).toMatchObject({ reason: "network", retryable: true });
    const withUser = networkFailure({ ...call(), baseURL: "https://me:hunter22@llm.example/v1" }, refused);
    expect(withUser.message).toBe("client `gpt` (openai.chat): could not reach https://llm.example/v1: connection refused");
  });

  it("read retry-after-ms, retry-after seconds and dates", () => {
    expect(retryAfter(new Headers({ "retry-after-ms": "150", "retry-after": "9" }))).toBe(150);
    expect(retryAfter(new Headers({ "retry-after": "1.5" }))).toBe(1500);
    expect(retryAfter(new Headers({ "retry-after": new Date(10_000).toUTCString() }), 4_000)).toBe(6_000);
    expect(retryAfter(new Headers())).toBeUndefined();
  });

  it("keep their facts when the runtime adds a location", () => {
    const e = new ProviderError("FE4004", "client `gpt` (openai.completion): answer 2 of 3: bad", { reason: "answer", item: 1 });
    const located = e.at({ file: "x.feste", start: 1, end: 2 });
    expect(located).toBeInstanceOf(ProviderError);
    expect(located).toMatchObject({ code: "FE4004", item: 1, reason: "answer", message: e.message });
    expect(located.span).toBeDefined();
  });
});
