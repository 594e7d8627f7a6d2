/** Latency, concurrency, the log and counters, and a prompt close() under keep-alive. */
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { jitterFor, startStandIn, type StandInOptions, type StandInServer } from "../../src/testing/index.js";

let s: StandInServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

async function openai(options: StandInOptions = {}) {
  s = await startStandIn(options);
  return { s, client: new OpenAI({ apiKey: "test", baseURL: s.openaiBaseURL, maxRetries: 0 }) };
}

const texts = (n: number) => Array.from({ length: n }, (_, i) => `text ${i}`);

describe("latency", () => {
  it("takes latencyMs + perItemMs × items", async () => {
    const { s, client } = await openai({ latencyMs: 20, perItemMs: 5 });
    const t0 = performance.now();
    await client.embeddings.create({ model: "e", input: texts(10) });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(69);
    const [entry] = s.log;
    expect(entry.end - entry.start).toBeGreaterThanOrEqual(69);
    expect(entry.items).toBe(10);
  });

  it("counts its own work within the latency: an answer slow to build is not later for it", async () => {
    // Wide apart, so that a loaded machine's delays cannot blur the two outcomes.
    const busyMs = 150;
    // An override that keeps the server busy while it builds the answer, as 2,048 vectors would.
    const busy = () => {
      const until = performance.now() + busyMs;
      while (performance.now() < until);
      return undefined;
    };
    const { s, client } = await openai({ latencyMs: 250, override: busy });
    await client.embeddings.create({ model: "e", input: "x" });
    const [entry] = s.log;
    expect(entry.end - entry.start).toBeGreaterThanOrEqual(249);
    // Had the latency started once the answer was built, it would take 250 + 150 ms.
    expect(entry.end - entry.start).toBeLessThan(250 + busyMs);
  });

  it("takes a model's own latency from latencyByModel", async () => {
    const { s, client } = await openai({ latencyMs: 0, latencyByModel: { slow: 80 } });
    await Promise.all([client.embeddings.create({ model: "slow", input: "x" }), client.embeddings.create({ model: "fast", input: "x" })]);
    const span = (m: string) => s.log.find((e) => e.model === m)!;
    expect(span("slow").end - span("slow").start).toBeGreaterThanOrEqual(79);
    expect(span("fast").end - span("fast").start).toBeLessThan((span("slow").end - span("slow").start) / 2);
    expect(s.log[0].model).toBe("fast");
  });

  it("adds each request the jitter its answers draw, the largest draw of a multi-item request", async () => {
    const { s, client } = await openai({ jitterMs: 300 });
    const one = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "q" }] });
    const many = await client.completions.create({ model: "c", prompt: texts(4) });
    const draw = (text: string) => jitterFor(text, 300);
    const expected = [draw(one.choices[0].message.content!), Math.max(...many.choices.map((c) => draw(c.text)))];
    // Draws spread over the range (a constant would pass the timing check below).
    expect(new Set(texts(20).map(draw)).size).toBeGreaterThan(10);
    s.log.forEach((entry, i) => expect(entry.end - entry.start).toBeGreaterThanOrEqual(expected[i] - 1));
  });

  it("answers requests concurrently", async () => {
    const { s, client } = await openai({ latencyByModel: { slow: 100 } });
    await Promise.all([client.embeddings.create({ model: "slow", input: "a" }), client.embeddings.create({ model: "slow", input: "b" })]);
    // One after the other, the second would end a whole latency after the first.
    const [a, b] = s.log.filter((e) => e.model === "slow");
    expect(Math.max(a.start, b.start)).toBeLessThan(Math.min(a.end, b.end));
    expect(Math.abs(a.end - b.end)).toBeLessThan(100);
  });
});

describe("log and counters", () => {
  it("records every request, errors included, and reset clears them", async () => {
    const { s, client } = await openai();
    await client.embeddings.create({ model: "e", input: texts(3) });
    await client.completions.create({ model: "c", prompt: ["a", "b"] });
    await client.embeddings.create({ model: "", input: "x" }).catch(() => undefined);
    expect(s.requests()).toBe(3);
    expect(s.byPath()).toEqual({ "/v1/embeddings": 2, "/v1/completions": 1 });
    expect(s.log.map(({ index, path, model, items, status }) => ({ index, path, model, items, status }))).toEqual([
      { index: 0, path: "/v1/embeddings", model: "e", items: 3, status: 200 },
      { index: 1, path: "/v1/completions", model: "c", items: 2, status: 200 },
      { index: 2, path: "/v1/embeddings", model: "", items: 0, status: 400 },
    ]);
    for (const e of s.log) expect(e.end).toBeGreaterThanOrEqual(e.start);
    s.reset();
    expect(s.requests()).toBe(0);
    expect(s.byPath()).toEqual({});
    expect(s.log).toEqual([]);
    await client.embeddings.create({ model: "e", input: "x" });
    expect(s.log[0].index).toBe(0);
  });
});

describe("close", () => {
  it("returns promptly although the client keeps its connection alive", async () => {
    const { s, client } = await openai();
    await client.embeddings.create({ model: "e", input: "x" });
    const t0 = performance.now();
    await s.close();
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it("drops requests still waiting out their latency", async () => {
    const { s, client } = await openai({ latencyMs: 10_000 });
    const pending = client.embeddings.create({ model: "e", input: "x" }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    await s.close();
    expect(performance.now() - t0).toBeLessThan(500);
    expect(await pending).toBeInstanceOf(OpenAI.APIConnectionError);
  });
});
