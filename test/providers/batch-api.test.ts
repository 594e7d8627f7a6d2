/**
 * `--batch-api` against the stand-in server: a graph with OpenAI chat, completion and
 * embedding calls and a Cohere call gives the normal path's results, while the server sees
 * only file uploads, batch creates, polls and downloads for OpenAI; per-line errors surface
 * as FE4004 for the right call; cancellation stops polling.
 */
import { afterEach, describe, expect, it } from "vitest";
import { optimize } from "../../src/phases/4-optimize/index.js";
import { dryRun } from "../../src/plan/plan.js";
import { batchApiBackend, providerBackend, ProviderError, type ProviderOptions, type Usage } from "../../src/providers/index.js";
import { runGraph } from "../../src/runtime/run.js";
import { pointAt, startStandIn, type StandInLogEntry, type StandInOptions, type StandInServer } from "../../src/testing/stand-in/index.js";
import { lowerSource } from "../support/pipeline.js";

const SOURCE = `
client gpt: openai.chat { model: "gpt-4o-mini", temperature: 0 }
client davinci: openai.completion { model: "gpt-3.5-turbo-instruct", max_tokens: 64, temperature: 0, max_batch: 4 }
client embedder: openai.embedding { model: "text-embedding-3-small", dimensions: 8 }
client writer: cohere.chat { model: "command-r-plus", temperature: 0 }

prompt summarize(doc: string) """
  Summarise in one sentence: {{ doc }}
  """
prompt title(doc: string) """
  A title for: {{ doc }}
  """
prompt report(summaries: string[]) """
  {% for s in summaries -%}
  - {{ s }}
  {% endfor %}
  Write one paragraph.
  """
prompt judge(text: string) """
  Is this good? {{ text }}
  """

type Out {
  summaries: string[]
  titles: string[]
  vectors: float[][]
  report: string
  verdict: string
}

graph main(docs: string[]) -> Out {
  let summaries = for d in docs { davinci(summarize(d)) }
  let titles = for d in docs { gpt(title(d)) }
  let vectors = embedder(docs)
  let r = writer(report(summaries))
  Out { summaries: summaries, titles: titles, vectors: vectors, report: r, verdict: gpt(judge(r)) }
}
`;
const program = optimize(lowerSource(SOURCE));
const docs = Array.from({ length: 10 }, (_, i) => `document number ${i} about topic ${i % 3}`);

let server: StandInServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function stand(options: StandInOptions = {}): Promise<StandInServer> {
  server = await startStandIn(options);
  return server;
}

function options(s: StandInServer, usages?: [string, Usage][]): ProviderOptions {
  return { env: {}, override: pointAt(s), onUsage: (c, u) => usages?.push([c.name, u]) };
}

const kind = (e: StandInLogEntry) =>
  e.path === "/v1/files" ? "upload" : e.path === "/v1/batches" ? "create" : /^\/v1\/batches\/[^/]+$/.test(e.path) ? "poll" : /\/content$/.test(e.path) ? "download" : e.path;

function tally(log: readonly StandInLogEntry[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of log) out[kind(e)] = (out[kind(e)] ?? 0) + 1;
  return out;
}

describe("batch API mode", () => {
  it("gives the normal path's results and usage, through files, batches and polls only", async () => {
    const s = await stand({ batchDelayMs: 40 });
    const normalUsage: [string, Usage][] = [];
    const normal = await runGraph(program, "main", { docs }, { backend: providerBackend(options(s, normalUsage)) });
    const direct = tally(s.log);
    expect(direct).toEqual({ "/v1/completions": 3, "/v1/chat/completions": 11, "/v1/embeddings": 1, "/v2/chat": 1 });

    s.reset();
    const batchUsage: [string, Usage][] = [];
    const batched = await runGraph(program, "main", { docs }, { backend: batchApiBackend({ ...options(s, batchUsage), pollMs: 10, maxPollMs: 20 }) });
    expect(batched.value).toEqual(normal.value);
    const sum = (us: [string, Usage][]) => us.reduce<Record<string, number>>((t, [c, u]) => ({ ...t, [c]: (t[c] ?? 0) + u.inputTokens + u.outputTokens }), {});
    expect(sum(batchUsage)).toEqual(sum(normalUsage));
    // The runtime counts the same model requests: one Batch API line each.
    expect(batched.stats.byClient).toEqual(normal.stats.byClient);

    const counts = tally(s.log);
    expect(counts["/v1/chat/completions"] ?? 0).toBe(0);
    expect(counts["/v1/completions"] ?? 0).toBe(0);
    expect(counts["/v1/embeddings"] ?? 0).toBe(0);
    expect(counts["/v2/chat"]).toBe(1);

    // Level 1 has three jobs (completions, chat, embeddings); level 3 one (the verdict's chat).
    // Each job: 1 upload + 1 create + k polls + 1 download, k = polls until 40 ms have passed
    // (waits of 10, 20, 20, ... ms: 3 of them, fewer when timers run late).
    const jobs = 4;
    const creates = s.log.filter((e) => e.path === "/v1/batches");
    expect(creates.map((e) => [e.model, e.items]).sort()).toEqual([["gpt-3.5-turbo-instruct", 3], ["gpt-4o-mini", 1], ["gpt-4o-mini", 10], ["text-embedding-3-small", 1]]);
    const polls = new Map<string, number>();
    for (const e of s.log) if (kind(e) === "poll") polls.set(e.path, (polls.get(e.path) ?? 0) + 1);
    expect(polls.size).toBe(jobs);
    for (const k of polls.values()) expect(k).toBeGreaterThanOrEqual(1);
    for (const k of polls.values()) expect(k).toBeLessThanOrEqual(4);
    const k = [...polls.values()].reduce((a, b) => a + b, 0);
    expect(counts.upload).toBe(jobs);
    expect(counts.create).toBe(jobs);
    expect(counts.download).toBe(jobs);
    expect(counts.poll).toBe(k);
    const openaiRequests = s.log.filter((e) => e.path !== "/v2/chat").length;
    expect(openaiRequests).toBe(counts.upload + counts.create + counts.poll + counts.download);
    expect(openaiRequests).toBe(3 * jobs + k);
    expect(s.log.every((e) => e.status === 200)).toBe(true);
  });

  it("polls once per job when the batch is done by the first look", async () => {
    const s = await stand();
    await runGraph(program, "main", { docs }, { backend: batchApiBackend({ ...options(s), pollMs: 1 }) });
    expect(tally(s.log)).toEqual({ upload: 4, create: 4, poll: 4, download: 4, "/v2/chat": 1 });
  });

  it("makes a line's error the FE4004 of its call, naming the client, with the provider's message", async () => {
    const s = await stand({ override: (r) => (r.path === "/v1/embeddings" ? { status: 400, body: { error: { message: "input too odd" } } } : undefined) });
    const run = runGraph(program, "main", { docs }, { backend: batchApiBackend({ ...options(s), pollMs: 1 }) });
    const e = await run.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ProviderError);
    expect(e).toMatchObject({ code: "FE4004", status: 400, reason: "http" });
    expect((e as Error).message).toBe("client `embedder` (openai.embedding): the provider answered HTTP 400: input too odd");
    // The normal path says the same thing about the same call.
    s.reset();
    const normal = await runGraph(program, "main", { docs }, { backend: providerBackend(options(s)) }).catch((x: unknown) => x);
    expect((normal as Error).message).toBe((e as Error).message);
  });

  it("fails every call of a batch that ends cancelled, naming the batch and its status", async () => {
    const s = await stand({ batchDelayMs: 10_000 });
    const one = optimize(lowerSource(`client gpt: openai.chat { model: "gpt-4o-mini" }\ngraph main(x: string) -> string { gpt(x) }\n`));
    const run = runGraph(one, "main", { x: "hi" }, { backend: batchApiBackend({ ...options(s), pollMs: 5, maxPollMs: 5 }) }).catch((x: unknown) => x);
    while (!s.log.some((e) => kind(e) === "poll")) await new Promise((r) => setTimeout(r, 2));
    const id = s.log.find((e) => kind(e) === "poll")!.path.split("/").at(-1)!;
    await fetch(`${s.openaiBaseURL}/batches/${id}/cancel`, { method: "POST", headers: { authorization: "Bearer x" } });
    const e = (await run) as ProviderError;
    expect(e.code).toBe("FE4004");
    expect(e.message).toBe(`client \`gpt\` (openai.chat): the Batch API job \`${id}\` ended \`cancelled\``);
  });

  it("stops polling when the run is cancelled, and cancels the batch", async () => {
    const s = await stand({ batchDelayMs: 10_000 });
    const abort = new AbortController();
    const run = runGraph(program, "main", { docs }, { backend: batchApiBackend({ ...options(s), pollMs: 5, maxPollMs: 5 }), signal: abort.signal }).catch((x: unknown) => x);
    while (s.log.filter((e) => kind(e) === "poll").length < 6) await new Promise((r) => setTimeout(r, 2));
    abort.abort();
    const e = await run;
    expect(e).toBeInstanceOf(Error);
    await new Promise((r) => setTimeout(r, 100));
    const after = s.log.length;
    const polls = s.log.filter((x) => kind(x) === "poll").length;
    await new Promise((r) => setTimeout(r, 100));
    expect(s.log.length).toBe(after);
    expect(s.log.filter((x) => kind(x) === "poll").length).toBe(polls);
    expect(s.log.filter((x) => /\/cancel$/.test(x.path))).toHaveLength(3);
  });

  it("halves OpenAI's cost in a dry run, not Cohere's", async () => {
    const normal = await dryRun(program, "main", { docs });
    const batched = await dryRun(program, "main", { docs }, undefined, { batchApi: true });
    expect(batched.batchApi).toBe(true);
    expect(normal.batchApi).toBeUndefined();
    expect(batched.requests).toBe(normal.requests);
    for (const name of ["gpt", "davinci", "embedder"]) {
      expect(batched.byClient[name].cost).toBeCloseTo(normal.byClient[name].cost! / 2, 12);
      expect(batched.byClient[name].cost).toBeGreaterThan(0);
    }
    expect(batched.byClient.writer.cost).toBe(normal.byClient.writer.cost);
    expect(batched.cost).toBeLessThan(normal.cost!);
  });
});
