/**
 * Probe 1 and 2: a hostile server that echoes the Authorization header in its 401, 400 and
 * 500 bodies, three key shapes (a short `sk-` key, a Cohere-style key with no prefix, a key
 * pasted with its `\r\n`), and a `base_url` with a password. The key and the password never
 * appear on stdout (plain or `--json`), stderr, the trace, the cache file or, for a run on
 * BullMQ workers, any value Redis holds.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis } from "../support/redis-server.js";
import { spawnWorker } from "../support/workers.js";
import { feste, scratch } from "./support.js";

/** Every key and value Redis holds, as text, whatever the key's type. */
async function everythingIn(url: string): Promise<string> {
  const redis = new Redis(url, { lazyConnect: true });
  await redis.connect();
  try {
    const out: string[] = [];
    for (const key of await redis.keys("*")) {
      out.push(key);
      const type = await redis.type(key);
      if (type === "string") out.push((await redis.get(key)) ?? "");
      else if (type === "hash") out.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === "list") out.push(...(await redis.lrange(key, 0, -1)));
      else if (type === "set") out.push(...(await redis.smembers(key)));
      else if (type === "zset") out.push(...(await redis.zrangebyscore(key, "-inf", "+inf")));
      else if (type === "stream") out.push(JSON.stringify(await redis.xrange(key, "-", "+")));
      else out.push(`<${type}>`);
    }
    return out.join("\n");
  } finally {
    redis.disconnect();
  }
}

/** Answers 200 with a well-formed chat answer, or the status a prompt names, echoing the key. */
function echoServer(): Promise<{ server: Server; url: string; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      const auth = req.headers.authorization ?? "";
      seen.push(auth);
      const key = auth.replace(/^Bearer\s+/i, "");
      const status = /status(\d{3})/.exec(body)?.[1];
      res.setHeader("content-type", "application/json");
      if (status) {
        res.statusCode = Number(status);
        res.end(JSON.stringify({ error: { message: `rejected key ${key} (header ${auth})` }, message: `key=${key}` }));
      } else if (req.url?.includes("/v2/")) {
        res.end(JSON.stringify({ id: "a", finish_reason: "COMPLETE", message: { role: "assistant", content: [{ type: "text", text: "fine" }] }, usage: { tokens: { input_tokens: 1, output_tokens: 1 } } }));
      } else {
        res.end(JSON.stringify({ id: "a", object: "chat.completion", created: 0, model: "m", choices: [{ index: 0, message: { role: "assistant", content: "fine" }, finish_reason: "stop" }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
      }
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, seen })));
}

const program = (endpoint: string, baseURL: string) => `client m: ${endpoint} { model: "m", temperature: 0, retries: 0, base_url: "${baseURL}" }
graph main() -> string[] { [m("fine"), m("status401"), m("status400"), m("status500")] }
`;

const SHAPES = [
  { name: "a short sk- key", endpoint: "openai.chat", variable: "OPENAI_API_KEY", key: "sk-abc12345", secret: "sk-abc12345" },
  { name: "a Cohere-style key with no prefix", endpoint: "cohere.chat", variable: "CO_API_KEY", key: "Xk9f2LmQ7pR4tV8wZ1yB3nC6dE0gH5jK2sA7uT9o", secret: "Xk9f2LmQ7pR4tV8wZ1yB3nC6dE0gH5jK2sA7uT9o" },
  { name: "a key ending in \\r\\n", endpoint: "openai.chat", variable: "OPENAI_API_KEY", key: "plainkey-0123456789abcdef\r\n", secret: "plainkey-0123456789abcdef" },
] as const;

describe("API keys and URL credentials never appear in any output", () => {
  let echo: Awaited<ReturnType<typeof echoServer>>;
  beforeAll(async () => {
    echo = await echoServer();
  });
  afterAll(() => new Promise<void>((resolve) => echo.server.close(() => resolve())));

  for (const shape of SHAPES) {
    it(`${shape.name}: not on stdout, stderr, the trace or the cache, in plain and --json runs`, async () => {
      const s = scratch();
      const file = s.file("main.feste", program(shape.endpoint, echo.url));
      const env = { OPENAI_API_KEY: "", CO_API_KEY: "", [shape.variable]: shape.key };
      const runs = await Promise.all(
        [[], ["--json"]].map((extra) =>
          feste(["exec", file, "--keep-going", "--cache", join(s.dir, `cache${extra.length}.sqlite`), "--trace", join(s.dir, `trace${extra.length}.json`), ...extra], { env }),
        ),
      );
      const files = ["cache0.sqlite", "cache1.sqlite", "trace0.json", "trace1.json"].map((f) => readFileSync(join(s.dir, f)).toString("latin1"));
      // The server did see the key, and echoed it: the probe is real.
      expect(echo.seen.some((a) => a.includes(shape.secret))).toBe(true);
      for (const r of runs) {
        expect(r.code).toBe(1);
        expect(r.out + r.err).toContain("rejected key [redacted]");
        expect(r.out + r.err).toMatch(/401/);
      }
      expect(readFileSync(join(s.dir, "cache0.sqlite")).toString("latin1")).toContain("fine");
      const everything = [...runs.flatMap((r) => [r.out, r.err]), ...files].join("\n");
      expect(everything).not.toContain(shape.secret);
      expect(everything).not.toContain(shape.secret.slice(4, 12));
    }, 30_000);
  }

  it("a run on BullMQ workers: the key is in no value Redis holds, nor on either process's output", async () => {
    const shape = SHAPES[2];
    const env = { OPENAI_API_KEY: shape.key };
    const redis = await startRedis();
    const worker = await spawnWorker(redis.url, [], env).catch(async (e) => {
      await redis.stop();
      throw e;
    });
    try {
      const s = scratch();
      const file = s.file("main.feste", program(shape.endpoint, echo.url));
      const seenBefore = echo.seen.length;
      const r = await feste(["exec", file, "--keep-going", "--no-cache", "--scheduler", "bullmq", "--redis", redis.url], { env: { CO_API_KEY: "", ...env } });
      // The worker sent the requests with the key, and the server echoed it back in its errors.
      expect(echo.seen.slice(seenBefore).some((a) => a.includes(shape.secret))).toBe(true);
      expect(r.code).toBe(1);
      expect(r.out + r.err).toContain("rejected key [redacted]");
      const stored = await everythingIn(redis.url);
      expect(stored).toContain("fine");
      for (const text of [stored, r.out, r.err, worker.output()]) {
        expect(text).not.toContain(shape.secret);
        expect(text).not.toContain(shape.secret.slice(4, 12));
      }
    } finally {
      await worker.stop();
      await redis.stop();
    }
  }, 60_000);

  it("warns once, in one line, that a key with a line ending is used trimmed", async () => {
    const s = scratch();
    const file = s.file("main.feste", `client m: openai.chat { model: "m", temperature: 0, base_url: "${echo.url}" }\ngraph main() -> string { m("fine") }\n`);
    const r = await feste(["exec", file, "--no-cache"], { env: { OPENAI_API_KEY: "plainkey-0123456789abcdef\r\n" } });
    expect(r.code).toBe(0);
    expect(r.err.match(/^warning: OPENAI_API_KEY .*trimmed$/gm)).toHaveLength(1);
    expect(echo.seen.at(-1)).toBe("Bearer plainkey-0123456789abcdef");
  });

  it("a base_url's user and password: not on stderr, stdout or the trace", async () => {
    const s = scratch();
    const file = s.file("main.feste", `client m: openai.chat { model: "m", temperature: 0, retries: 0, base_url: "http://alice:hunter2-secret@127.0.0.1:9/v1" }\ngraph main() -> string { m("hi") }\n`);
    const runs = await Promise.all([[], ["--json"]].map((extra) => feste(["exec", file, "--no-cache", "--trace", join(s.dir, `t${extra.length}.json`), ...extra], { env: { OPENAI_API_KEY: "sk-whatever-0000" } })));
    const everything = [...runs.flatMap((r) => [r.out, r.err]), readFileSync(join(s.dir, "t0.json"), "utf8"), readFileSync(join(s.dir, "t1.json"), "utf8")].join("\n");
    for (const r of runs) expect(r.code).toBe(1);
    expect(everything).toContain("FE4004");
    expect(everything).not.toContain("hunter2");
    expect(everything).not.toContain("alice");
  });
});
