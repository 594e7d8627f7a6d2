/**
 * The coordinator's `ModelBackend`: each request the scheduler forms becomes one BullMQ job
 * on its client's queue, unless Redis already holds its answers. Answers are stored per item
 * under the response cache's key (`request-key.ts`), so a request is sent only for the items
 * nobody has paid for yet, a re-run after a coordinator crash sends nothing that finished, and
 * a job's id is the hash of the keys it answers: adding it twice (two coordinators, or a
 * re-run while the first job is still queued) queues it once.
 */
import { createHash } from "node:crypto";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { FesteRuntimeError } from "../ir/errors.js";
import type { IrClient, IrTypeDef, Settings } from "../ir/nodes.js";
import type { Type } from "../ir/types.js";
import type { Data } from "../ir/value.js";
import type { CompleteRequest, EmbedRequest, ModelBackend, RerankRequest } from "../runtime/backend.js";
import { canonicalJson, itemKey, promptItem, requestScope, sampleKey, type Env, type RequestScope } from "../runtime/cache/request-key.js";
import type { JobWaiter } from "./job-waiter.js";
import { JOB_NAME, type JobUsage, type ModelJob, type ModelMethod } from "./jobs.js";
import { answerKey } from "./keys.js";
import { asRedisFailure } from "./redis.js";
import { SampleNumbers } from "./sample-numbers.js";

/** What a distributed run counts besides requests: jobs queued and items answered from Redis. */
export interface DistributedStats {
  modelJobs: number;
  externJobs: number;
  /** Items (and extern calls) answered from Redis without a job. */
  reused: number;
}

export interface QueueBackendContext {
  readonly redis: Redis;
  /** The server's URL, for FE4010. */
  readonly url: string;
  readonly waiter: JobWaiter;
  /** The queue of a concrete client, by its name. */
  readonly queueOf: (client: string) => Promise<Queue>;
  readonly programHash: string;
  readonly env: Env;
  readonly stats: DistributedStats;
  /** Told the tokens each job's request used, as a local provider backend's `onUsage` is. */
  readonly onUsage?: (client: IrClient, usage: JobUsage) => void;
}

/** A backend that sends every request as a job; see the module comment. */
export function queueBackend(ctx: QueueBackendContext): ModelBackend {
  const samples = new SampleNumbers();

  async function answer(method: ModelMethod, client: IrClient, settings: Settings, wire: readonly unknown[], keyed: readonly unknown[], signal: AbortSignal | undefined, output?: Output): Promise<unknown[]> {
    const scope = requestScope(method, client, settings, ctx.env, output) ?? fallbackScope(method, client, settings);
    const bases = keyed.map((item) => itemKey(scope, item).toString("hex"));
    const drawn = scope.deterministic ? [] : bases.map((b) => samples.take(b));
    const keys = scope.deterministic ? bases : bases.map((b, i) => sampleKey(Buffer.from(b, "hex"), drawn[i]).toString("hex"));
    try {
      return await viaQueue(ctx, { method, client, settings, wire, keys, signal, ...(output ? { output } : {}) });
    } catch (e) {
      // A failed request gives its sample numbers back, so a retry draws the same ones.
      drawn.forEach((n, i) => samples.giveBack(bases[i], n));
      throw asRedisFailure(e, ctx.url);
    }
  }

  return {
    async complete(req: CompleteRequest): Promise<Data[]> {
      return (await answer("complete", req.client, req.settings, req.prompts, req.prompts.map(promptItem), req.signal, { type: req.output, types: req.types })) as Data[];
    },
    async embed(req: EmbedRequest): Promise<number[][]> {
      return (await answer("embed", req.client, req.settings, req.texts, req.texts, req.signal)) as number[][];
    },
    async rerank(req: RerankRequest): Promise<Data> {
      const item = { query: req.query, documents: req.documents };
      const [ranking] = await answer("rerank", req.client, req.settings, [item], [[req.query, req.documents]], req.signal);
      return ranking as Data;
    },
  };
}

type Output = { readonly type: Type; readonly types: Readonly<Record<string, IrTypeDef>> };

interface Request {
  readonly method: ModelMethod;
  readonly client: IrClient;
  readonly settings: Settings;
  /** The items as the job carries them. */
  readonly wire: readonly unknown[];
  /** Each item's answer key (hex). */
  readonly keys: readonly string[];
  readonly signal: AbortSignal | undefined;
  readonly output?: Output;
}

/**
 * The answers of a request: those Redis holds, and the others from one job carrying only the
 * items still unanswered (equal items of a deterministic request share one answer).
 */
async function viaQueue(ctx: QueueBackendContext, r: Request): Promise<unknown[]> {
  const distinct = [...new Set(r.keys)];
  const stored = await lookUp(ctx, r, distinct);
  const byKey = new Map(distinct.map((k, i) => [k, stored[i]]));
  return r.keys.map((k) => {
    const text = byKey.get(k);
    if (text === null || text === undefined) throw new FesteRuntimeError("FE4011", `the answer of a job for client \`${r.client.name}\` is missing from Redis (was it evicted? Redis needs maxmemory-policy noeviction)`);
    return JSON.parse(text) as unknown;
  });
}

/** The stored answers of `distinct` keys, after a job for the missing ones when there are any. */
async function lookUp(ctx: QueueBackendContext, r: Request, distinct: readonly string[]): Promise<(string | null)[]> {
  const found = await ctx.redis.mget(distinct.map(answerKey));
  const missing = distinct.filter((_, i) => found[i] === null);
  const have = new Set(distinct.filter((_, i) => found[i] !== null));
  ctx.stats.reused += r.keys.filter((k) => have.has(k)).length;
  if (missing.length === 0) return found;
  // Registered before looking again and adding the job, so an answer landing now is not missed.
  const id = `m${createHash("sha256").update(r.method).update(missing.join(",")).digest("hex")}`;
  const expected = ctx.waiter.expect(id, r.signal, async () => (await ctx.redis.exists(...missing.map(answerKey))) === missing.length);
  const again = await ctx.redis.mget(missing.map(answerKey));
  if (again.every((a) => a !== null)) {
    expected.cancel();
  } else {
    const position = new Map(r.keys.map((k, i) => [k, i] as const).reverse());
    const items = missing.map((k) => r.wire[position.get(k)!]);
    const job: ModelJob = { program: ctx.programHash, method: r.method, client: r.client.name, settings: r.settings, items, keys: missing, ...(r.output ? { output: r.output.type } : {}) };
    const queue = await ctx.queueOf(r.client.name);
    // The id is the hash of the keys it answers: the same job added twice is queued once.
    await queue.add(JOB_NAME.model, job, { jobId: id, removeOnComplete: true, removeOnFail: true });
    ctx.stats.modelJobs++;
    const usage = await expected.done;
    if (usage) ctx.onUsage?.(r.client, usage);
  }
  return ctx.redis.mget(distinct.map(answerKey));
}

/**
 * A request the response cache would not key (an `{ env }` setting whose variable is unset
 * here): keyed by everything it carries instead, and treated as a sample.
 */
function fallbackScope(method: ModelMethod, client: IrClient, settings: Settings): RequestScope {
  return { text: canonicalJson(["feste-job/1", method, client.name, client.provider ?? null, client.endpoint ?? null, settings]), deterministic: false };
}
