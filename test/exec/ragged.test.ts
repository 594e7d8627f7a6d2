/**
 * Dynamic batching on a ragged graph, read from the stand-in server's log: 64 completion
 * calls whose inputs come from upstream calls of very different latencies go out in far
 * fewer than 64 requests, and each request starts within the batch window of its inputs
 * being ready: no call waits for an unrelated slower branch.
 *
 * How many requests that takes depends on how the upstream answers spread over turns of the
 * event loop, which a loaded machine changes. So the count is checked against what the
 * dispatcher promises, measured in the same run: calls that become ready in one turn travel
 * together, so there are never more requests than turns in which upstream answers came in.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { optimize } from "../../src/phases/4-optimize/index.js";
import { providerBackend } from "../../src/providers/index.js";
import { DEFAULT_BATCH_WINDOW_MS, runGraph } from "../../src/runtime/run.js";
import { pointAt, startStandIn, type StandInServer } from "../../src/testing/index.js";
import type { ModelBackend } from "../../src/runtime/backend.js";
import { lowerSource } from "../support/pipeline.js";

const PROGRAM = `
client fast: openai.chat { model: "fast", temperature: 0 }
client slow: openai.chat { model: "slow", temperature: 0 }
client medium: cohere.chat { model: "medium", temperature: 0 }
client down: openai.completion { model: "down", temperature: 0 }
type Job { text: string, speed: int }
prompt ask(x: string) """Q: {{ x }}"""
prompt follow(job: string, answer: string) """{{ job }} -> {{ answer }}"""
graph main(jobs: Job[]) -> string[] {
  for j in jobs {
    let pre = if j.speed == 0 { fast(ask(j.text)) } else if j.speed == 1 { medium(ask(j.text)) } else { slow(ask(j.text)) }
    down(follow(j.text, pre))
  }
}
`;

/**
 * How late a request may start after its last input was answered: the batch window plus
 * HTTP, SDK and event-loop overhead, generous for a loaded machine. The sharper check is
 * relative: no request waits for the next, slower wave of answers.
 */
const SLACK_MS = DEFAULT_BATCH_WINDOW_MS + 150;
const LATENCY = { fast: 50, medium: 350, slow: 900, down: 20 };

let server: StandInServer;
const bodies = new Map<number, { messages?: { content: unknown }[]; prompt?: string[] }>();

beforeAll(async () => {
  server = await startStandIn({
    latencyByModel: LATENCY,
    override: (req) => void bodies.set(req.index, req.body),
  });
});
afterAll(() => server.close());

/**
 * The backend, counting the turns of the event loop in which upstream answers arrive. A turn
 * ends at the check phase, where the dispatcher flushes what became ready during it.
 */
function countingTurns(inner: ModelBackend): { backend: ModelBackend; turns: Set<number> } {
  const turns = new Set<number>();
  let turn = 0;
  let ending = false;
  const arrived = () => {
    turns.add(turn);
    if (ending) return;
    ending = true;
    setImmediate(() => {
      turn++;
      ending = false;
    });
  };
  const backend: ModelBackend = {
    complete: async (req) => {
      const answers = await inner.complete(req);
      if (req.client.name !== "down") arrived();
      return answers;
    },
    embed: (req) => inner.embed(req),
    rerank: (req) => inner.rerank(req),
  };
  return { backend, turns };
}

it("64 ragged calls: few requests, none waiting for a slower branch", async () => {
  const jobs = Array.from({ length: 64 }, (_, i) => ({ text: `job-${i}.`, speed: i % 3 }));
  const ir = optimize(lowerSource(PROGRAM));
  const { backend, turns } = countingTurns(providerBackend({ override: pointAt(server) }));
  await runGraph(ir, "main", { jobs }, { backend });

  const jobOf = (text: string) => /job-(\d+)\./.exec(text)?.[1];
  const answeredAt = new Map<string, number>();
  const down: { start: number; jobs: string[] }[] = [];
  for (const entry of server.log) {
    const body = bodies.get(entry.index)!;
    if (entry.model === "down") {
      down.push({ start: entry.start, jobs: body.prompt!.map((p) => jobOf(p)!) });
    } else {
      const text = JSON.stringify(body.messages);
      answeredAt.set(jobOf(text)!, entry.end);
    }
  }
  expect(answeredAt.size).toBe(64);
  expect(down.flatMap((d) => d.jobs).sort()).toEqual(jobs.map((_, i) => String(i)).sort());
  // Far fewer requests than calls, and never more than the turns the upstream answers came in.
  expect(down.length).toBeLessThanOrEqual(turns.size);
  expect(down.length).toBeLessThanOrEqual(jobs.length / 3);
  const answers = [...answeredAt.values()].sort((a, b) => a - b);
  for (const d of down) {
    const ready = Math.max(...d.jobs.map((j) => answeredAt.get(j)!));
    expect(d.start).toBeGreaterThanOrEqual(ready);
    expect(d.start - ready).toBeLessThan(SLACK_MS);
    // Sent before the next wave of (slower) answers came in: it waited for nothing unrelated.
    const nextWave = answers.find((t) => t > ready + (LATENCY.medium - LATENCY.fast) / 2);
    if (nextWave !== undefined) expect(d.start).toBeLessThan(nextWave);
  }
}, 30_000);
