/**
 * The runtime workloads W1-W7: each names its `.feste` program, its input, the stand-in's
 * settings and the floor a perfect runtime could reach, computed from the workload itself.
 */
import { jitterFor, type StandInOptions } from "../../../dist/testing/index.js";
import { feedback, questions, topics } from "./inputs.js";
import type { PeerContext } from "./peer-calls.js";

/** A hand-written system's program for each workload it has one for. */
export type PeerPrograms = Partial<Record<WorkloadId, (c: PeerContext) => Promise<unknown>>>;

export type WorkloadId = "w1" | "w2" | "w2g" | "w2c" | "w3" | "w4o" | "w4c" | "w5" | "w6" | "f200" | "f1000" | "u300h" | "u300n" | "w7";

/** The fewest requests and the shortest wall time any system could reach. */
export interface Floor {
  readonly requests: number;
  readonly wallMs: number;
}

export interface Workload {
  readonly id: WorkloadId;
  /** The hand-written systems' program is that of this workload (W2 runs W1's code). */
  readonly peerProgram: WorkloadId;
  readonly title: string;
  /** The program's file name under test/bench/programs (or the bench's work folder). */
  readonly program: string;
  readonly input: Record<string, unknown>;
  readonly server: StandInOptions;
  /** Provider time over real time for feste (the server's scaled clock). */
  readonly timeScale?: number;
  /** The floor, given the (naive) answer where latencies depend on answers. */
  floor(answer: unknown): Floor;
}

export interface Settings {
  /** W1/W2's N. */
  readonly n: number;
  /** W4's texts. */
  readonly texts: number;
  /** W5's chain length. */
  readonly chain: number;
  /** Server latency: `latencyMs + perItemMs × items` per request. */
  readonly latencyMs: number;
  readonly perItemMs: number;
  /** W3's extra latency: 0 to this many ms per call. */
  readonly jitterMs: number;
  /** The fan-out rows' sizes (200 and 1,000) and the undeclared-limit rows' calls (300). */
  readonly fanOut: readonly [number, number];
  readonly undeclared: number;
  /** W7's documents and queries. */
  readonly docs: number;
  readonly queries: number;
}

const WINDOW_MS = 60_000;
/** The rate-limited workloads' clock: a provider minute lasts one real second. */
const TIME_SCALE = 60;
const LIMIT = 60;

/**
 * 429s carry no retry headers: the server would state them on its scaled clock, and the SDKs
 * (which cannot know the scale) would wait 60 times too long. Everyone backs off on their own,
 * and feste paces by the client's `rpm`.
 */
const limited = (requests: number): StandInOptions["rateLimit"] => ({ requests, windowMs: WINDOW_MS, timeScale: TIME_SCALE, retryHeaders: false });

export function workloads(s: Settings): Workload[] {
  const at = (items: number) => s.latencyMs + s.perItemMs * items;
  const base: StandInOptions = { latencyMs: s.latencyMs, perItemMs: s.perItemMs, outOfOrder: true };
  const docs = feedback(s.n);
  const batches = Math.ceil(s.n / 20);
  const mapReduceFloor = (): Floor => ({ requests: batches + 1, wallMs: at(Math.min(20, s.n)) + at(1) });
  /**
   * The floor under a fixed window of LIMIT requests: the last window cannot open sooner than
   * (windows needed - 1) windows after the first, and its requests then take a latency.
   */
  const rated = (f: Floor): Floor => ({ requests: f.requests, wallMs: Math.max(f.wallMs, (Math.ceil(f.requests / LIMIT) - 1) * (WINDOW_MS / TIME_SCALE) + at(1)) });
  const texts = feedback(s.texts);
  return [
    { id: "w1", peerProgram: "w1", title: `W1 map-reduce: ${s.n} completions, 1 chat`, program: "w1-mapreduce.feste", input: { docs }, server: base, floor: mapReduceFloor },
    {
      id: "w2", peerProgram: "w1", title: `W2 W1 at ${LIMIT} requests/window`, program: "w2-rate-limited.feste", input: { docs },
      server: { ...base, rateLimit: limited(LIMIT) }, timeScale: TIME_SCALE, floor: () => rated(mapReduceFloor()),
    },
    {
      id: "w2g", peerProgram: "w1", title: `W2 control: generous limit`, program: "w2-rate-limited.feste", input: { docs },
      server: { ...base, rateLimit: limited(1_000_000) }, timeScale: TIME_SCALE, floor: mapReduceFloor,
    },
    {
      id: "w2c", peerProgram: "w2c", title: `W2 chat: ${s.n} chat calls, 1 reduce, ${LIMIT}/window`, program: "w2-chat-rate-limited.feste", input: { docs },
      server: { ...base, rateLimit: limited(LIMIT) }, timeScale: TIME_SCALE, floor: () => rated({ requests: s.n + 1, wallMs: 2 * at(1) }),
    },
    {
      id: "w3", peerProgram: "w3", title: `W3 ragged: 64 roots, 64 dependants, 8 aggregators, 1 final; +0-${s.jitterMs} ms`, program: "w3-ragged.feste",
      input: { groups: topics(8, 8) }, server: { ...base, jitterMs: s.jitterMs }, floor: (answer) => raggedFloor(answer as Ragged, (a) => at(1) + jitterFor(a, s.jitterMs)),
    },
    {
      id: "w4o", peerProgram: "w4o", title: `W4 embed ${s.texts} texts (OpenAI, 2,048/request), 1 chat`, program: "w4-embed-openai.feste", input: { texts }, server: base,
      floor: () => ({ requests: Math.ceil(s.texts / 2048) + 1, wallMs: at(Math.min(2048, s.texts)) + at(1) }),
    },
    {
      id: "w4c", peerProgram: "w4c", title: `W4 embed ${s.texts} texts (Cohere, 96/call), 1 chat`, program: "w4-embed-cohere.feste", input: { texts }, server: base,
      floor: () => ({ requests: Math.ceil(s.texts / 96) + 1, wallMs: at(Math.min(96, s.texts)) + at(1) }),
    },
    {
      id: "w5", peerProgram: "w5", title: `W5 chain: ${s.chain} dependent chat calls, 0 ms latency`, program: "w5-chain.feste", input: { x: "start", calls: s.chain },
      server: { latencyMs: 0 }, floor: () => ({ requests: s.chain, wallMs: 0 }),
    },
    { id: "w6", peerProgram: "w6", title: "W6 the seed's example", program: "w6-seed.feste", input: {}, server: base, floor: () => ({ requests: 2, wallMs: at(2) }) },
    ...s.fanOut.map((n, i): Workload => ({
      id: i === 0 ? "f200" : "f1000", peerProgram: "f200", title: `Fan-out: ${n} structured chat calls, no client settings`, program: "f-fanout.feste",
      input: { docs: feedback(n) }, server: base, floor: () => ({ requests: n, wallMs: at(1) }),
    })),
    ...([true, false] as const).map((limitHeaders): Workload => ({
      id: limitHeaders ? "u300h" : "u300n", peerProgram: limitHeaders ? "u300h" : "u300n", program: "u-undeclared.feste", input: { docs: feedback(s.undeclared) },
      title: `Undeclared limit: ${s.undeclared} chat calls, ${LIMIT}/window, nothing declared, ${limitHeaders ? "with" : "no"} rate-limit headers`,
      server: { ...base, rateLimit: { requests: LIMIT, windowMs: WINDOW_MS, timeScale: TIME_SCALE, limitHeaders } }, timeScale: TIME_SCALE,
      floor: () => rated({ requests: s.undeclared, wallMs: at(1) }),
    })),
    {
      id: "w7", peerProgram: "w7", title: `W7 RAG: embed ${s.docs} docs and ${s.queries} queries, top 3 by cosine, 1 chat per query`, program: "w7-rag.feste",
      input: { docs: feedback(s.docs), queries: questions(s.queries) }, server: base,
      // Documents and queries embedded together (2,048 texts a request), then every chat at once.
      floor: () => ({ requests: Math.ceil((s.docs + s.queries) / 2048) + s.queries, wallMs: at(Math.min(2048, s.docs + s.queries)) + at(1) }),
    },
  ];
}

/** W5's program: `calls` chat calls, each asking the previous answer. */
export function chainProgram(calls: number): string {
  const lines = [
    "// W5: a chain of dependent chat calls (generated by the bench).",
    'client gpt: openai.chat { model: "gpt-4o-mini", max_tokens: 60, temperature: 0, base_url: env("BENCH_OPENAI_URL") }',
    "",
    "graph main(x: string, calls: int) -> string {",
    "  let a0 = x",
  ];
  for (let i = 1; i <= calls; i++) lines.push(`  let a${i} = gpt(a${i - 1})`);
  lines.push(`  a${calls}`, "}");
  return lines.join("\n") + "\n";
}

interface Ragged {
  readonly roots: string[][];
  readonly deps: string[][];
  readonly aggs: string[];
  readonly final: string;
}

/** W3's critical path: each dependant after its own root, each aggregator after its group, then the final call. */
function raggedFloor(r: Ragged, latency: (answer: string) => number): Floor {
  const groups = r.roots.map((rs, g) => Math.max(...rs.map((root, i) => latency(root) + latency(r.deps[g][i]))) + latency(r.aggs[g]));
  const calls = r.roots.flat().length * 2 + r.aggs.length + 1;
  return { requests: calls, wallMs: Math.max(...groups) + latency(r.final) };
}
