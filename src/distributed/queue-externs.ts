/**
 * The coordinator's extern runner: each `extern fn` call becomes a job on the extern queue,
 * run by a worker on its thread pool. Extern functions are pure, so a call's result is
 * stored under the hash of its program, function and arguments, and a call made before
 * (by this run, an earlier one, or a coordinator that crashed) is read back, not run again.
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

export interface QueueExternsContext {
  readonly redis: Redis;
  readonly waiter: JobWaiter;
  readonly queue: () => Promise<Queue>;
  readonly programHash: string;
  readonly stats: DistributedStats;
}

/** An `ExternRunner` that runs each call as a job; see the module comment. */
export function queueExterns(ctx: QueueExternsContext): ExternRunner {
  return async (module, fn, args, signal) => {
    signal?.throwIfAborted();
    const key = createHash("sha256").update(canonicalJson([ctx.programHash, module, fn, args])).digest("hex");
    const id = `x${key}`;
    const expected = ctx.waiter.expect(id, signal);
    let stored = await ctx.redis.get(externKey(key));
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
    if (stored === null) throw new FesteRuntimeError("FE4011", `the result of \`${fn}\` is missing from Redis (was it evicted? Redis needs maxmemory-policy noeviction)`);
    return (JSON.parse(stored) as { value: Data }).value;
  };
}
