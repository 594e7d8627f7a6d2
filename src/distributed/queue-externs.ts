/**
 * The coordinator's extern runner: each `extern fn` call becomes a job on the extern queue,
 * run by a worker on its thread pool. Extern functions are pure, so a call's result is
 * stored under the hash of its module's bundled code, the function and the arguments, and a
 * call made before (by this run, an earlier one of any program using the same code, or a
 * coordinator that crashed) is read back, not run again.
 */
import { createHash } from "node:crypto";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { FesteRuntimeError } from "../ir/errors.js";
import type { Data } from "../ir/value.js";
import { canonicalJson } from "../runtime/cache/request-key.js";
import type { ExternRunner } from "../runtime/run-hooks.js";
import type { JobWaiter } from "./job-waiter.js";
import { JOB_NAME, type ExternJob } from "./jobs.js";
import { externKey } from "./keys.js";
import type { DistributedStats } from "./queue-backend.js";
import { asRedisFailure } from "./redis.js";

export interface QueueExternsContext {
  readonly redis: Redis;
  /** The server's URL, for FE4012. */
  readonly url: string;
  readonly waiter: JobWaiter;
  readonly queue: () => Promise<Queue>;
  readonly programHash: string;
  /** The hash of each extern module's bundled code, by the module string the IR names. */
  readonly moduleHashes: ReadonlyMap<string, string>;
  readonly stats: DistributedStats;
}

/** An `ExternRunner` that runs each call as a job; see the module comment. */
export function queueExterns(ctx: QueueExternsContext): ExternRunner {
  return async (module, fn, args, signal) => {
    signal?.throwIfAborted();
    const code = ctx.moduleHashes.get(module);
    if (code === undefined) throw new FesteRuntimeError("FE4005", `cannot find the extern module \`${module}\``);
    const key = createHash("sha256").update(canonicalJson(["feste-extern/1", code, fn, args])).digest("hex");
    const id = `x${key}`;
    const expected = ctx.waiter.expect(id, signal, async () => (await ctx.redis.exists(externKey(key))) === 1);
    let stored: string | null;
    try {
      stored = await ctx.redis.get(externKey(key));
      if (stored !== null) {
        expected.cancel();
        ctx.stats.reused++;
      } else {
        const job: ExternJob = { program: ctx.programHash, module, fn, args, key };
        await (await ctx.queue()).add(JOB_NAME.extern, job, { jobId: id, removeOnComplete: true, removeOnFail: true });
        ctx.stats.externJobs++;
        await expected.done;
        stored = await ctx.redis.get(externKey(key));
      }
    } catch (e) {
      throw asRedisFailure(e, ctx.url);
    }
    if (stored === null) throw new FesteRuntimeError("FE4011", `the result of \`${fn}\` is missing from Redis (was it evicted? Redis needs maxmemory-policy noeviction)`);
    return (JSON.parse(stored) as { value: Data }).value;
  };
}
