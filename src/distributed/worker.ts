/**
 * `feste worker`: serves the queues coordinators register, any number of processes on any
 * number of machines. It watches the registry in Redis and starts a BullMQ worker for each
 * queue it has not met yet, with that queue's limiter (so a client's `rpm` holds across all
 * workers). Job locks are short, so a worker killed mid-job is noticed within a few seconds
 * and its job re-delivered to another.
 */
import { availableParallelism } from "node:os";
import { Queue, Worker, type Job } from "bullmq";
import type { Env } from "../runtime/cache/request-key.js";
import { createExternPool } from "../runtime/extern-pool.js";
import { runExternJob } from "./extern-job.js";
import type { ExternJob, ModelJob } from "./jobs.js";
import { REGISTRY } from "./keys.js";
import { runModelJob } from "./model-job.js";
import type { QueueSpec } from "./queues.js";
import { connectRedis, probeRedis, redisWhere } from "./redis.js";
import { WorkerPrograms } from "./worker-programs.js";

export interface WorkerOptions {
  /** `redis://HOST:PORT` */
  readonly redis: string;
  /** Model-call jobs in progress at once, per queue; default 32 (they wait on the network). */
  readonly concurrency?: number;
  /** Extern-call jobs in progress at once; default one per core. */
  readonly externConcurrency?: number;
  /** How long a job's lock lasts without renewal: a dead worker's job is re-delivered after about this long (ms); default 4000. */
  readonly lockDurationMs?: number;
  /** Where API keys and `env("…")` settings are read; default process.env. */
  readonly env?: Env;
  /** Told of queues joined and of errors, for the command line to print. */
  readonly log?: (line: string) => void;
}

export interface FesteWorker {
  /** Names of the queues served so far. */
  readonly queues: () => readonly string[];
  /** Jobs this worker has finished (answered, or reported failed). */
  readonly jobs: () => number;
  /**
   * Stops taking jobs, waits up to `CLOSE_GRACE_MS` for those in progress (not at all while
   * Redis is down: they could not report), and disconnects. Resolves false when something
   * was cut off or left hanging (a job then goes to another worker once its lock expires;
   * BullMQ's own connections may keep retrying, so the caller should end the process).
   */
  close(): Promise<boolean>;
}

export const DEFAULT_WORKER_CONCURRENCY = 32;
export const DEFAULT_LOCK_DURATION_MS = 4_000;
/** How often the registry is read for new queues. */
const REGISTRY_POLL_MS = 500;
/** How long stopping waits for jobs in progress; `feste worker` must be gone within 5 s of a signal. */
const CLOSE_GRACE_MS = 3_000;

/** A failure to reach Redis (as opposed to one of a job or of BullMQ itself). */
function isConnectionError(e: Error): boolean {
  const code = (e as { code?: unknown }).code;
  return (typeof code === "string" && /^E(CONN|TIMEDOUT|HOSTUNREACH|NETUNREACH|NOTFOUND|PIPE|AI_AGAIN)/.test(code)) || /Connection is closed|connect ETIMEDOUT|Stream isn't writeable/.test(e.message);
}

/** `p`'s settling within `ms`: true if it settled in time. */
function within(ms: number, p: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p.then(() => true, () => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))]).finally(() => clearTimeout(timer));
}

/** Starts serving; FE4012 when Redis cannot be reached. */
export async function startWorker(options: WorkerOptions): Promise<FesteWorker> {
  await probeRedis(options.redis);
  const redis = connectRedis(options.redis);
  const log = options.log ?? (() => undefined);
  // One line when Redis goes and one when it is back, however many connections notice and
  // however often they retry (each queue's worker reports every failed reconnection).
  let down = false;
  const lost = (e: Error) => {
    if (down) return;
    down = true;
    log(`lost Redis at ${redisWhere(options.redis)} (${e.message}); waiting for it to come back`);
  };
  redis.on("error", (e: Error) => isConnectionError(e) && lost(e));
  redis.on("ready", () => {
    if (!down) return;
    down = false;
    log(`Redis at ${redisWhere(options.redis)} is back`);
  });
  const programs = new WorkerPrograms(redis, options.env ?? process.env);
  const pool = createExternPool();
  const abort = new AbortController();
  const served = new Map<string, { worker: Worker; queue: Queue }>();
  const lockDuration = options.lockDurationMs ?? DEFAULT_LOCK_DURATION_MS;
  let finished = 0;

  const serve = (spec: QueueSpec) => {
    if (served.has(spec.name)) return;
    const queue = new Queue(spec.name, { connection: redis });
    // Without a listener BullMQ prints the error with its stack (console.error).
    queue.on("error", (e) => isConnectionError(e) && lost(e));
    const processor =
      spec.kind === "extern"
        ? (job: Job) => runExternJob({ redis, programs, pool }, job as Job<ExternJob>)
        : (job: Job) => runModelJob({ redis, programs, spec, queue, signal: abort.signal }, job as Job<ModelJob>);
    const worker = new Worker(spec.name, processor, {
      connection: redis,
      concurrency: spec.kind === "extern" ? (options.externConcurrency ?? availableParallelism()) : (options.concurrency ?? DEFAULT_WORKER_CONCURRENCY),
      lockDuration,
      stalledInterval: Math.max(500, Math.floor(lockDuration / 2)),
      // One re-delivery: a call in flight when its worker dies is paid at most twice.
      maxStalledCount: 1,
      ...(spec.limiter ? { limiter: spec.limiter } : {}),
    });
    worker.on("error", (e) => (isConnectionError(e) ? lost(e) : log(`error on ${spec.name}: ${e.message}`)));
    worker.on("completed", () => void finished++);
    served.set(spec.name, { worker, queue });
    log(`serving ${spec.name}${spec.limiter ? ` (at most ${spec.limiter.max} jobs per ${Math.round(spec.limiter.duration)} ms)` : ""}`);
  };

  const discover = async () => {
    const registry = await redis.hgetall(REGISTRY);
    for (const name of Object.keys(registry).sort()) {
      try {
        serve(JSON.parse(registry[name]) as QueueSpec);
      } catch {
        log(`skipping ${name}: its registry entry is not readable`);
      }
    }
  };
  await discover();
  let polling: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    if (down) return;
    polling = discover().catch((e: Error) => (isConnectionError(e) ? lost(e) : log(`cannot read the queue registry: ${e.message}`)));
  }, REGISTRY_POLL_MS);

  return {
    queues: () => [...served.keys()],
    jobs: () => finished,
    async close() {
      clearInterval(timer);
      const polite = (async () => {
        await polling;
        await Promise.allSettled([...served.values()].map(async ({ worker, queue }) => {
          await worker.close();
          await queue.close();
        }));
      })();
      // BullMQ's close waits for Redis and never gives up while it is down (taskforcesh/bullmq#4656).
      const inTime = !down && redis.status === "ready" && (await within(CLOSE_GRACE_MS, polite));
      abort.abort();
      if (!inTime) for (const { worker } of served.values()) void worker.close(true).catch(() => undefined);
      await Promise.allSettled([pool.close(), within(500, programs.close())]);
      redis.disconnect();
      return inTime;
    },
  };
}
