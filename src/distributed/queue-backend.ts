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
import { JOB_NAME, type ModelJob, type ModelMethod } from "./jobs.js";
import { answerKey } from "./keys.js";
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
  readonly waiter: JobWaiter;
  /** The queue of a concrete client, by its name. */
  readonly queueOf: (client: string) => Promise<Queue>;
  readonly programHash: string;
  readonly env: Env;
  readonly stats: DistributedStats;
}

/** A backend that sends every request as a job; see the module comment. */
export function queueBackend(ctx: QueueBackendContext): ModelBackend {
  const samples = new SampleNumbers();

  async function answer(method: ModelMethod, client: IrClient, settings: Settings, wire: readonly unknown[], keyed: readonly unknown[], signal: AbortSignal | undefined, output?: { type: Type; types: Readonly<Record<string, IrTypeDef>> }): Promise<unknown[]> {
    const scope = requestScope(method, client, settings, ctx.env, output) ?? fallbackScope(method, client, settings);
    const bases = keyed.map((item) => itemKey(scope, item));
    const drawn = scope.deterministic ? [] : bases.map((b) => samples.take(b.toString("hex")));
    let ok = false;
    try {
      const keys = (scope.deterministic ? bases : bases.map((b, i) => sampleKey(b, drawn[i]))).map((k) => k.toString("hex"));
      // Equal items of a deterministic request share one answer, and are sent once.
      const distinct = [...new Set(keys)];
      const positions = distinct.map((k) => keys.indexOf(k));
      const id = `m${createHash("sha256").update(method).update(distinct.join(",")).digest("hex")}`;
      const expected = ctx.waiter.expect(id, signal);
      let stored = await ctx.redis.mget(distinct.map(answerKey));
      const missing = distinct.filter((_, i) => stored[i] === null);
      if (missing.length === 0) {
        expected.cancel();
        ctx.stats.reused += keys.length;
      } else {
        ctx.stats.reused += keys.length - missing.length;
        const sent = positions.filter((_, i) => stored[i] === null);
        // The job carries only the items still unanswered; its id covers them alone.
        const jobId = missing.length === distinct.length ? id : `m${createHash("sha256").update(method).update(missing.join(",")).digest("hex")}`;
        const waitFor = jobId === id ? expected : (expected.cancel(), ctx.waiter.expect(jobId, signal));
        if (jobId !== id) {
          // Registered anew before looking again, so an answer landing now is not missed.
          stored = await ctx.redis.mget(distinct.map(answerKey));
        }
        if (distinct.some((_, i) => stored[i] === null)) {
          const job: ModelJob = { program: ctx.programHash, method, client: client.name, settings, items: sent.map((i) => wire[i]), keys: missing, ...(output ? { output: output.type } : {}) };
          const queue = await ctx.queueOf(client.name);
          await queue.add(JOB_NAME.model, job, { jobId, removeOnComplete: true, removeOnFail: true });
          ctx.stats.modelJobs++;
          await waitFor.done;
          stored = await ctx.redis.mget(distinct.map(answerKey));
        } else {
          waitFor.cancel();
        }
      }
      const byKey = new Map(distinct.map((k, i) => [k, stored[i]]));
      const out = keys.map((k) => {
        const text = byKey.get(k);
        if (text === null || text === undefined) throw new FesteRuntimeError("FE4011", `the answer of a job for client \`${client.name}\` is missing from Redis (was it evicted? Redis needs maxmemory-policy noeviction)`);
        return JSON.parse(text) as unknown;
      });
      ok = true;
      return out;
    } finally {
      if (!ok) drawn.forEach((n, i) => samples.giveBack(bases[i].toString("hex"), n));
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

/**
 * A request the response cache would not key (an `{ env }` setting whose variable is unset
 * here): keyed by everything it carries instead, and treated as a sample.
 */
function fallbackScope(method: ModelMethod, client: IrClient, settings: Settings): RequestScope {
  return { text: canonicalJson(["feste-job/1", method, client.name, client.provider ?? null, client.endpoint ?? null, settings]), deterministic: false };
}
