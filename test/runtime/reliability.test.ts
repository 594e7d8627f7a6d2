/**
 * The reliability layer with an in-process backend: retries of what may pass, backoff that
 * honours `retry-after`, hand-over to the next member of a `fallback` client, and pacing to
 * `rpm` and to the server's rate-limit headers (on a scaled clock, so a minute is short).
 */
import { describe, expect, it } from "vitest";
import type { Data } from "../../src/ir/value.js";
import { optimize } from "../../src/phases/4-optimize/index.js";
import { ProviderError } from "../../src/providers/index.js";
import type { CompleteRequest, EmbedRequest, ModelBackend, RerankRequest } from "../../src/runtime/backend.js";
import { goDurationMs } from "../../src/runtime/reliability/durations.js";
import { runGraph } from "../../src/runtime/run.js";
import { FakeBackend } from "../../src/testing/index.js";
import { lowerSource } from "../support/pipeline.js";

/** Answers like FakeBackend; `fail` decides, per request, an error to throw instead; logs sends. */
class Scripted implements ModelBackend {
  readonly sent: { client: string; at: number }[] = [];
  private readonly fake = new FakeBackend();
  constructor(private readonly fail: (n: number, req: CompleteRequest) => Error | Headers | undefined = () => undefined) {}
  async complete(req: CompleteRequest): Promise<Data[]> {
    this.sent.push({ client: req.client.name, at: performance.now() });
    const r = this.fail(this.sent.length - 1, req);
    if (r instanceof Headers) req.onHeaders?.(r);
    else if (r) throw r;
    return this.fake.complete(req);
  }
  embed(req: EmbedRequest): Promise<number[][]> {
    return this.fake.embed(req);
  }
  rerank(req: RerankRequest): Promise<Data> {
    return this.fake.rerank(req);
  }
}

const oops = (status: number, retryAfterMs?: number) =>
  new ProviderError("FE4004", `client \`gpt\` (openai.chat): the provider answered HTTP ${status}: oops`, { reason: "http", status, retryable: status >= 500 || status === 429, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });

const one = (settings = "") => optimize(lowerSource(`client gpt: openai.chat { model: "m", temperature: 0 ${settings} }\ngraph main(x: string) -> string { gpt(x) }\n`));
const expected = async () => (await runGraph(one(), "main", { x: "hi" }, { backend: new FakeBackend() })).value;

describe("retries", () => {
  it("retries a 5xx until it passes, within the client's retries", async () => {
    const backend = new Scripted((n) => (n < 2 ? oops(503) : undefined));
    const r = await runGraph(one(", retries: 2"), "main", { x: "hi" }, { backend, timeScale: 1000 });
    expect(r.value).toEqual(await expected());
    expect(backend.sent).toHaveLength(3);
  });

  it("gives up after the retry budget, and never retries what cannot pass", async () => {
    const always = new Scripted(() => oops(500));
    await expect(runGraph(one(", retries: 3"), "main", { x: "hi" }, { backend: always, timeScale: 1000 })).rejects.toThrow("HTTP 500");
    expect(always.sent).toHaveLength(4);
    const bad = new Scripted(() => oops(400));
    await expect(runGraph(one(), "main", { x: "hi" }, { backend: bad, timeScale: 1000 })).rejects.toThrow("HTTP 400");
    expect(bad.sent).toHaveLength(1);
  });

  it("waits at least what retry-after asks", async () => {
    const backend = new Scripted((n) => (n === 0 ? oops(429, 3_000) : undefined));
    await runGraph(one(), "main", { x: "hi" }, { backend, timeScale: 10 });
    // 3 s of provider time at a scale of 10 is 300 ms.
    expect(backend.sent[1].at - backend.sent[0].at).toBeGreaterThanOrEqual(290);
  });

  it("hands a call that keeps failing to the next member of a fallback client", async () => {
    const ir = optimize(
      lowerSource(`
client a: openai.chat { model: "a", temperature: 0, retries: 1 }
client b: openai.chat { model: "b", temperature: 0 }
client safe: fallback(a, b)
graph main(x: string) -> string { safe(x) }
`),
    );
    const backend = new Scripted((_, req) => (req.client.name === "a" ? oops(502) : undefined));
    await runGraph(ir, "main", { x: "hi" }, { backend, timeScale: 1000 });
    expect(backend.sent.map((s) => s.client)).toEqual(["a", "a", "b"]);
  });
});

describe("pacing", () => {
  it("keeps rpm over every window: never more than rpm requests in any minute of provider time", async () => {
    const ir = optimize(lowerSource(`client gpt: openai.chat { model: "m", temperature: 0, rpm: 20 }\ngraph main(xs: string[]) -> string[] { for x in xs { gpt(x) } }\n`));
    const backend = new Scripted();
    const xs = Array.from({ length: 50 }, (_, i) => `q${i}`);
    // A minute lasts 200 ms here.
    await runGraph(ir, "main", { xs }, { backend, timeScale: 300 });
    const times = backend.sent.map((s) => s.at).sort((a, b) => a - b);
    expect(times).toHaveLength(50);
    for (let i = 20; i < times.length; i++) expect(times[i] - times[i - 20]).toBeGreaterThanOrEqual(199);
  });

  it("holds a client whose server says it has no requests left until the reset", async () => {
    const ir = optimize(lowerSource(`client gpt: openai.chat { model: "m", temperature: 0, max_concurrency: 1 }\ngraph main(xs: string[]) -> string[] { for x in xs { gpt(x) } }\n`));
    const spent = new Headers({ "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "2s" });
    const backend = new Scripted((n) => (n === 0 ? spent : undefined));
    await runGraph(ir, "main", { xs: ["a", "b"] }, { backend, timeScale: 10 });
    expect(backend.sent[1].at - backend.sent[0].at).toBeGreaterThanOrEqual(190);
  });

  it("reads Go durations as OpenAI sends them", () => {
    expect(goDurationMs("6m0s")).toBe(360_000);
    expect(goDurationMs("1.5s")).toBe(1_500);
    expect(goDurationMs("120ms")).toBe(120);
    expect(goDurationMs("1h2m3s")).toBe(3_723_000);
    expect(goDurationMs("soon")).toBeUndefined();
  });
});

describe("keep going", () => {
  const SRC = `
client gpt: openai.chat { model: "m", temperature: 0, retries: 0 }
client c: openai.completion { model: "c", temperature: 0, retries: 0 }
graph main(xs: string[]) -> string[][] {
  let first = for x in xs { gpt(x) }
  let second = for a in first { c("again: " + a) }
  let apart = [gpt("independent")]
  [first, second, apart]
}
`;
  const failOn = (text: string) => (_: number, req: CompleteRequest) => (JSON.stringify(req.prompts).includes(text) ? oops(400) : undefined);

  it("finishes every branch that does not depend on the failed call, and lists the failure", async () => {
    const ir = optimize(lowerSource(SRC));
    const clean = await runGraph(ir, "main", { xs: ["a", "b", "c"] }, { backend: new FakeBackend() });
    const backend = new Scripted(failOn('"b"'));
    const r = await runGraph(ir, "main", { xs: ["a", "b", "c"] }, { backend, keepGoing: true, timeScale: 1000 });
    const [first, second, apart] = clean.value as string[][];
    expect(r.value).toEqual([
      [first[0], null, first[2]],
      [second[0], null, second[2]],
      apart,
    ]);
    expect(r.failures).toHaveLength(1);
    const e = r.failures[0] as ProviderError;
    expect(e.message).toContain("HTTP 400");
    expect(SRC.slice(e.span!.start, e.span!.end)).toBe("gpt(x)");
    // The failed element's dependant was never sent.
    expect(backend.sent.filter((s) => s.client === "c").length).toBe(1);
  });

  it("without it, the first failure fails the run", async () => {
    const backend = new Scripted(failOn('"b"'));
    await expect(runGraph(optimize(lowerSource(SRC)), "main", { xs: ["a", "b", "c"] }, { backend, timeScale: 1000 })).rejects.toThrow("HTTP 400");
  });
});

describe("cool-down", () => {
  it("a member failing most calls is skipped for a while: calls go straight to the next one", async () => {
    const ir = optimize(
      lowerSource(`
client a: openai.chat { model: "a", temperature: 0, retries: 1, max_concurrency: 1 }
client b: openai.chat { model: "b", temperature: 0 }
client safe: fallback(a, b)
graph main(xs: string[]) -> string[] { for x in xs { safe(x) } }
`),
    );
    const backend = new Scripted((_, req) => (req.client.name === "a" ? oops(503) : undefined));
    const xs = Array.from({ length: 20 }, (_, i) => `q${i}`);
    const r = await runGraph(ir, "main", { xs }, { backend, timeScale: 1000 });
    expect(r.value).toHaveLength(20);
    // Without the cool-down `a` would take 2 attempts for each of the 20 calls.
    const toA = backend.sent.filter((s) => s.client === "a").length;
    expect(toA).toBeLessThan(20);
    expect(backend.sent.filter((s) => s.client === "b")).toHaveLength(20);
  });
});
