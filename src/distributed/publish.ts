/** A worker's word that a job failed for good, published so the coordinator reports it like a local failure. */
import type { Redis } from "ioredis";
import type { DoneMessage, JobFailure } from "./jobs.js";
import { DONE_CHANNEL } from "./keys.js";

/** Publishes that job `id` is answered (its answers are in Redis already), with what it used. */
export async function publishDone(redis: Redis, id: string, usage?: DoneMessage["usage"]): Promise<void> {
  const msg: DoneMessage = usage === undefined ? { id } : { id, usage };
  await redis.publish(DONE_CHANNEL, JSON.stringify(msg));
}

/** Publishes `e` (an error or a `JobFailure`) as job `id`'s failure; the job itself completes. */
export async function publishFailure(redis: Redis, id: string, e: unknown): Promise<void> {
  const msg: DoneMessage = { id, error: failureData(e) };
  await redis.publish(DONE_CHANNEL, JSON.stringify(msg));
}

function failureData(e: unknown): JobFailure {
  const x = e as { code?: unknown; message?: unknown; item?: unknown };
  const code = typeof x?.code === "string" && /^FE\d{4}$/.test(x.code) ? x.code : "FE4004";
  const message = typeof x?.message === "string" ? x.message : String(e);
  return { code, message, ...(typeof x?.item === "number" ? { item: x.item } : {}) };
}
