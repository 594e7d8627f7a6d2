/**
 * `runModule`, what generated graph functions call: the stand-in in fake mode, eager runs,
 * per-client servers, keys and models (the shared program left untouched), concurrency caps,
 * input checks (FE4007), option checks (FE4008), extern functions from imported modules
 * (FE4005), and a fake run that lets the process exit.
 */
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { FesteRuntimeError } from "../../src/ir/errors.js";
import type { Data } from "../../src/ir/value.js";
import { optimize } from "../../src/phases/4-optimize/index.js";
import { providerBackend } from "../../src/providers/index.js";
import type { CompleteRequest, EmbedRequest, ModelBackend, RerankRequest } from "../../src/runtime/backend.js";
import { context } from "../../src/runtime/context.js";
import { runGraph } from "../../src/runtime/run.js";
import { runModule } from "../../src/runtime/run-module.js";
import { FakeBackend, pointAt, startStandIn, type StandInServer } from "../../src/testing/index.js";
import { memoryHost } from "../../src/phases/1-parse/index.js";
import { lowerFile, lowerSource } from "../support/pipeline.js";

const TRIAGE = `
client gpt: openai.chat { model: "gpt-4o-mini", temperature: 0, max_concurrency: 8 }
client writer: cohere.chat { model: "command-r-plus", temperature: 0 }
client bulk: openai.completion { model: "davinci-002", temperature: 0 }
client pool: round_robin(gpt, writer)
type Ticket { category: string, urgency: int }
prompt classify(t: string) -> Ticket """Classify: {{ t }}"""
prompt reply(t: string) """Reply to: {{ t }}"""
graph triage(tickets: string[]) -> string[] {
  for t in tickets {
    let k = gpt(classify(t))
    writer(reply(k.category))
  }
}
graph classified(tickets: string[]) -> Ticket[] {
  for t in tickets { gpt(classify(t)) }
}
graph short(tickets: string[]) -> string[] {
  for t in tickets { bulk(reply(t)) }
}
graph pooled(tickets: string[]) -> string[] {
  for t in tickets { pool(reply(t)) }
}
`;

const program = optimize(lowerSource(TRIAGE));
const tickets = (n: number) => Array.from({ length: n }, (_, i) => `ticket number ${i}`);

/** FakeBackend answers after `ms`; counts requests and requests in flight, per client. */
class CountingFake implements ModelBackend {
  readonly fake = new FakeBackend();
  readonly models: string[] = [];
  private readonly inFlight = new Map<string, number>();
  readonly maxInFlight = new Map<string, number>();
  constructor(private readonly ms = 0) {}

  private async hold<T>(client: string, model: unknown, answer: () => Promise<T>): Promise<T> {
    this.models.push(String(model));
    const now = (this.inFlight.get(client) ?? 0) + 1;
    this.inFlight.set(client, now);
    this.maxInFlight.set(client, Math.max(now, this.maxInFlight.get(client) ?? 0));
    try {
      await new Promise((r) => setTimeout(r, this.ms));
      return await answer();
    } finally {
      this.inFlight.set(client, (this.inFlight.get(client) ?? 1) - 1);
    }
  }
  complete(req: CompleteRequest): Promise<Data[]> {
    return this.hold(req.client.name, req.settings.model, () => this.fake.complete(req));
  }
  embed(req: EmbedRequest): Promise<number[][]> {
    return this.hold(req.client.name, req.settings.model, () => this.fake.embed(req));
  }
  rerank(req: RerankRequest): Promise<Data> {
    return this.hold(req.client.name, req.settings.model, () => this.fake.rerank(req));
  }
  get requests(): number {
    return this.fake.requests;
  }
}

interface Seen {
  readonly path: string;
  readonly authorization: string;
  readonly model: string;
}

/** A tiny OpenAI-compatible server answering every chat request with `{"category":"bug","urgency":1}`. */
async function tinyServer(): Promise<{ server: Server; baseURL: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      const model = String((JSON.parse(body) as { model?: unknown }).model);
      seen.push({ path: req.url ?? "", authorization: req.headers.authorization ?? "", model });
      const content = JSON.stringify({ category: "bug", urgency: 1 });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({
        id: "x", object: "chat.completion", created: 0, model,
        choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, seen };
}

const closing: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((c) => c()));
});

async function rejection(p: Promise<unknown>): Promise<FesteRuntimeError> {
  const e = await p.then(() => undefined, (e: unknown) => e);
  expect(e).toBeInstanceOf(FesteRuntimeError);
  return e as FesteRuntimeError;
}

describe("runModule", () => {
  it("answers from the stand-in in fake mode, as runGraph does against a stand-in", async () => {
    const server: StandInServer = await startStandIn();
    closing.push(() => server.close());
    const input = { tickets: tickets(5) };
    const expected = await runGraph(program, "triage", input, { backend: providerBackend({ env: {}, override: pointAt(server) }) });
    const value = await runModule(program, "triage", input, { fake: true, env: {} }, {});
    expect(value).toEqual(expected.value);
    // A latency setting gets a server of its own; the answers stay the same.
    expect(await runModule(program, "triage", input, { fake: { latencyMs: 5, perItemMs: 1 }, env: {} }, {})).toEqual(expected.value);
  });

  it("runs eagerly with `eager` and inside context.run({ eager: true }): one prompt per request", async () => {
    const input = { tickets: tickets(6) };
    const batched = new CountingFake();
    const value = await runModule(program, "short", input, { backend: batched }, {});
    expect(batched.requests).toBe(1);
    const eager = new CountingFake();
    expect(await runModule(program, "short", input, { backend: eager, eager: true }, {})).toEqual(value);
    expect(eager.requests).toBe(6);
    const scoped = new CountingFake();
    expect(await context.run({ eager: true }, () => runModule(program, "short", input, { backend: scoped }, {}))).toEqual(value);
    expect(scoped.requests).toBe(6);
    // A run's own option wins over the context.
    const own = new CountingFake();
    await context.run({ eager: true }, () => runModule(program, "short", input, { backend: own, eager: false }, {}));
    expect(own.requests).toBe(1);
  });

  it("sends a client's requests to the server and key given in `clients`, keys read from `env` otherwise", async () => {
    const { server, baseURL, seen } = await tinyServer();
    closing.push(() => new Promise((r) => server.close(r)));
    const key = "sk-test-0123456789abcdef";
    const value = await runModule(program, "classified", { tickets: tickets(2) }, { clients: { gpt: { baseURL, apiKey: key } }, env: {} }, {});
    expect(value).toEqual([{ category: "bug", urgency: 1 }, { category: "bug", urgency: 1 }]);
    await runModule(program, "classified", { tickets: tickets(1) }, { clients: { gpt: { baseURL } }, env: { OPENAI_API_KEY: "sk-from-env" } }, {});
    expect(seen.map((s) => [s.path, s.authorization, s.model])).toEqual([
      ["/v1/chat/completions", `Bearer ${key}`, "gpt-4o-mini"],
      ["/v1/chat/completions", `Bearer ${key}`, "gpt-4o-mini"],
      ["/v1/chat/completions", "Bearer sk-from-env", "gpt-4o-mini"],
    ]);
    // A server that is not there: the error names the client, never the key.
    const e = await rejection(runModule(program, "classified", { tickets: tickets(1) }, { clients: { gpt: { baseURL: "http://127.0.0.1:1/v1", apiKey: key } }, env: {} }, {}));
    expect(e.message).toContain("client `gpt`");
    expect(e.message).not.toContain(key);
  });

  it("sends another model with `clients.model` and leaves the shared program untouched", async () => {
    const { server, baseURL, seen } = await tinyServer();
    closing.push(() => new Promise((r) => server.close(r)));
    const before = structuredClone(program);
    const options = { clients: { gpt: { baseURL, apiKey: "k", model: "gpt-test" }, writer: { model: "command-test" } }, env: {} };
    const fake = new CountingFake();
    await runModule(program, "triage", { tickets: tickets(3) }, { ...options, backend: fake }, {});
    expect(new Set(fake.models)).toEqual(new Set(["gpt-test", "command-test"]));
    await expect(runModule(program, "triage", { tickets: tickets(1) }, options, {})).rejects.toThrow();
    expect(seen.map((s) => s.model)).toEqual(["gpt-test"]);
    expect(program).toEqual(before);
    // Without overrides the program's own models are sent.
    const plain = new CountingFake();
    await runModule(program, "triage", { tickets: tickets(3) }, { backend: plain }, {});
    expect(new Set(plain.models)).toEqual(new Set(["gpt-4o-mini", "command-r-plus"]));
  });

  it("caps requests in flight with maxConcurrency, for every client or per client", async () => {
    const all = new CountingFake(15);
    await runModule(program, "triage", { tickets: tickets(12) }, { backend: all, maxConcurrency: 2 }, {});
    expect(all.maxInFlight.get("gpt")).toBe(2);
    expect(all.maxInFlight.get("writer")).toBe(2);
    const one = new CountingFake(15);
    await runModule(program, "triage", { tickets: tickets(12) }, { backend: one, maxConcurrency: { writer: 3 } }, {});
    expect(one.maxInFlight.get("gpt")).toBe(8);
    expect(one.maxInFlight.get("writer")).toBe(3);
    // A combinator's cap holds for each of its members.
    const pooled = new CountingFake(15);
    await runModule(program, "pooled", { tickets: tickets(24) }, { backend: pooled, maxConcurrency: { pool: 1 } }, {});
    expect(pooled.maxInFlight.get("gpt")).toBe(1);
    expect(pooled.maxInFlight.get("writer")).toBe(1);
  });

  it("paces rpm on the clock `timeScale` gives: a minute of 3 requests lasts 60 ms at 1,000", async () => {
    const limited = optimize(lowerSource(`
client gpt: openai.chat { model: "m", temperature: 0, rpm: 3 }
graph main(xs: string[]) -> string[] { for x in xs { gpt(x) } }
`));
    const starts: number[] = [];
    const backend = new FakeBackend();
    const complete = backend.complete.bind(backend);
    backend.complete = (req) => (starts.push(performance.now()), complete(req));
    const t0 = performance.now();
    const value = await runModule(limited, "main", { xs: ["a", "b", "c", "d", "e", "f", "g"] }, { backend, timeScale: 1000 }, {});
    expect(value).toHaveLength(7);
    // Requests 4 to 6 wait for the first window (60 ms) and 7 for the second; without the
    // scale they would wait a real minute, and the test would time out.
    expect(starts[3] - starts[0]).toBeGreaterThanOrEqual(59);
    expect(starts[6] - starts[0]).toBeGreaterThanOrEqual(119);
    expect(performance.now() - t0).toBeLessThan(30_000);
  });

  it("rejects options naming clients the program lacks, and caps below 1 (FE4008)", async () => {
    const backend = new FakeBackend();
    const e = await rejection(runModule(program, "triage", { tickets: [] }, { backend, clients: { gtp: { model: "x" } } }, {}));
    expect(e.code).toBe("FE4008");
    expect(e.message).toBe("`clients` names `gtp`, which is not a client of this program (its clients: `bulk`, `gpt`, `pool`, `writer`)");
    const cap = await rejection(runModule(program, "triage", { tickets: [] }, { backend, maxConcurrency: { gpt: 0 } }, {}));
    expect(cap.message).toBe("`maxConcurrency` for `gpt` should be a whole number of at least 1, not 0");
    expect(backend.requests).toBe(0);
  });

  it("checks the input against the graph's parameters first (FE4007)", async () => {
    const backend = new FakeBackend();
    const run = (input: unknown) => rejection(runModule(program, "triage", input, { backend }, {}));
    const e = await run({ tickets: ["a", "b", 3] });
    expect(e.code).toBe("FE4007");
    expect(e.message).toBe("the input does not fit `triage`: tickets[2] should be string, found an int");
    expect((await run({})).message).toBe("the input does not fit `triage`: tickets should be string[], found nothing");
    expect((await run({ tickets: [], extra: 1 })).message).toBe("the input does not fit `triage`: `extra` is not a parameter of `triage`");
    // A misspelt key is named before the parameter it leaves missing, with the likely fix.
    expect((await run({ tickts: [] })).message).toBe("the input does not fit `triage`: `tickts` is not a parameter of `triage`: did you mean `tickets`?");
    expect((await run(["a"])).message).toBe("the input does not fit `triage`: it should be an object with `tickets`");
    expect(backend.requests).toBe(0);
  });

  describe("extern functions", () => {
    const ext = optimize(lowerFile("main.feste", memoryHost({
      "main.feste": `
extern fn word_count(text: string) -> int from "./lib/text.ts"
graph main(xs: string[]) -> int[] { for x in xs { word_count(x) } }
`,
      "lib/text.ts": "export function word_count(text: string): number { return 0 }",
    })));
    const module = JSON.stringify(ext).match(/"module":"([^"]+)"/)![1];
    const run = (mod: Record<string, unknown>, externs = { [module]: mod }) => runModule(ext, "main", { xs: ["a b", "c d e"] }, { backend: new FakeBackend() }, externs);

    it("runs them in process from the imported module object, awaiting their results", async () => {
      expect(await run({ word_count: (s: string) => s.split(" ").length })).toEqual([2, 3]);
      expect(await run({ word_count: async (s: string) => s.length })).toEqual([3, 5]);
    });

    it("fails with FE4005 as the worker pool does", async () => {
      const fails = async (mod: Record<string, unknown>, externs?: Record<string, Record<string, unknown>>) => {
        const e = await rejection(run(mod, externs));
        expect(e.code).toBe("FE4005");
        return e.message;
      };
      expect(await fails({}, {})).toBe(`cannot find the extern module \`${module}\``);
      expect(await fails({ slugify: () => "" })).toBe(`\`${module}\` does not export a function \`word_count\``);
      expect(await fails({ word_count: () => { throw new TypeError("boom"); } })).toBe("`word_count` threw TypeError: boom");
      expect(await fails({ word_count: () => new Date(0) })).toBe("`word_count` returned an instance of Date, which is not JSON data");
      expect(await fails({ word_count: () => [1, NaN] })).toBe("`word_count` returned NaN at `[1]`, which is not JSON data");
    });
  });

  it("lets the process exit after a fake run, without closing anything", async () => {
    const root = fileURLToPath(new URL("../../", import.meta.url));
    const script = `
      import { lowerSource } from "./test/support/pipeline.ts";
      import { optimize } from "./src/phases/4-optimize/index.ts";
      import { runModule } from "./src/runtime/run-module.ts";
      const program = optimize(lowerSource(${JSON.stringify(TRIAGE)}));
      const value = await runModule(program, "triage", { tickets: ["a", "b"] }, { fake: { latencyMs: 5 }, env: {} }, {});
      console.log(JSON.stringify(value));
    `;
    const started = performance.now();
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => (child.kill(), resolve(null)), 10_000);
      child.on("exit", (c) => (clearTimeout(timer), resolve(c)));
    });
    expect({ code, err }).toEqual({ code: 0, err: "" });
    expect(JSON.parse(out)).toHaveLength(2);
    expect(performance.now() - started).toBeLessThan(10_000);
  }, 15_000);
});
