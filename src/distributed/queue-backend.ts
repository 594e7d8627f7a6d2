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
import { SampleNumbers } from "../runtime/cache/sample-numbers.js";

/** What a distributed run counts besides requests: jobs queued and items answered from Redis. */
export interface DistributedStats {
  modelJobs: number;
  externJobs: number;
  /** Items (and extern calls) answered from Redis without a job. */
  reused: number;
}

export interface QueueBackendContext {
  readonly redis: Redis;
  /** The server's URL, for FE4012. */
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

/** The keys the stored-answers layer computed for the requests it passes on, so the queue layer keys them alike. */
const keysOf = new WeakMap<object, readonly string[]>();

/** Each item's answer key, sample numbers drawn for calls that are samples; `giveBack` returns them after a failure. */
function itemKeys(samples: SampleNumbers, ctx: QueueBackendContext, method: ModelMethod, client: IrClient, settings: Settings, keyed: readonly unknown[], output?: Output) {
  const scope = requestScope(method, client, settings, ctx.env, output) ?? fallbackScope(method, client, settings);
  const bases = keyed.map((item) => itemKey(scope, item).toString("hex"));
  const drawn = scope.deterministic ? [] : bases.map((b) => samples.take(b));
  const keys = scope.deterministic ? bases : bases.map((b, i) => sampleKey(Buffer.from(b, "hex"), drawn[i]).toString("hex"));
  return { keys, giveBack: () => drawn.forEach((n, i) => samples.giveBack(bases[i], n)) };
}

/** A backend that sends every request as a job; see the module comment. */
export function queueBackend(ctx: QueueBackendContext): ModelBackend {
  const samples = new SampleNumbers();

  async function answer(req: object, method: ModelMethod, client: IrClient, settings: Settings, wire: readonly unknown[], keyed: readonly unknown[], signal: AbortSignal | undefined, output?: Output): Promise<unknown[]> {
    const given = keysOf.get(req);
    const { keys, giveBack } = given ? { keys: given, giveBack: () => undefined } : itemKeys(samples, ctx, method, client, settings, keyed, output);
    try {
      return await viaQueue(ctx, { method, client, settings, wire, keys, signal, ...(output ? { output } : {}) });
    } catch (e) {
      // A failed request gives its sample numbers back, so a retry draws the same ones.
      giveBack();
      throw asRedisFailure(e, ctx.url);
    }
  }

  return {
    async complete(req: CompleteRequest): Promise<Data[]> {
      return (await answer(req, "complete", req.client, req.settings, req.prompts, req.prompts.map(promptItem), req.signal, { type: req.output, types: req.types })) as Data[];
    },
    async embed(req: EmbedRequest): Promise<number[][]> {
      return (await answer(req, "embed", req.client, req.settings, req.texts, req.texts, req.signal)) as number[][];
    },
    async rerank(req: RerankRequest): Promise<Data> {
      const item = { query: req.query, documents: req.documents };
      const [ranking] = await answer(req, "rerank", req.client, req.settings, [item], [[req.query, req.documents]], req.signal);
      return ranking as Data;
    },
  };
}

/**
 * The layer `runGraph` puts in front of its request counter (`storedAnswers`): items whose
 * answers Redis already holds are read here, and only the rest go on, as one request, to the
 * counter and the queue. So a re-run counts only what it really sends, as with the answer
 * cache.
 */
export function storedAnswers(ctx: QueueBackendContext): (counted: ModelBackend) => ModelBackend {
  return (counted) => {
    const samples = new SampleNumbers();

    /** The answers of `keyed` items: stored ones, and those `send` gets for the positions given. */
    async function answer<T>(method: ModelMethod, client: IrClient, settings: Settings, keyed: readonly unknown[], output: Output | undefined, send: (positions: number[], keys: string[]) => Promise<T[]>): Promise<T[]> {
      if (keyed.length === 0) return send([], []);
      const { keys, giveBack } = itemKeys(samples, ctx, method, client, settings, keyed, output);
      try {
        const distinct = [...new Set(keys)];
        const found = await ctx.redis.mget(distinct.map(answerKey));
        const byKey = new Map<string, unknown>();
        distinct.forEach((k, i) => found[i] !== null && byKey.set(k, JSON.parse(found[i]!)));
        ctx.stats.reused += keys.filter((k) => byKey.has(k)).length;
        const missing = distinct.filter((k) => !byKey.has(k));
        if (missing.length > 0) {
          const answers = await send(missing.map((k) => keys.indexOf(k)), missing);
          missing.forEach((k, j) => byKey.set(k, answers[j]));
        }
        return keys.map((k) => byKey.get(k) as T);
      } catch (e) {
        giveBack();
        throw asRedisFailure(e, ctx.url);
      }
    }

    const pass = <R extends object>(req: R, keys: readonly string[]): R => {
      keysOf.set(req, keys);
      return req;
    };
    return {
      complete: (req) =>
        answer("complete", req.client, req.settings, req.prompts.map(promptItem), { type: req.output, types: req.types }, (ix, keys) =>
          counted.complete(pass({ ...req, prompts: ix.map((i) => req.prompts[i]) }, keys)),
        ),
      embed: (req) => answer("embed", req.client, req.settings, req.texts, undefined, (ix, keys) => counted.embed(pass({ ...req, texts: ix.map((i) => req.texts[i]) }, keys))),
      rerank: async (req) => {
        const [ranking] = await answer("rerank", req.client, req.settings, [[req.query, req.documents]], undefined, async (_ix, keys) => [await counted.rerank(pass({ ...req }, keys))]);
        return ranking;
      },
    };
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
  if (r.keys.length === 0) return [];
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
