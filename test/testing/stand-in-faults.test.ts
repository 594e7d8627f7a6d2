/**
 * Fault injection and the rate limiter: each fault reaches the real SDKs as the error it
 * should, at the request indexes the options predict; the limiter lets exactly `requests`
 * through per scaled window, says so in OpenAI's headers, and resets when the window ends.
 */
import { CohereClientV2, CohereError } from "cohere-ai";
import OpenAI, { APIError } from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { startStandIn, type StandInOptions, type StandInServer } from "../../src/testing/index.js";
import { faultFor } from "../../src/testing/stand-in/faults.js";
import { createRateLimiter, goDuration } from "../../src/testing/stand-in/rate-limit.js";

let s: StandInServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

async function clients(options: StandInOptions, timeout?: number) {
  s = await startStandIn(options);
  const openai = new OpenAI({ apiKey: "test", baseURL: s.openaiBaseURL, maxRetries: 0, ...(timeout ? { timeout } : {}) });
  const cohere = new CohereClientV2({ token: "test", environment: s.cohereBaseURL, maxRetries: 0 });
  return { s, openai, cohere };
}

const chat = (content = "hi", extra: object = {}) => ({ model: "m", messages: [{ role: "user" as const, content }], ...extra });

/** Each promise's value or the error it rejected with, in order. */
async function outcomes(ps: readonly (() => Promise<unknown>)[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const p of ps) out.push(await p().catch((e: unknown) => e));
  return out;
}

const times = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

/** A Go duration (`6m0s`, `1.5s`, `120ms`, `0s`) in ms, or NaN when it is not one. */
function parseGoDuration(text: string): number {
  const ms = /^(\d+(?:\.\d+)?)ms$/.exec(text);
  if (ms) return Number(ms[1]);
  const hms = /^(?:(\d+)h)?(?:(\d+)m)?(\d+(?:\.\d+)?)s$/.exec(text);
  if (!hms) return NaN;
  return (Number(hms[1] ?? 0) * 3600 + Number(hms[2] ?? 0) * 60 + Number(hms[3])) * 1000;
}

async function post(server: StandInServer, path: string, body: unknown) {
  const r = await fetch(`${server.url}${path}`, { method: "POST", headers: { authorization: "Bearer t", "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: r.status, headers: r.headers, text: await r.text() };
}

describe("injected faults through openai-node", () => {
  it("errorEvery: every k-th request is a 500 APIError", async () => {
    const { s, openai } = await clients({ faults: { errorEvery: 3 } });
    const got = await outcomes(times(6, () => () => openai.chat.completions.create(chat())));
    got.forEach((g, i) => {
      if (i % 3 === 2) {
        expect(g).toBeInstanceOf(OpenAI.InternalServerError);
        expect((g as APIError).status).toBe(500);
        expect((g as APIError).message).toMatch(/^500 The server had an error/);
      } else expect(g).toMatchObject({ object: "chat.completion" });
    });
    expect(s.log.map((e) => [e.index, e.status, e.fault])).toEqual([
      [0, 200, undefined], [1, 200, undefined], [2, 500, "error"], [3, 200, undefined], [4, 200, undefined], [5, 500, "error"],
    ]);
    expect(s.requests()).toBe(6);
  });

  it("errorStatus picks the status, and refused requests draw no fault but still count", async () => {
    const { openai } = await clients({ faults: { errorEvery: 2, errorStatus: 503 } });
    const got = await outcomes([() => openai.chat.completions.create({ model: "", messages: [] }), () => openai.chat.completions.create(chat()), () => openai.chat.completions.create(chat())]);
    expect((got[0] as APIError).status).toBe(400);
    expect((got[1] as APIError).status).toBe(503);
    expect((got[1] as APIError).message).toMatch(/overloaded/);
    expect(got[2]).toMatchObject({ object: "chat.completion" });
  });

  it("tooManyEvery: a 429 RateLimitError with no retry or rate-limit headers", async () => {
    const { s, openai } = await clients({ faults: { tooManyEvery: 2 } });
    const got = await outcomes(times(4, () => () => openai.embeddings.create({ model: "e", input: "x" })));
    for (const i of [1, 3]) {
      const e = got[i] as APIError;
      expect(e).toBeInstanceOf(OpenAI.RateLimitError);
      expect(e.code).toBe("rate_limit_exceeded");
      expect([...e.headers!.keys()].filter((k) => /retry-after|ratelimit/.test(k))).toEqual([]);
    }
    expect(s.log.filter((e) => e.status === 429).map((e) => [e.index, e.fault])).toEqual([[1, "tooMany"], [3, "tooMany"]]);
  });

  it("dropEvery: the SDK sees a connection error; the log has status 0", async () => {
    const { s, openai } = await clients({ faults: { dropEvery: 2 } });
    const got = await outcomes(times(4, () => () => openai.chat.completions.create(chat())));
    expect(got.map((g) => (g as object).constructor.name)).toEqual(["Object", "APIConnectionError", "Object", "APIConnectionError"]);
    expect(s.log.map((e) => [e.status, e.fault])).toEqual([[200, undefined], [0, "drop"], [200, undefined], [0, "drop"]]);
  });

  it("stallEvery: a client with a short timeout times out; the answer still goes out late", async () => {
    const { s, openai } = await clients({ faults: { stallEvery: 2, stallMs: 300 } }, 100);
    const got = await outcomes(times(2, () => () => openai.chat.completions.create(chat())));
    expect(got[0]).toMatchObject({ object: "chat.completion" });
    expect(got[1]).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    await expect.poll(() => s.log.length, { timeout: 2000, interval: 20 }).toBe(2);
    const stalled = s.log[1];
    expect([stalled.index, stalled.status, stalled.fault]).toEqual([1, 200, "stall"]);
    expect(stalled.end - stalled.start).toBeGreaterThanOrEqual(299);
  });

  it("malformedEvery: a 200 whose body is cut off reaches the caller as a JSON SyntaxError", async () => {
    const { s, openai } = await clients({ faults: { malformedEvery: 1 } });
    const e = await openai.chat.completions.create(chat()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SyntaxError);
    const r = await post(s, "/v1/embeddings", { model: "e", input: "x" });
    expect(r.status).toBe(200);
    expect(() => JSON.parse(r.text)).toThrow(SyntaxError);
    expect(s.log.map((x) => [x.status, x.fault])).toEqual([[200, "malformed"], [200, "malformed"]]);
  });

  it("the first matching fault wins: drop, stall, error, tooMany, malformed", () => {
    const all = { dropEvery: 6, stallEvery: 5, errorEvery: 3, tooManyEvery: 2, malformedEvery: 1 };
    expect(times(7, (i) => faultFor(all, i))).toEqual(["malformed", "tooMany", "error", "tooMany", "stall", "drop", "malformed"]);
    expect(faultFor(undefined, 3)).toBeUndefined();
  });

  it("Cohere faults answer in Cohere's shape", async () => {
    const { s, cohere } = await clients({ faults: { errorEvery: 2, tooManyEvery: 3 } });
    const got = await outcomes(times(3, () => () => cohere.chat(chat())));
    expect(got[0]).toMatchObject({ finishReason: "COMPLETE" });
    expect(got[1]).toBeInstanceOf(CohereError);
    expect(got[1]).toMatchObject({ statusCode: 500, body: { message: "internal server error" } });
    expect(got[2]).toMatchObject({ statusCode: 429, body: { message: expect.any(String) } });
    expect(s.log.map((e) => e.fault)).toEqual([undefined, "error", "tooMany"]);
  });

  it("refuses settings that could not predict anything", async () => {
    await expect(startStandIn({ faults: { errorEvery: 0 } })).rejects.toThrow(/faults\.errorEvery must be a positive integer, got 0/);
    await expect(startStandIn({ faults: { dropEvery: 1.5 } })).rejects.toThrow(RangeError);
    await expect(startStandIn({ faults: { errorStatus: 200 } })).rejects.toThrow(/errorStatus/);
    await expect(startStandIn({ rateLimit: { requests: 0, windowMs: 1000 } })).rejects.toThrow(/rateLimit\.requests/);
  });
});

describe("rate limiter on a scaled clock", () => {
  it("lets exactly `requests` through a window, counts remaining down, then answers 429 the OpenAI way", async () => {
    // 60 s of provider time in 1 s of real time.
    const { s, openai } = await clients({ rateLimit: { requests: 5, windowMs: 60_000, timeScale: 60 } });
    expect(s.timeScale).toBe(60);
    const remaining: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { response } = await openai.chat.completions.create(chat()).withResponse();
      expect(response.headers.get("x-ratelimit-limit-requests")).toBe("5");
      remaining.push(response.headers.get("x-ratelimit-remaining-requests")!);
      const reset = parseGoDuration(response.headers.get("x-ratelimit-reset-requests")!);
      expect(reset).toBeGreaterThan(0);
      expect(reset).toBeLessThanOrEqual(60_000);
      expect(response.headers.get("x-ratelimit-limit-tokens")).toBeNull();
    }
    expect(remaining).toEqual(["4", "3", "2", "1", "0"]);

    const e = (await openai.chat.completions.create(chat()).catch((x: unknown) => x)) as APIError;
    expect(e).toBeInstanceOf(OpenAI.RateLimitError);
    expect(e.type).toBe("requests");
    expect(e.code).toBe("rate_limit_exceeded");
    const wait = Number(e.headers!.get("retry-after-ms"));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60_000);
    expect(e.headers!.get("retry-after")).toBe(String(Math.ceil(wait / 1000)));
    expect(e.headers!.get("x-ratelimit-remaining-requests")).toBe("0");
    const said = /^429 Rate limit reached for m in organization \S+ on requests per min \(RPM\): Limit 5, Used 5, Requested 1\. Please try again in (\S+)\.$/.exec(e.message);
    expect(said).not.toBeNull();
    expect(parseGoDuration(said![1])).toBe(wait);

    // Waiting what the server said, in real time, opens a new window.
    await new Promise((r) => setTimeout(r, wait / s.timeScale + 5));
    const { response } = await openai.chat.completions.create(chat()).withResponse();
    expect(response.headers.get("x-ratelimit-remaining-requests")).toBe("4");
    expect(s.log.map((x) => x.status)).toEqual([200, 200, 200, 200, 200, 429, 200]);
    expect(s.log[5].fault).toBe("rateLimit");
    expect(s.requests()).toBe(7);
  });

  it("states reset times in the provider's clock", async () => {
    s = await startStandIn({ rateLimit: { requests: 100, windowMs: 60_000, timeScale: 60 } });
    const first = await post(s, "/v1/embeddings", { model: "e", input: "x" });
    expect(first.headers.get("x-ratelimit-reset-requests")).toBe("1m0s");
    await new Promise((r) => setTimeout(r, 500));
    const later = parseGoDuration((await post(s, "/v1/embeddings", { model: "e", input: "x" })).headers.get("x-ratelimit-reset-requests")!);
    // 0.5 s of real time left in a 1 s window is 30 s of provider time (less whatever the event loop took).
    expect(later).toBeGreaterThan(15_000);
    expect(later).toBeLessThanOrEqual(30_000);
  });

  it("a burst of 200 concurrent requests gets exactly 60 through", async () => {
    const { s, openai } = await clients({ rateLimit: { requests: 60, windowMs: 60_000, timeScale: 10 } });
    const got = await Promise.all(times(200, (i) => openai.embeddings.create({ model: "e", input: `t${i}` }).then(() => 200, (e: APIError) => e.status)));
    expect(got.filter((x) => x === 200)).toHaveLength(60);
    expect(got.filter((x) => x === 429)).toHaveLength(140);
    expect(s.log.filter((x) => x.fault === "rateLimit")).toHaveLength(140);
  });

  it("retryHeaders: false leaves out retry-after but keeps the rate-limit headers", async () => {
    s = await startStandIn({ rateLimit: { requests: 1, windowMs: 60_000, retryHeaders: false } });
    await post(s, "/v1/embeddings", { model: "e", input: "x" });
    const r = await post(s, "/v1/embeddings", { model: "e", input: "x" });
    expect(r.status).toBe(429);
    expect(r.headers.get("retry-after-ms")).toBeNull();
    expect(r.headers.get("retry-after")).toBeNull();
    expect(r.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    expect(JSON.parse(r.text).error).toMatchObject({ type: "requests", code: "rate_limit_exceeded", param: null });
  });

  it("a token limit charges prompt tokens plus max_tokens per choice", async () => {
    s = await startStandIn({ rateLimit: { requests: 100, windowMs: 60_000, tokens: 50 } });
    // "hi" is 1 token; max_tokens 20 makes 21 per request.
    const a = await post(s, "/v1/chat/completions", chat("hi", { max_tokens: 20 }));
    expect([a.headers.get("x-ratelimit-limit-tokens"), a.headers.get("x-ratelimit-remaining-tokens")]).toEqual(["50", "29"]);
    expect(parseGoDuration(a.headers.get("x-ratelimit-reset-tokens")!)).toBeGreaterThan(0);
    const b = await post(s, "/v1/chat/completions", chat("hi", { max_tokens: 20 }));
    expect(b.headers.get("x-ratelimit-remaining-tokens")).toBe("8");
    const c = await post(s, "/v1/chat/completions", chat("hi", { max_tokens: 20 }));
    expect(c.status).toBe(429);
    const body = JSON.parse(c.text).error;
    expect(body.type).toBe("tokens");
    expect(body.message).toMatch(/on tokens per min \(TPM\): Limit 50, Used 42, Requested 21\. Please try again in /);
    expect(c.headers.get("retry-after-ms")).not.toBeNull();
    // Small enough requests still fit; too large for any window is refused with no promise of a retry.
    expect((await post(s, "/v1/embeddings", { model: "e", input: "x" })).status).toBe(200);
    const huge = await post(s, "/v1/chat/completions", chat("hi", { max_tokens: 100, n: 2 }));
    expect(huge.status).toBe(429);
    expect(JSON.parse(huge.text).error.message).toMatch(/^Request too large for m .*Limit 50, Requested 201\. The input or output tokens must be reduced/);
    expect(huge.headers.get("retry-after-ms")).toBeNull();
  });

  it("Cohere: 429 with { message } and retry headers, no x-ratelimit headers", async () => {
    const { s, cohere } = await clients({ rateLimit: { requests: 1, windowMs: 60_000 } });
    const ok = await post(s, "/v2/chat", chat());
    expect(ok.status).toBe(200);
    expect([...ok.headers.keys()].filter((k) => k.startsWith("x-ratelimit"))).toEqual([]);
    const e = await cohere.chat(chat()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CohereError);
    expect(e).toMatchObject({ statusCode: 429, body: { message: expect.stringMatching(/^Rate limit reached for m .*Limit 1, Used 1, Requested 1/) } });
  });

  it("reset() forgets the window; faults other than stalls bypass the limiter", async () => {
    s = await startStandIn({ rateLimit: { requests: 1, windowMs: 60_000 }, faults: { errorEvery: 2 } });
    const statuses = async (n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await post(s!, "/v1/embeddings", { model: "e", input: "x" })).status);
      return out;
    };
    expect(await statuses(3)).toEqual([200, 500, 429]);
    s.reset();
    expect(await statuses(2)).toEqual([200, 500]);
  });

  it("windows open at the first request after the last one ended (unit, fake clock)", () => {
    let now = 0;
    const limiter = createRateLimiter({ requests: 2, windowMs: 60_000, timeScale: 60 }, () => now);
    expect(limiter.admit(0).admitted).toBe(true);
    now = 400;
    expect(limiter.admit(0)).toMatchObject({ admitted: true, headers: { "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "36s" } });
    now = 999;
    expect(limiter.admit(0)).toMatchObject({ admitted: false, limit: "requests", retryAfterMs: 60 });
    now = 1000;
    expect(limiter.admit(0)).toMatchObject({ admitted: true, headers: { "x-ratelimit-remaining-requests": "1", "x-ratelimit-reset-requests": "1m0s" } });
  });

  it("states an admitted answer's reset as of when the answer leaves (unit, fake clock)", () => {
    const limiter = createRateLimiter({ requests: 2, windowMs: 60_000, timeScale: 60 }, () => 0);
    // Answered 300 real ms after admission: 700 ms of the 1 s window are left then, 42 s of provider time.
    expect(limiter.admit(0, 300)).toMatchObject({ admitted: true, headers: { "x-ratelimit-reset-requests": "42s" } });
  });

  it("prints durations as Go does", () => {
    const cases: [number, string][] = [[0, "0s"], [120, "120ms"], [999, "999ms"], [1000, "1s"], [1200, "1.2s"], [59_059, "59.059s"], [60_000, "1m0s"], [360_000, "6m0s"], [432_500, "7m12.5s"], [3_600_000, "1h0m0s"], [3_661_001, "1h1m1.001s"]];
    for (const [ms, text] of cases) {
      expect(goDuration(ms)).toBe(text);
      expect(parseGoDuration(text)).toBe(ms);
    }
  });
});
