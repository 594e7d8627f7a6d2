/**
 * Batching across `loop` and `fold` inside a `for`, read from the stand-in's request log. A
 * `for` over 50 documents, each refined by `loop ... max 4` with a completion client (20
 * prompts a request), sends round k of every element still looping as one batch: at most
 * 4 × ceil(50/20) requests, every request holds prompts of one round only, round k's requests
 * all leave before any of round k+1, and an element whose condition holds drops out. The
 * same for a `fold` over 3 documents inside a `for` over 50 tasks.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { optimize } from "../../src/phases/4-optimize/index.js";
import { providerBackend } from "../../src/providers/index.js";
import { runGraph } from "../../src/runtime/run.js";
import { evaluate } from "../../src/runtime/evaluate.js";
import { pointAt, startStandIn, type StandInServer } from "../../src/testing/index.js";
import { completionText } from "../../src/testing/stand-in/answers.js";
import { lowerSource } from "../support/pipeline.js";

const PROGRAM = `
client davinci: openai.completion { model: "d", temperature: 0 }
prompt refine(s: string) """Refine: {{ s }}"""
prompt merge(acc: string, d: string) """Merge: {{ acc }} + {{ d }}"""
graph loops(docs: string[]) -> string[] {
  for d in docs {
    loop s = d until contains(s, "z") || contains(s, "y") max 4 { davinci(refine(s)) }
  }
}
graph folds(tasks: string[], docs: string[]) -> string[] {
  for t in tasks {
    fold acc = t for d in docs { davinci(merge(acc, d)) }
  }
}
`;

let server: StandInServer;
const prompts = new Map<number, string[]>();

beforeAll(async () => {
  server = await startStandIn({ latencyMs: 20, override: (req) => void prompts.set(req.index, req.body.prompt as string[]) });
});
afterAll(() => server.close());

/** The requests in the order they left, each with the round of every prompt it carried. */
function rounds(roundOf: (prompt: string, answerRound: Map<string, number>) => number): number[][] {
  const answerRound = new Map<string, number>();
  const entries = [...server.log].sort((a, b) => a.start - b.start);
  return entries.map((e) =>
    prompts.get(e.index)!.map((p) => {
      const r = roundOf(p, answerRound);
      answerRound.set(completionText("d", p), r);
      return r;
    }),
  );
}

/** Checks that requests hold one round each, rounds leave in order, and each round is as few requests as the limit allows. */
function expectRoundBatches(requests: number[][]): number[] {
  const perRound: number[] = [];
  let last = 0;
  for (const req of requests) {
    expect(new Set(req).size).toBe(1);
    expect(req[0]).toBeGreaterThanOrEqual(last);
    last = req[0];
    perRound[req[0]] = (perRound[req[0]] ?? 0) + req.length;
  }
  const counted = perRound.map((_, k) => requests.filter((r) => r[0] === k).length);
  perRound.forEach((items, k) => expect(counted[k]).toBe(Math.ceil(items / 20)));
  return perRound.filter((x) => x !== undefined);
}

it("loop inside for: round k of every element still looping is one batch; stopped elements drop out", async () => {
  server.reset();
  prompts.clear();
  const docs = Array.from({ length: 50 }, (_, i) => `doc ${i}`);
  const raw = lowerSource(PROGRAM);
  const backend = providerBackend({ override: pointAt(server) });
  const { value } = await runGraph(optimize(raw), "loops", { docs }, { backend });
  const requests = rounds((p, answerRound) => {
    const s = p.replace(/^Refine: /, "");
    return docs.includes(s) ? 1 : answerRound.get(s)! + 1;
  });
  expect(requests.length).toBeLessThanOrEqual(4 * Math.ceil(50 / 20));
  const items = expectRoundBatches(requests);
  expect(items[0]).toBe(50);
  // Some elements stop early, and they are not sent again.
  expect(items.length).toBe(4);
  expect(items[3]).toBeLessThan(items[0]);
  for (let k = 1; k < items.length; k++) expect(items[k]).toBeLessThanOrEqual(items[k - 1]);
  const stopped = (value as string[]).filter((s) => s.includes("z") || s.includes("y")).length;
  expect(stopped).toBeGreaterThan(0);
  // The same values as the reference interpreter on the unoptimized program.
  expect(await evaluate(raw, "loops", { docs }, { backend })).toEqual(value);
}, 60_000);

it("fold inside for: step k of every element is one batch", async () => {
  server.reset();
  prompts.clear();
  const tasks = Array.from({ length: 50 }, (_, i) => `task ${i}`);
  const docs = ["alpha", "beta", "gamma"];
  const raw = lowerSource(PROGRAM);
  const backend = providerBackend({ override: pointAt(server) });
  const { value } = await runGraph(optimize(raw), "folds", { tasks, docs }, { backend });
  const requests = rounds((p) => docs.indexOf(/ \+ (\w+)$/.exec(p)![1]) + 1);
  expect(requests.length).toBe(3 * Math.ceil(50 / 20));
  expect(expectRoundBatches(requests)).toEqual([50, 50, 50]);
  expect(await evaluate(raw, "folds", { tasks, docs }, { backend, eager: true })).toEqual(value);
}, 60_000);
