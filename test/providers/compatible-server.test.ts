/**
 * The provider backend against small servers written here with node:http, not the stand-in:
 * `base_url` reaches any OpenAI-compatible server (and a bare-origin Cohere one) with exactly
 * the body and key the settings give, vLLM's multi-conversation chat is placed by index, and
 * timeouts, cancellation, rate limits and unreachable servers fail the way the scheduler needs.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { IrClient, IrTypeDef, Settings } from "../../src/ir/nodes.js";
import type { Type } from "../../src/ir/types.js";
import type { PromptValue } from "../../src/ir/value.js";
import { providerBackend } from "../../src/providers/index.js";
import { failure } from "../support/provider-failure.js";

interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: any;
}

interface Reply {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body: unknown;
  readonly delayMs?: number;
}

const received: Received[] = [];
let reply: (r: Received) => Reply = () => ({ body: {} });
let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const r: Received = { path: req.url ?? "", headers: req.headers, body: raw ? JSON.parse(raw) : undefined };
      received.push(r);
      const out = reply(r);
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(out.status ?? 200, { "content-type": "application/json", ...out.headers });
        res.end(JSON.stringify(out.body));
      };
      if (out.delayMs) setTimeout(send, out.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  received.length = 0;
  reply = () => ({ body: {} });
});

const types: Record<string, IrTypeDef> = {
  Verdict: { kind: "record", name: "Verdict", fields: [{ name: "ok", type: { kind: "bool" }, optional: false }] },
};
const STRING: Type = { kind: "string" };
const VERDICT: Type = { kind: "record", name: "Verdict", file: "v.feste" };

function user(text: string): PromptValue {
  return { $prompt: { lang: "en", messages: [{ role: "user", content: text }] } };
}

function chatClient(settings: Settings): IrClient {
  return { name: "local", provider: "openai", endpoint: "openai.chat", kind: "chat", settings: { model: "llama", base_url: `${origin}/v1`, api_key: { env: "LOCAL_KEY" }, ...settings } };
}

/** A chat completion in OpenAI's shape, one choice per text, `index` as given. */
function completion(choices: { index: number; text: string; finish?: string }[]) {
  return {
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1,
    model: "llama",
    choices: choices.map((c) => ({ index: c.index, message: { role: "assistant", content: c.text }, finish_reason: c.finish ?? "stop" })),
    usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
  };
}

const env = { LOCAL_KEY: "local-secret-key-123456" };


describe("base_url", () => {
  it("sends chat to any OpenAI-compatible server with the settings' body and key", async () => {
    reply = () => ({ body: completion([{ index: 0, text: "hello from llama" }]) });
    const usage: unknown[] = [];
    const b = providerBackend({ env, onUsage: (c, u) => usage.push([c.name, u]) });
    const c = chatClient({ temperature: 0.2, max_tokens: 50, stop: ["###"], seed: 3 });
    const answers = await b.complete({ client: c, settings: c.settings, prompts: [user("hi")], output: STRING, types });
    expect(answers).toEqual(["hello from llama"]);
    expect(received).toHaveLength(1);
    expect(received[0].path).toBe("/v1/chat/completions");
    expect(received[0].headers.authorization).toBe("Bearer local-secret-key-123456");
    expect(received[0].body).toEqual({ model: "llama", messages: [{ role: "user", content: "hi" }], temperature: 0.2, max_tokens: 50, stop: ["###"], seed: 3 });
    expect(usage).toEqual([["local", { inputTokens: 11, outputTokens: 7 }]]);
  });

  it("asks such a server for the output's JSON schema", async () => {
    reply = () => ({ body: completion([{ index: 0, text: '```json\n{"ok": true}\n```' }]) });
    const c = chatClient({});
    const [v] = await providerBackend({ env }).complete({ client: c, settings: c.settings, prompts: [user("fine?")], output: VERDICT, types });
    expect(v).toEqual({ ok: true });
    expect(received[0].body.response_format).toEqual({
      type: "json_schema",
      json_schema: { name: expect.any(String), strict: true, schema: expect.objectContaining({ type: "object" }) },
    });
  });

  it("takes a bare origin for Cohere, to which the SDK adds /v2/chat", async () => {
    reply = () => ({ body: { id: "c1", finish_reason: "COMPLETE", message: { role: "assistant", content: [{ type: "text", text: "bonjour" }] }, usage: { tokens: { input_tokens: 4, output_tokens: 2 } } } });
    const c: IrClient = { name: "co", provider: "cohere", endpoint: "cohere.chat", kind: "chat", settings: { model: "command-r", base_url: origin } };
    const answers = await providerBackend({ env: { CO_API_KEY: "co-key" } }).complete({ client: c, settings: c.settings, prompts: [user("salut")], output: STRING, types });
    expect(answers).toEqual(["bonjour"]);
    expect(received[0].path).toBe("/v2/chat");
    expect(received[0].headers.authorization).toBe("Bearer co-key");
    expect(received[0].body).toMatchObject({ model: "command-r", messages: [{ role: "user", content: "salut" }], stream: false });
  });
});

describe("vLLM's multi-conversation chat (batch_endpoint)", () => {
  it("sends every conversation in one request and places the choices by index", async () => {
    reply = (r) =>
      ({
        body: completion(
          (r.body.messages as { content: string }[][]).map((conv, index) => ({ index, text: `re: ${conv[0].content}` })).reverse(),
        ),
      });
    const c = chatClient({ batch_endpoint: true });
    const answers = await providerBackend({ env }).complete({ client: c, settings: c.settings, prompts: [user("a"), user("b"), user("c")], output: STRING, types });
    expect(answers).toEqual(["re: a", "re: b", "re: c"]);
    expect(received.map((r) => r.path)).toEqual(["/v1/chat/completions/batch"]);
    expect(received[0].body.messages).toEqual([[{ role: "user", content: "a" }], [{ role: "user", content: "b" }], [{ role: "user", content: "c" }]]);
  });

  it("names the item whose answer is bad", async () => {
    reply = () => ({ body: completion([{ index: 0, text: '{"ok": true}' }, { index: 1, text: '{"ok": "maybe"}' }]) });
    const c = chatClient({ batch_endpoint: true });
    const e = await failure(providerBackend({ env }).complete({ client: c, settings: c.settings, prompts: [user("a"), user("b")], output: VERDICT, types }));
    expect(e.item).toBe(1);
    expect(e.message).toMatch(/^client `local` \(openai\.chat\): answer 2 of 2: /);
  });

  it("without the setting, a chat request carries one conversation", async () => {
    const c = chatClient({});
    const e = await failure(providerBackend({ env }).complete({ client: c, settings: c.settings, prompts: [user("a"), user("b")], output: STRING, types }));
    expect(e.message).toBe("client `local` (openai.chat): 2 prompts in one request, but this endpoint takes at most 1");
    expect(received).toHaveLength(0);
  });
});

describe("failures the scheduler acts on", () => {
  it("a timeout from the `timeout` setting is retryable", async () => {
    reply = () => ({ body: completion([{ index: 0, text: "late" }]), delayMs: 400 });
    const c = chatClient({ timeout: 0.05 });
    const e = await failure(providerBackend({ env }).complete({ client: c, settings: c.settings, prompts: [user("a")], output: STRING, types }));
    expect(e.message).toBe("client `local` (openai.chat): the provider did not answer within 0.05 s (setting `timeout`)");
    expect(e).toMatchObject({ reason: "timeout", retryable: true });
    expect(received).toHaveLength(1);
  });

  it("a Cohere timeout too", async () => {
    reply = () => ({ body: {}, delayMs: 400 });
    const c: IrClient = { name: "co", provider: "cohere", endpoint: "cohere.rerank", kind: "rerank", settings: { model: "rerank", base_url: origin, timeout: 0.05 } };
    const e = await failure(providerBackend({ env: { CO_API_KEY: "k" } }).rerank({ client: c, settings: c.settings, query: "q", documents: ["d"] }));
    expect(e).toMatchObject({ reason: "timeout", retryable: true });
  });

  it("an aborted signal cancels the request", async () => {
    reply = () => ({ body: completion([{ index: 0, text: "late" }]), delayMs: 400 });
    const c = chatClient({});
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 30);
    const e = await failure(providerBackend({ env }).complete({ client: c, settings: c.settings, prompts: [user("a")], output: STRING, types, signal: abort.signal }));
    expect(e.message).toBe("client `local` (openai.chat): the request was cancelled");
    expect(e).toMatchObject({ reason: "cancelled", retryable: false });
  });

  it("a 429 says how long to wait and hands its headers over", async () => {
    reply = () => ({ status: 429, headers: { "retry-after-ms": "250", "x-ratelimit-remaining-requests": "0" }, body: { error: { message: "Rate limit reached for requests" } } });
    const seen: string[] = [];
    const c = chatClient({});
    const b = providerBackend({ env, onHeaders: (_, h) => seen.push(h.get("x-ratelimit-remaining-requests") ?? "") });
    const e = await failure(b.complete({ client: c, settings: c.settings, prompts: [user("a")], output: STRING, types }));
    expect(e).toMatchObject({ status: 429, retryable: true, retryAfterMs: 250 });
    expect(e.message).toBe("client `local` (openai.chat): the provider answered HTTP 429: Rate limit reached for requests");
    expect(seen).toEqual(["0"]);
    expect(received).toHaveLength(1);
  });

  it("an error body in another shape still gives the server's words", async () => {
    reply = () => ({ status: 404, body: { detail: "Model llama-9000 not found" } });
    const c = chatClient({});
    const e = await failure(providerBackend({ env }).complete({ client: c, settings: c.settings, prompts: [user("a")], output: STRING, types }));
    expect(e.message).toBe("client `local` (openai.chat): the provider answered HTTP 404: Model llama-9000 not found");
  });

  it("a server that is not there: could not reach it, connection refused", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const c = chatClient({ base_url: `http://127.0.0.1:${port}/v1` });
    const e = await failure(providerBackend({ env }).complete({ client: c, settings: c.settings, prompts: [user("a")], output: STRING, types }));
    expect(e.message).toBe(`client \`local\` (openai.chat): could not reach http://127.0.0.1:${port}/v1: connection refused`);
    expect(e).toMatchObject({ reason: "network", retryable: true });
  });

  it("Cohere: cancelled, or could not reach the server", async () => {
    reply = () => ({ body: {}, delayMs: 400 });
    const c: IrClient = { name: "co", provider: "cohere", endpoint: "cohere.embedding", kind: "embedding", settings: { model: "embed", base_url: origin } };
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 30);
    const b = providerBackend({ env: { CO_API_KEY: "k" } });
    const e = await failure(b.embed({ client: c, settings: c.settings, texts: ["a"], signal: abort.signal }));
    expect(e.message).toBe("client `co` (cohere.embedding): the request was cancelled");
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const gone = { ...c, settings: { ...c.settings, base_url: `http://127.0.0.1:${port}` } };
    const n = await failure(b.embed({ client: gone, settings: gone.settings, texts: ["a"] }));
    expect(n.message).toBe(`client \`co\` (cohere.embedding): could not reach http://127.0.0.1:${port}: connection refused`);
    expect(n).toMatchObject({ reason: "network", retryable: true });
  });

  it("a base_url read from a variable that is not set fails before sending", async () => {
    const c = chatClient({ base_url: { env: "LOCAL_URL" } });
    const e = await failure(providerBackend({ env }).complete({ client: c, settings: c.settings, prompts: [user("a")], output: STRING, types }));
    expect(e.message).toBe("client `local` (openai.chat): setting `base_url` reads LOCAL_URL, which is not set");
    expect(received).toHaveLength(0);
  });
});
