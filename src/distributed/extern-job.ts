/**
 * How a worker runs an extern-call job: on its own thread pool, from the program's bundled
 * module. The result is stored in Redis before the job counts as done; a re-delivered job
 * whose result is already there runs nothing.
 */
import type { Job } from "bullmq";
import type { Redis } from "ioredis";
import type { ExternPool } from "../runtime/extern-pool.js";
import type { ExternJob } from "./jobs.js";
import { externKey } from "./keys.js";
import { publishDone, publishFailure } from "./publish.js";
import type { WorkerPrograms } from "./worker-programs.js";

export interface ExternJobContext {
  readonly redis: Redis;
  readonly programs: WorkerPrograms;
  readonly pool: ExternPool;
}

/** Processes one job; see the module comment. */
export async function runExternJob(ctx: ExternJobContext, job: Job<ExternJob>): Promise<void> {
  const data = job.data;
  const id = job.id!;
  if ((await ctx.redis.exists(externKey(data.key))) === 1) return publishDone(ctx.redis, id);
  try {
    const program = await ctx.programs.load(data.program);
    const file = program.externFiles.get(data.module);
    if (!file) return publishFailure(ctx.redis, id, { code: "FE4005", message: `cannot find the extern module \`${data.module}\`` });
    const value = await ctx.pool.run(file, data.fn, data.args);
    await ctx.redis.set(externKey(data.key), JSON.stringify({ value }));
  } catch (e) {
    return publishFailure(ctx.redis, id, e);
  }
  await publishDone(ctx.redis, id);
}
