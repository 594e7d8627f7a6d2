/**
 * The persistent answer cache: hits and misses counted on a fake backend's requests, keys
 * that tell apart every request that could be answered differently (and only those), bad
 * files refused with FE4009 and left untouched, no API key in the file, concurrent writers,
 * and a run killed with SIGKILL that re-sends, when run again, only what had not finished.
 */
import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { IrClient, Settings } from "../../src/ir/nodes.js";
import { FesteRuntimeError } from "../../src/ir/errors.js";
import type { Type } from "../../src/ir/types.js";
import type { Data, PromptValue } from "../../src/ir/value.js";
import { optimize } from "../../src/phases/4-optimize/index.js";
import { providerBackend } from "../../src/providers/index.js";
import type { CompleteRequest, EmbedRequest, ModelBackend, RerankRequest } from "../../src/runtime/backend.js";
import { cachingBackend, openCache, type AnswerCache } from "../../src/runtime/cache/index.js";
import { runGraph } from "../../src/runtime/run.js";
import { FakeBackend, startStandIn } from "../../src/testing/index.js";
import { lowerSource } from "../support/pipeline.js";
import { CRASH_PROGRAM, crashInputs } from "./fixtures/cache/programs.js";
import { promptOf } from "./fixtures/cache/prompts.js";

const dir = mkdtempSync(join(tmpdir(), "feste-cache-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
const freshPath = () => join(dir, `c${fileNo++}`, "cache.sqlite");

const STRING: Type = { kind: "string" };
const chat = (settings: Settings = {}, more: Partial<IrClient> = {}): IrClient => ({
  name: "gpt",
  provider: "openai",
  endpoint: "openai.chat",
  kind: "chat",
  settings: { model: "gpt-test", temperature: 0, ...settings },
  ...more,
});
const embedder: IrClient = { name: "emb", provider: "openai", endpoint: "openai.embedding", kind: "embedding", settings: { model: "e" } };
const reranker: IrClient = { name: "rr", provider: "cohere", endpoint: "cohere.rerank", kind: "rerank", settings: { model: "r" } };

function ask(client: IrClient, prompts: readonly PromptValue[], output: Type = STRING, settings: Settings = {}): CompleteRequest {
  const types = { Verdict: { kind: "record" as const, name: "Verdict", fields: [{ name: "ok", type: { kind: "bool" as const }, optional: false }] } };
  return { client, settings, prompts, output, types };
}
const prompts = (...texts: string[]) => texts.map((t) => promptOf(t));

/** An inner backend that counts requests and items and numbers its answers, so samples differ. */
class Counter implements ModelBackend {
  readonly sent: string[][] = [];
  private n = 0;
  fail = false;
  async complete(req: CompleteRequest): Promise<Data[]> {
    this.record(req.prompts.map((p) => p.$prompt.messages.map((m) => m.content).join("|")));
    // Answers fit the call's type: a cached value that does not is a miss.
    if (req.output.kind === "record") return req.prompts.map(() => ({ ok: this.n++ % 2 === 0 }));
    if (req.output.kind === "int") return req.prompts.map(() => this.n++);
    return req.prompts.map((p) => `answer ${this.n++} to ${p.$prompt.messages.at(-1)!.content}`);
  }
  async embed(req: EmbedRequest): Promise<number[][]> {
    this.record([...req.texts]);
    return req.texts.map((t) => [t.length, this.n++ / 10]);
  }
  async rerank(req: RerankRequest): Promise<Data> {
    this.record([req.query]);
    return req.documents.map((document, index) => ({ index, score: 1 / (index + 1), document }));
  }
  get requests(): number {
    return this.sent.length;
  }
  get items(): number {
    return this.sent.flat().length;
  }
  private record(items: string[]) {
    this.sent.push(items);
    if (this.fail) throw new FesteRuntimeError("FE4004", "client `gpt`: the provider said no");
  }
}

let cache: AnswerCache;
beforeEach(async () => {
  cache?.close();
  cache = await openCache(freshPath());
});

describe("hits and misses", () => {
  it("a second identical run sends no request, and answers the same", async () => {
    const first = new Counter();
    const a = await cachingBackend(first, cache).complete(ask(chat(), prompts("a", "b", "c")));
    expect(first.requests).toBe(1);
    const again = new Counter();
    const b = await cachingBackend(again, cache).complete(ask(chat(), prompts("a", "b", "c")));
    expect(again.requests).toBe(0);
    expect(b).toEqual(a);
    expect(cache.stats).toEqual({ hits: 3, misses: 3, writes: 3 });
  });

  it("a batch of 5 with 2 cached sends one request with the 3 others, answers in order", async () => {
    await cachingBackend(new Counter(), cache).complete(ask(chat(), prompts("b", "d")));
    const inner = new Counter();
    const out = await cachingBackend(inner, cache).complete(ask(chat(), prompts("a", "b", "c", "d", "e")));
    expect(inner.sent).toEqual([["a", "c", "e"]]);
    expect(out).toEqual(["answer 0 to a", "answer 0 to b", "answer 1 to c", "answer 1 to d", "answer 2 to e"]);
  });

  it("survives closing and reopening the file", async () => {
    const path = cache.path;
    await cachingBackend(new Counter(), cache).complete(ask(chat(), prompts("a")));
    cache.close();
    cache = await openCache(path);
    const inner = new Counter();
    expect(await cachingBackend(inner, cache).complete(ask(chat(), prompts("a")))).toEqual(["answer 0 to a"]);
    expect(inner.requests).toBe(0);
  });

  it("embeddings and rerankings are cached too", async () => {
    const first = new Counter();
    const backend = cachingBackend(first, cache);
    const vectors = await backend.embed({ client: embedder, settings: {}, texts: ["x", "yy"] });
    const ranking = await backend.rerank({ client: reranker, settings: {}, query: "q", documents: ["d1", "d2"] });
    const again = new Counter();
    const other = cachingBackend(again, cache);
    expect(await other.embed({ client: embedder, settings: {}, texts: ["yy", "z", "x"] })).toEqual([vectors[1], [1, 0], vectors[0]]);
    expect(await other.rerank({ client: reranker, settings: {}, query: "q", documents: ["d1", "d2"] })).toEqual(ranking);
    expect(again.sent).toEqual([["z"]]);
    // Another document list is another reranking.
    await other.rerank({ client: reranker, settings: {}, query: "q", documents: ["d1", "d3"] });
    expect(again.requests).toBe(2);
  });

  it("equal items of a deterministic request are sent once", async () => {
    const inner = new Counter();
    const out = await cachingBackend(inner, cache).embed({ client: embedder, settings: {}, texts: ["x", "y", "x"] });
    expect(inner.sent).toEqual([["x", "y"]]);
    expect(out[2]).toEqual(out[0]);
  });

  it("a failed request writes nothing, and the retry sends it again", async () => {
    const inner = new Counter();
    inner.fail = true;
    const backend = cachingBackend(inner, cache);
    await expect(backend.complete(ask(chat(), prompts("a")))).rejects.toThrow("the provider said no");
    inner.fail = false;
    expect(await backend.complete(ask(chat(), prompts("a")))).toEqual(["answer 0 to a"]);
    expect(inner.requests).toBe(2);
    expect(cache.stats.writes).toBe(1);
  });

  it("an empty request goes to the inner backend as it is", async () => {
    const inner = new Counter();
    expect(await cachingBackend(inner, cache).complete(ask(chat(), []))).toEqual([]);
    expect(inner.requests).toBe(1);
  });
});

describe("samples at a temperature above 0", () => {
  const warm = chat({ temperature: 0.9 });

  it("equal prompts keep answers of their own, and a re-run replays them in order without paying", async () => {
    const first = new Counter();
    const backend = cachingBackend(first, cache);
    const a = await backend.complete(ask(warm, prompts("p", "p", "q")));
    const b = await backend.complete(ask(warm, prompts("p")));
    expect(a).toEqual(["answer 0 to p", "answer 1 to p", "answer 2 to q"]);
    expect(b).toEqual(["answer 3 to p"]);
    const again = new Counter();
    const rerun = cachingBackend(again, cache);
    expect(await rerun.complete(ask(warm, prompts("p", "p", "q")))).toEqual(a);
    expect(await rerun.complete(ask(warm, prompts("p")))).toEqual(b);
    expect(again.requests).toBe(0);
    // A fifth sample is new.
    expect(await rerun.complete(ask(warm, prompts("p")))).toEqual(["answer 0 to p"]);
    expect(again.requests).toBe(1);
  });

  it("a failed request gives its sample numbers back to the retry", async () => {
    const inner = new Counter();
    const backend = cachingBackend(inner, cache);
    inner.fail = true;
    await expect(backend.complete(ask(warm, prompts("p")))).rejects.toThrow();
    inner.fail = false;
    await backend.complete(ask(warm, prompts("p")));
    const again = new Counter();
    await cachingBackend(again, cache).complete(ask(warm, prompts("p")));
    expect(again.requests).toBe(0);
  });

  it("with dedupe: true equal prompts share one answer", async () => {
    const inner = new Counter();
    const out = await cachingBackend(inner, cache).complete(ask(chat({ temperature: 0.9, dedupe: true }), prompts("p", "p")));
    expect(out).toEqual(["answer 0 to p", "answer 0 to p"]);
    expect(inner.items).toBe(1);
  });
});

describe("keys", () => {
  /** Sends "a" under `first`, then under `second`; true if the second was a hit. */
  async function hits(first: CompleteRequest, second: CompleteRequest): Promise<boolean> {
    cache.close();
    cache = await openCache(freshPath());
    await cachingBackend(new Counter(), cache).complete(first);
    const inner = new Counter();
    await cachingBackend(inner, cache).complete(second);
    return inner.requests === 0;
  }
  const base = ask(chat(), prompts("a"));

  it.each<[string, CompleteRequest]>([
    ["the model", ask(chat({ model: "other" }), prompts("a"))],
    ["the temperature", ask(chat({ temperature: 0.5 }), prompts("a"))],
    ["a per-call setting", ask(chat(), prompts("a"), STRING, { max_tokens: 5 })],
    ["top_p", ask(chat({ top_p: 0.5 }), prompts("a"))],
    ["stop", ask(chat({ stop: ["\n"] }), prompts("a"))],
    ["seed", ask(chat({ seed: 1 }), prompts("a"))],
    ["a penalty", ask(chat({ presence_penalty: 1 }), prompts("a"))],
    ["the endpoint", ask(chat({}, { endpoint: "openai.completion", kind: "completion" }), prompts("a"))],
    ["the provider", ask(chat({}, { provider: "cohere", endpoint: "cohere.chat" }), prompts("a"))],
    ["the output type", ask(chat(), prompts("a"), { kind: "int" })],
    ["a record type's schema", ask(chat(), prompts("a"), { kind: "record", name: "Verdict", file: "main.feste" } as Type)],
    ["a role", ask(chat(), [{ $prompt: { lang: "en", messages: [{ role: "system", content: "a" }] } }])],
    ["a system message", ask(chat(), [promptOf("a", "be brief")])],
    ["the prompt's language", ask(chat(), [{ $prompt: { lang: "fr", messages: [{ role: "user", content: "a" }] } }])],
  ])("%s tells requests apart", async (_what, other) => {
    expect(await hits(base, other)).toBe(false);
  });

  it("the schema of a record type is part of the key", async () => {
    const record = { kind: "record", name: "Verdict", file: "main.feste" } as Type;
    const withField = (name: string): CompleteRequest => ({
      ...ask(chat(), prompts("a"), record),
      types: { Verdict: { kind: "record", name: "Verdict", fields: [{ name, type: { kind: "bool" }, optional: false }] } },
    });
    expect(await hits(withField("ok"), withField("ok"))).toBe(true);
    expect(await hits(withField("ok"), withField("fine"))).toBe(false);
  });

  it.each<[string, Settings]>([
    ["api_key", { api_key: "sk-other" }],
    ["base_url", { base_url: "http://proxy.local/v1" }],
    ["max_concurrency", { max_concurrency: 3 }],
    ["rpm and tpm", { rpm: 10, tpm: 1000 }],
    ["timeout and retries", { timeout: 5, retries: 9 }],
    ["max_batch", { max_batch: 4 }],
    ["batch_endpoint", { batch_endpoint: true }],
  ])("changing %s still hits", async (_what, settings) => {
    expect(await hits(base, ask(chat(settings), prompts("a")))).toBe(true);
  });

  it("a setting the call gives is the same as the client's", async () => {
    expect(await hits(ask(chat({ temperature: 0 }), prompts("a")), ask(chat({ temperature: 0.7 }), prompts("a"), STRING, { temperature: 0 }))).toBe(true);
  });

  it("embedding settings: dimensions and input_type tell apart", async () => {
    const backend = cachingBackend(new Counter(), cache);
    await backend.embed({ client: embedder, settings: {}, texts: ["x"] });
    const inner = new Counter();
    const other = cachingBackend(inner, cache);
    await other.embed({ client: embedder, settings: { dimensions: 4 }, texts: ["x"] });
    await other.embed({ client: { ...embedder, provider: "cohere", endpoint: "cohere.embedding" }, settings: { input_type: "search_query" }, texts: ["x"] });
    await other.rerank({ client: reranker, settings: { top_n: 1 }, query: "x", documents: ["x"] });
    expect(inner.requests).toBe(3);
  });

  it("a model named by a variable is read from the environment; an unset one bypasses the cache", async () => {
    const client = chat({ model: { env: "FESTE_TEST_MODEL" } });
    const run = async (env: Record<string, string>) => {
      const inner = new Counter();
      await cachingBackend(inner, cache, { env }).complete(ask(client, prompts("a")));
      return inner.requests;
    };
    expect(await run({ FESTE_TEST_MODEL: "m1" })).toBe(1);
    expect(await run({ FESTE_TEST_MODEL: "m1" })).toBe(0);
    expect(await run({ FESTE_TEST_MODEL: "m2" })).toBe(1);
    expect(await run({})).toBe(1);
    expect(await run({})).toBe(1);
  });

  it("a combinator client is not cached (the backend is given its members)", async () => {
    const client = chat({}, { combinator: { name: "fallback", members: ["a", "b"] } });
    const inner = new Counter();
    await cachingBackend(inner, cache).complete(ask(client, prompts("a")));
    await cachingBackend(inner, cache).complete(ask(client, prompts("a")));
    expect(inner.requests).toBe(2);
  });
});

describe("bad files", () => {
  const refused = async (path: string) => {
    try {
      (await openCache(path)).close();
    } catch (e) {
      expect(e).toBeInstanceOf(FesteRuntimeError);
      return e as FesteRuntimeError;
    }
    throw new Error("the file was accepted");
  };

  it("a file that is not a database: FE4009, the file left as it was", async () => {
    const path = join(dir, "garbage.sqlite");
    const bytes = Buffer.from("this is not a database at all, just some text a user left here\n".repeat(80));
    writeFileSync(path, bytes);
    const e = await refused(path);
    expect(e.code).toBe("FE4009");
    expect(e.message).toBe(`the cache file \`${path}\` is not a Feste cache: it is not an SQLite database; delete it, or run with --no-cache`);
    expect(readFileSync(path)).toEqual(bytes);
  });

  it("an SQLite database of another program: FE4009, not touched", async () => {
    const path = join(dir, "foreign.sqlite");
    const other = new Database(path);
    other.exec("CREATE TABLE answers (key TEXT, value TEXT); INSERT INTO answers VALUES ('k', 'v')");
    other.close();
    const before = readFileSync(path);
    const e = await refused(path);
    expect(e.code).toBe("FE4009");
    expect(e.message).toContain("is not a Feste cache: it is an SQLite database of another program");
    expect(readFileSync(path)).toEqual(before);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it("a cache written by a newer Feste: FE4009 naming both formats", async () => {
    const path = cache.path;
    cache.close();
    const db = new Database(path);
    db.pragma("user_version = 99");
    db.close();
    const e = await refused(path);
    expect(e.message).toContain("was written by a newer version of Feste (cache format 99, this one reads 1)");
    cache = await openCache(freshPath());
  });

  it("a cache of an older format is cleared, with a warning", async () => {
    const path = cache.path;
    await cachingBackend(new Counter(), cache).complete(ask(chat(), prompts("a")));
    cache.close();
    const db = new Database(path);
    db.pragma("user_version = 0");
    db.close();
    cache = await openCache(path);
    expect(cache.warnings).toEqual([`the cache file \`${path}\` was written by an older version of Feste (cache format 0); its answers were cleared`]);
    const inner = new Counter();
    await cachingBackend(inner, cache).complete(ask(chat(), prompts("a")));
    expect(inner.requests).toBe(1);
  });

  it("a damaged file: FE4009 when the damage is read, never an answer from it", async () => {
    const path = cache.path;
    const backend = cachingBackend(new Counter(), cache);
    for (let i = 0; i < 40; i++) await backend.complete(ask(chat(), prompts(`${i}`.repeat(200))));
    cache.close();
    const bytes = readFileSync(path);
    // Keep the header, scribble over every page after the first.
    for (let i = 4096; i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
    writeFileSync(path, bytes);
    let error: unknown;
    try {
      cache = await openCache(path);
      await cachingBackend(new Counter(), cache).complete(ask(chat(), prompts("0".repeat(200))));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FesteRuntimeError);
    expect((error as FesteRuntimeError).code).toBe("FE4009");
    expect((error as FesteRuntimeError).message).toMatch(/is damaged: database disk image is malformed|is not a Feste cache/);
    cache = await openCache(freshPath());
  });

  it("a stored answer that cannot be read is a miss, and is replaced", async () => {
    const path = cache.path;
    await cachingBackend(new Counter(), cache).embed({ client: embedder, settings: {}, texts: ["x"] });
    const db = new Database(path);
    db.prepare("UPDATE answers SET value = ?").run('{"not": "a vector"');
    db.close();
    const inner = new Counter();
    const out = await cachingBackend(inner, cache).embed({ client: embedder, settings: {}, texts: ["x"] });
    expect(inner.requests).toBe(1);
    expect(out).toEqual([[1, 0]]);
  });

  it("folders are created; a folder as the path is refused", async () => {
    const nested = join(dir, "a", "b", "c", "cache.sqlite");
    (await openCache(nested)).close();
    expect(existsSync(nested)).toBe(true);
    const e = await refused(join(dir, "a"));
    expect(e.code).toBe("FE4030");
    expect(e.message).toMatch(/^the cache file `.*` cannot be written: .*; nothing was sent$/);
  });
});

it("the API key appears nowhere in the file", async () => {
  const KEY = "sk-FESTE-FAKE-KEY-6f1c2e9a8b7d";
  const server = await startStandIn();
  try {
    const path = freshPath();
    const ir = optimize(
      lowerSource(`
client gpt: openai.chat { model: "m", temperature: 0 }
client other: openai.chat { model: "n", temperature: 0.7, api_key: env("FESTE_TEST_KEY") }
client emb: openai.embedding { model: "e", api_key: env("FESTE_TEST_KEY") }
prompt ask(x: string) """Q: {{ x }}"""
graph main(xs: string[]) -> string[] {
  for x in xs { other(ask(gpt(ask(x)))) }
}
graph vectors(xs: string[]) -> float[][] {
  for x in xs { emb(x) }
}
`),
    );
    const seen: string[] = [];
    // `gpt` reads OPENAI_API_KEY, the others their own variable: both paths carry the key.
    const env = { FESTE_TEST_KEY: KEY, OPENAI_API_KEY: KEY };
    const inner = providerBackend({ env, override: () => ({ baseURL: server.openaiBaseURL }) });
    const spy: ModelBackend = {
      complete: (r) => (seen.push(JSON.stringify(r.client.settings)), inner.complete(r)),
      embed: (r) => inner.embed(r),
      rerank: (r) => inner.rerank(r),
    };
    const c = await openCache(path);
    const backend = cachingBackend(spy, c, { env });
    await runGraph(ir, "main", { xs: ["a", "b", "c"] }, { backend });
    await runGraph(ir, "vectors", { xs: ["a", "b", "c"] }, { backend });
    expect(c.stats.writes).toBe(9);
    expect(seen.join()).toContain("FESTE_TEST_KEY"); // the cache saw requests whose key it had to resolve
    for (const suffix of ["", "-wal", "-shm"]) {
      if (!existsSync(path + suffix)) continue;
      const raw = readFileSync(path + suffix);
      expect(raw.includes(KEY), suffix).toBe(false);
      expect(raw.includes("FESTE-FAKE-KEY"), suffix).toBe(false);
    }
    c.close();
    const raw = readFileSync(path);
    expect(raw.includes("FESTE-FAKE-KEY")).toBe(false);
  } finally {
    await server.close();
  }
});

/** Runs `node --import tsx SCRIPT ARGS`; resolves with its exit and output. */
function child(script: string, args: string[], onStart?: (kill: () => void) => void) {
  const p = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "fixtures/cache", script), ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  p.stdout.on("data", (d) => (out += d));
  p.stderr.on("data", (d) => (err += d));
  onStart?.(() => p.kill("SIGKILL"));
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((done) =>
    p.on("close", (code, signal) => done({ code, signal, out, err })),
  );
}

it("two processes writing one file at once leave it whole, every answer right", async () => {
  const path = freshPath();
  (await openCache(path)).close();
  // Prompts 0..2999 and 1500..4499, 5 per transaction: 1500 in common, written by whichever gets there first.
  const runs = await Promise.all([child("writer.ts", [path, "0", "3000"]), child("writer.ts", [path, "1500", "3000"])]);
  expect(runs.map((r) => r.err).join("")).toBe("");
  const [a, b] = runs.map((r) => JSON.parse(r.out) as { hits: number; misses: number; writes: number; started: number; ended: number });
  // They did write at the same time.
  expect(a.started).toBeLessThan(b.ended);
  expect(b.started).toBeLessThan(a.ended);
  expect(a.hits + a.misses).toBe(3000);
  expect(a.writes + b.writes).toBeGreaterThanOrEqual(4500);
  const db = new Database(path, { readonly: true });
  expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
  expect(db.prepare("SELECT count(*) AS n FROM answers").get()).toEqual({ n: 4500 });
  db.close();
  // Every stored answer is the one the fake backend gives.
  const c = await openCache(path);
  const inner = new FakeBackend();
  const client = chat({ model: "m" });
  const all = prompts(...Array.from({ length: 4500 }, (_, i) => `p${i}`));
  const stored = await cachingBackend(inner, c).complete(ask(client, all, STRING, client.settings));
  expect(inner.requests).toBe(0);
  expect(stored).toEqual(await new FakeBackend().complete(ask(client, all, STRING, client.settings)));
  c.close();
}, 60_000);

it("two connections in one process share the file", async () => {
  const path = freshPath();
  const one = await openCache(path);
  const two = await openCache(path);
  await cachingBackend(new Counter(), one).complete(ask(chat(), prompts("a")));
  const inner = new Counter();
  await cachingBackend(inner, two).complete(ask(chat(), prompts("a", "b")));
  expect(inner.sent).toEqual([["b"]]);
  one.close();
  two.close();
});

it("a run killed with SIGKILL half-way, run again, re-sends only what had not finished", async () => {
  const N = 40;
  const prompts: string[] = [];
  const server = await startStandIn({
    latencyMs: 25,
    override: (req) => void prompts.push(String(req.body.messages.at(-1).content)),
  });
  try {
    const path = freshPath();
    const ir = optimize(lowerSource(CRASH_PROGRAM));
    const irPath = join(dir, "crash-ir.json");
    writeFileSync(irPath, JSON.stringify(ir));
    const args = [path, server.openaiBaseURL, irPath, String(N)];
    // Killed once 8 answers have gone out, mid-flight.
    const first = await child("crash-run.ts", args, (kill) => {
      const poll = setInterval(() => {
        if (server.log.length >= 8) {
          clearInterval(poll);
          kill();
        }
      }, 2);
    });
    expect(first.signal).toBe("SIGKILL");
    const sentFirst = prompts.splice(0);
    expect(sentFirst.length).toBeGreaterThanOrEqual(8);
    expect(sentFirst.length).toBeLessThan(N);

    // What the cache holds after the crash: a run on a copy of it, sending what is missing.
    const missing: string[] = [];
    const recorder: ModelBackend = {
      complete: async (r) => {
        missing.push(...r.prompts.map((p) => p.$prompt.messages.at(-1)!.content));
        return r.prompts.map(() => "probe");
      },
      embed: async () => [],
      rerank: async () => [],
    };
    (await openCache(path)).close(); // recovers the write-ahead log into the file
    const copy = join(dir, "probe.sqlite");
    copyFileSync(path, copy);
    const c = await openCache(copy);
    await runGraph(ir, "main", crashInputs(N), { backend: cachingBackend(recorder, c) });
    const written = c.stats.hits;
    c.close();
    expect(written).toBeGreaterThanOrEqual(6);
    // Every answer written is one the server had sent in the first run.
    const all = (crashInputs(N).xs as string[]).map((x) => `Question ${x}: answer briefly.`);
    expect(missing.length).toBe(N - written);
    for (const done of all.filter((p) => !missing.includes(p))) expect(sentFirst).toContain(done);

    server.reset();
    const second = await child("crash-run.ts", args);
    expect(second.err).toBe("");
    expect(second.code).toBe(0);
    const { value, stats } = JSON.parse(second.out);
    // Nothing that finished is sent again: the second run sends exactly the rest, each once.
    expect(prompts.length).toBe(N - written);
    expect(new Set(prompts).size).toBe(prompts.length);
    expect(stats).toEqual({ hits: written, misses: N - written, writes: N - written });
    expect([...prompts].sort()).toEqual([...missing].sort());

    // The result equals an uninterrupted run without the cache.
    const clean = await runGraph(ir, "main", crashInputs(N), { backend: providerBackend({ override: () => ({ baseURL: server.openaiBaseURL, apiKey: "x" }) }) });
    expect(value).toEqual(clean.value);
  } finally {
    await server.close();
  }
}, 60_000);
