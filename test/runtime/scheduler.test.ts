/**
 * The scheduler's promises, with an in-process backend whose latency is set per model: order
 * kept whatever order answers arrive in, everything ready runs at once, fixed batches and
 * lists sent element by element as their inputs arrive, `max_concurrency` kept, fail fast
 * with the `.feste` line, cancellation, and eager mode through `context.run`.
 */
import { describe, expect, it } from "vitest";
import { FesteRuntimeError } from "../../src/ir/errors.js";
import type { IrProgram } from "../../src/ir/nodes.js";
import type { Data } from "../../src/ir/value.js";
import { optimize } from "../../src/phases/4-optimize/index.js";
import type { CompleteRequest, EmbedRequest, ModelBackend, RerankRequest } from "../../src/runtime/backend.js";
import { context } from "../../src/runtime/context.js";
import { linkedSignal } from "../../src/runtime/linked-signal.js";
import { runGraph } from "../../src/runtime/run.js";
import { FakeBackend } from "../../src/testing/index.js";
import { memoryHost } from "../../src/phases/1-parse/index.js";
import { lowerFile, lowerSource } from "../support/pipeline.js";

interface Sent {
  readonly model: string;
  readonly items: number;
  readonly start: number;
  end: number;
}

/** FakeBackend answers after a delay set per model; logs each request's start and end. */
class DelayBackend implements ModelBackend {
  readonly sent: Sent[] = [];
  private readonly fake = new FakeBackend();
  inFlight = 0;
  maxInFlight = 0;

  constructor(
    private readonly delays: Record<string, number> | ((model: string, items: readonly unknown[]) => number),
    private readonly fail?: (req: CompleteRequest) => Error | undefined,
  ) {}

  private async delay<T>(model: unknown, payload: readonly unknown[], answer: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const items = payload.length;
    const ms = typeof this.delays === "function" ? this.delays(String(model), payload) : (this.delays[String(model)] ?? 0);
    const entry: Sent = { model: String(model), items, start: performance.now(), end: 0 };
    this.sent.push(entry);
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    try {
      const linked = linkedSignal(signal);
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, ms);
        linked.signal?.addEventListener("abort", () => (clearTimeout(t), reject(signal!.reason)), { once: true });
      }).finally(() => linked.release());
      return await answer();
    } finally {
      this.inFlight--;
      entry.end = performance.now();
    }
  }

  complete(req: CompleteRequest): Promise<Data[]> {
    const error = this.fail?.(req);
    return this.delay(req.settings.model, req.prompts, () => (error ? Promise.reject(error) : this.fake.complete(req)), req.signal);
  }
  embed(req: EmbedRequest): Promise<number[][]> {
    return this.delay(req.settings.model, req.texts, () => this.fake.embed(req), req.signal);
  }
  rerank(req: RerankRequest): Promise<Data> {
    return this.delay(req.settings.model, [req.query], () => this.fake.rerank(req), req.signal);
  }
}

const RAGGED = `
client fast: openai.chat { model: "fast", temperature: 0 }
client slow: openai.chat { model: "slow", temperature: 0 }
client down: openai.completion { model: "down", temperature: 0 }
type Job { text: string, slow: bool }
prompt ask(x: string) """Q: {{ x }}"""
graph main(jobs: Job[]) -> string[] {
  for j in jobs {
    let pre = if j.slow { slow(ask(j.text)) } else { fast(ask(j.text)) }
    down(ask(pre))
  }
}
`;

const ONE_AT_A_TIME = `
client gpt: openai.chat { model: "m", temperature: 0, max_concurrency: 1 }
graph main(xs: string[]) -> string[] {
  for x in xs { gpt(x) }
}
`;

const jobs = (n: number) => Array.from({ length: n }, (_, i) => ({ text: `job ${i}`, slow: i % 2 === 1 }));

async function reference(ir: IrProgram, inputs: Record<string, Data>): Promise<Data> {
  return (await runGraph(ir, "main", inputs, { backend: new FakeBackend(), eager: true })).value;
}

describe("scheduler", () => {
  it("keeps input order when answers arrive out of order", async () => {
    const ir = optimize(lowerSource(RAGGED));
    const inputs = { jobs: jobs(16) };
    const backend = new DelayBackend({ fast: 5, slow: 40, down: 1 });
    const r = await runGraph(ir, "main", inputs, { backend });
    expect(r.value).toEqual(await reference(ir, inputs));
  });

  it("sends a ragged list's calls as their inputs arrive: a fast element never waits for a slow one", async () => {
    const ir = optimize(lowerSource(RAGGED));
    const backend = new DelayBackend({ fast: 30, slow: 200, down: 10 });
    // Each half's answers are released together, once all 32 are in, so the test does not
    // depend on 32 timers firing in one phase on a loaded machine.
    const released: Record<string, number> = {};
    const waiting: Record<string, (() => void)[]> = { fast: [], slow: [] };
    const complete = backend.complete.bind(backend);
    backend.complete = async (req) => {
      const answers = await complete(req);
      const queue = waiting[String(req.settings.model)];
      if (queue) {
        await new Promise<void>((go) => {
          queue.push(go);
          if (queue.length < 32) return;
          released[String(req.settings.model)] = performance.now();
          for (const release of queue.splice(0)) release();
        });
      }
      return answers;
    };
    const r = await runGraph(ir, "main", { jobs: jobs(64) }, { backend });
    expect(r.value).toEqual(await reference(ir, { jobs: jobs(64) }));
    const down = backend.sent.filter((s) => s.model === "down");
    // 64 completion calls in far fewer requests: the fast half together, the slow half together.
    expect(down.reduce((t, s) => t + s.items, 0)).toBe(64);
    expect(down.length).toBeLessThanOrEqual(8);
    // The fast half's calls went out before any slow answer was in.
    const firstDown = Math.min(...down.map((s) => s.start));
    expect(firstDown).toBeGreaterThanOrEqual(released.fast);
    expect(firstDown).toBeLessThan(released.slow);
  });

  it("streams a batched list: elements answered early move on while a slower request of the same batch is out", async () => {
    // The optimizer turns both calls into batches over the list; the first batch needs two
    // requests (max_batch 4), and the one carrying "slow" prompts takes much longer.
    const ir = optimize(lowerSource(`
client up: openai.completion { model: "up", temperature: 0, max_batch: 4 }
client down: openai.completion { model: "down", temperature: 0 }
graph main(xs: string[]) -> string[] { for x in xs { down(up(x)) } }
`));
    expect(JSON.stringify(ir)).toContain('"kind":"batch"');
    const xs = ["a", "b", "c", "d", "slow e", "slow f", "slow g", "slow h"];
    const backend = new DelayBackend((model, items) => (model === "up" && JSON.stringify(items).includes("slow") ? 200 : 10));
    const r = await runGraph(ir, "main", { xs }, { backend });
    expect(r.value).toEqual(await reference(ir, { xs }));
    const slowUp = backend.sent.find((s) => s.model === "up" && s.start > 0 && s.end - s.start > 150)!;
    const firstDown = backend.sent.filter((s) => s.model === "down").sort((a, b) => a.start - b.start)[0];
    expect(firstDown.items).toBe(4);
    expect(firstDown.start).toBeLessThan(slowUp.end - 100);
  });

  it("runs independent calls at once and keeps max_concurrency", async () => {
    const src = (limit: string) => `
client gpt: openai.chat { model: "m", temperature: 0 ${limit} }
graph main(xs: string[]) -> string[] { for x in xs { gpt(x) } }
`;
    const open = new DelayBackend({ m: 20 });
    await runGraph(optimize(lowerSource(src(""))), "main", { xs: jobs(12).map((j) => j.text) }, { backend: open });
    expect(open.maxInFlight).toBe(12);
    const capped = new DelayBackend({ m: 20 });
    await runGraph(optimize(lowerSource(src(", max_concurrency: 3"))), "main", { xs: jobs(12).map((j) => j.text) }, { backend: capped });
    expect(capped.maxInFlight).toBe(3);
    expect(capped.sent).toHaveLength(12);
  });

  it("merges calls that become ready together even where the optimizer could not batch them", async () => {
    // Different call sites at different model depths, ready at the same moment.
    const ir = optimize(lowerSource(`
client a: openai.chat { model: "a", temperature: 0 }
client c: openai.completion { model: "c", temperature: 0 }
graph main(x: string) -> string[] {
  let one = a(x)
  let two = c(one)
  let three = c(x + "!")
  let four = c(a(x + "?"))
  [two, three, four]
}
`));
    // The two `a` answers are released in the same tick, so the test does not depend on two
    // 10 ms timers firing in one timer phase on a loaded machine.
    const backend = new DelayBackend({ a: 0, c: 10 });
    const held: (() => void)[] = [];
    const complete = backend.complete.bind(backend);
    backend.complete = async (req) => {
      if (req.settings.model === "a") {
        await new Promise<void>((release) => {
          held.push(release);
          if (held.length === 2) for (const r of held.splice(0)) r();
        });
      }
      return complete(req);
    };
    const r = await runGraph(ir, "main", { x: "hi" }, { backend });
    expect(r.value).toEqual(await reference(ir, { x: "hi" }));
    // `three` goes alone at the start; `two` and `four` become ready together and share a request.
    expect(backend.sent.filter((s) => s.model === "c").map((s) => s.items).sort()).toEqual([1, 2]);
  });

  it("keeps an embedding request within 300,000 tokens, counting exactly only when the byte bound says it might not fit", async () => {
    const ir = optimize(lowerSource(`
client e: openai.embedding { model: "e" }
graph main(xs: string[]) -> int { len(for x in xs { e(x) }) }
`));
    // About 200 tokens (1,000 bytes) each: 2,000 of them are some 400,000 tokens, over one request's budget.
    const long = Array.from({ length: 2000 }, (_, i) => `${i} ` + "word ".repeat(200));
    const big = new DelayBackend({ e: 0 });
    expect((await runGraph(ir, "main", { xs: long }, { backend: big })).value).toBe(2000);
    expect(big.sent.length).toBe(2);
    expect(big.sent[0].items).toBeLessThan(2000);
    // Short texts fit by the byte bound alone: one request of up to 2,048.
    const small = new DelayBackend({ e: 0 });
    let counted = 0;
    const countTokens = (t: string) => (counted++, t.length);
    await runGraph(ir, "main", { xs: long.map((_, i) => `text ${i}`) }, { backend: small, countTokens });
    expect(small.sent.map((s) => s.items)).toEqual([2000]);
    expect(counted).toBe(0);
  });

  it("keeps a member's max_concurrency however it is reached: directly, through round_robin or fallback", async () => {
    const ir = optimize(lowerSource(`
client a: openai.chat { model: "a", temperature: 0, max_concurrency: 2 }
client b: openai.chat { model: "b", temperature: 0, max_concurrency: 1 }
client rr: round_robin(a, b)
client fb: fallback(a, b)
graph main(xs: string[]) -> string[][] {
  [for x in xs { rr(x) }, for x in xs { fb(x + "?") }, for x in xs { a(x + "!") }]
}
`));
    const peak: Record<string, number> = {};
    const now: Record<string, number> = {};
    const backend = new DelayBackend((model) => {
      now[model] = (now[model] ?? 0) + 1;
      peak[model] = Math.max(peak[model] ?? 0, now[model]);
      setTimeout(() => now[model]--, 10);
      return 10;
    });
    const xs = Array.from({ length: 12 }, (_, i) => `q${i}`);
    const r = await runGraph(ir, "main", { xs }, { backend });
    expect(r.value).toEqual(await reference(ir, { xs }));
    expect(peak).toEqual({ a: 2, b: 1 });
  });

  it("blames the call whose item failed, not the first call of its batch", async () => {
    const src = `
client d: openai.completion { model: "d", temperature: 0 }
graph main() -> string[] {
  let p1 = d("first")
  let p2 = d("second")
  [p1, p2]
}
`;
    const ir = optimize(lowerSource(src));
    expect(JSON.stringify(ir)).toContain('"kind":"batch"');
    const bad = Object.assign(new FesteRuntimeError("FE4004", "client `d` (openai.completion): the answer is not JSON"), { item: 1 });
    const backend = new DelayBackend({}, (req) => (req.prompts.length === 2 ? bad : undefined));
    const e = (await runGraph(ir, "main", {}, { backend }).catch((err: unknown) => err)) as FesteRuntimeError;
    expect(src.slice(e.span!.start, e.span!.end)).toBe('d("second")');
  });

  it("sends a waiting call as soon as the extern functions that might have joined it are done", async () => {
    // While an extern runs, a ready completion call may wait for company, but only until the
    // extern finishes, never the whole (here very long) backstop window.
    const ir = optimize(
      lowerFile("main.feste", memoryHost({
        "main.feste": `
client c: openai.completion { model: "c", temperature: 0 }
extern fn slow_upper(s: string) -> string from "./lib.mjs"
graph main(x: string) -> string[] { [c(x), slow_upper(x)] }
`,
        "lib.mjs": "export const slow_upper = (s) => s.toUpperCase();",
      })),
    );
    const backend = new DelayBackend({});
    const started = performance.now();
    const externs = async (_m: string, _f: string, args: readonly Data[]) => {
      await new Promise((r) => setTimeout(r, 20));
      return String(args[0]).toUpperCase();
    };
    await runGraph(ir, "main", { x: "hi" }, { backend, externs, batchWindowMs: 2_000 });
    expect(backend.sent).toHaveLength(1);
    expect(backend.sent[0].start - started).toBeLessThan(500);
  });

  it("fails fast with the .feste line of the failing call, and sends nothing after", async () => {
    const ir = optimize(lowerSource(ONE_AT_A_TIME));
    const boom = new FesteRuntimeError("FE4004", "client `gpt` (openai.chat): the provider answered HTTP 400: bad");
    const backend = new DelayBackend({ m: 5 }, (req) => (JSON.stringify(req.prompts).includes("x2") ? boom : undefined));
    const e = await runGraph(ir, "main", { xs: ["x0", "x1", "x2", "x3", "x4"] }, { backend }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(FesteRuntimeError);
    expect((e as FesteRuntimeError).message).toContain("HTTP 400: bad");
    const span = (e as FesteRuntimeError).span!;
    expect(ONE_AT_A_TIME.slice(span.start, span.end)).toBe("gpt(x)");
    expect(backend.sent).toHaveLength(3);
  });

  it("stops when its signal is aborted", async () => {
    const ir = optimize(lowerSource(`client gpt: openai.chat { model: "m", temperature: 0 }\ngraph main(x: string) -> string { gpt(gpt(x)) }\n`));
    const backend = new DelayBackend({ m: 50 });
    const abort = new AbortController();
    setTimeout(() => abort.abort(new Error("stop")), 10);
    await expect(runGraph(ir, "main", { x: "a" }, { backend, signal: abort.signal })).rejects.toThrow();
    expect(backend.sent).toHaveLength(1);
  });

  it("runs eagerly inside context.run({ eager: true }): one prompt per request, in program order", async () => {
    const ir = optimize(lowerSource(RAGGED));
    const backend = new DelayBackend({});
    const steps: string[] = [];
    const r = await context.run({ eager: true }, () => runGraph(ir, "main", { jobs: jobs(4) }, { backend, onStep: (s) => steps.push(s.node.kind) }));
    expect(r.stats.mode).toBe("eager");
    expect(backend.sent.every((s) => s.items === 1)).toBe(true);
    expect(backend.sent).toHaveLength(8);
    expect(steps.length).toBeGreaterThan(0);
    expect(r.value).toEqual(await reference(ir, { jobs: jobs(4) }));
    // Outside the context, graph mode again.
    expect((await runGraph(ir, "main", { jobs: jobs(4) }, { backend: new FakeBackend() })).stats.mode).toBe("graph");
  });
});
