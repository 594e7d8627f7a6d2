/**
 * The coordinator of a distributed run: the ordinary scheduler (`runGraph`, dependency
 * counts and dynamic batching) running in the `feste exec` process, given a backend and an
 * extern runner that turn each request and each extern call into a BullMQ job. It owns the
 * DAG (BullMQ flows are trees); workers own the calls. Starting one stores the program for
 * the workers and registers the queues they are to serve.
 */
import { createHash } from "node:crypto";
import { Queue } from "bullmq";
import type { IrClient, IrProgram } from "../ir/nodes.js";
import type { JobUsage } from "./jobs.js";
import type { ModelBackend } from "../runtime/backend.js";
import type { Env } from "../runtime/cache/request-key.js";
import type { ExternRunner } from "../runtime/run-hooks.js";
import { JobWaiter } from "./job-waiter.js";
import { programKey, REGISTRY } from "./keys.js";
import { programRecord, recordHash, type StandInAddress } from "./program-record.js";
import { queueBackend, storedAnswers, type DistributedStats } from "./queue-backend.js";
import { queueExterns } from "./queue-externs.js";
import { createExternPool, type ExternPool } from "../runtime/extern-pool.js";
import { queuesOf, withoutPacing, type QueueSpec } from "./queues.js";
import { connectRedis, probeRedis } from "./redis.js";

export interface CoordinatorOptions {
  /** `redis://HOST:PORT` */
  readonly redis: string;
  /** The program as it is to run (run options already applied). */
  readonly program: IrProgram;
  /** Provider time over real time (tests against a stand-in with a scaled clock); default 1. */
  readonly timeScale?: number;
  /** `--fake`: workers send every call to this stand-in server, with a dummy key. */
  readonly standIn?: StandInAddress;
  /** Where `{ env }` settings are read for answer keys; default process.env. */
  readonly env?: Env;
  /**
   * `workers` (default): extern functions run as jobs, their modules bundled from the paths
   * the program names; `local`: the caller runs them (a generated module has imported them).
   */
  readonly externs?: "workers" | "local";
  /** Told the tokens each request used (reported by the worker that sent it). */
  readonly onUsage?: (client: IrClient, usage: JobUsage) => void;
}

export interface Coordinator {
  /** What to hand `runGraph`: the program with pacing left to the queues' limiters. */
  readonly program: IrProgram;
  readonly backend: ModelBackend;
  /** For `runGraph`'s `storedAnswers`: answers already in Redis are not counted as requests. */
  readonly storedAnswers: (counted: ModelBackend) => ModelBackend;
  readonly externs: ExternRunner;
  readonly stats: DistributedStats;
  /** The program record's hash, as workers know it. */
  readonly programHash: string;
  close(): Promise<void>;
}

/** How long closing may wait for Redis before the connections are simply dropped. */
const CLOSE_GRACE_MS = 2_000;

/** Connects (FE4012 when Redis cannot be reached), stores the program, registers its queues. */
export async function startCoordinator(options: CoordinatorOptions): Promise<Coordinator> {
  await probeRedis(options.redis);
  const record = await programRecord(options.program, { bundleExterns: options.externs !== "local", ...(options.standIn ? { standIn: options.standIn } : {}) });
  const hash = recordHash(record);
  const specs = queuesOf(options.program, options.timeScale ?? 1);
  // Feste's own commands fail fast (FE4012); BullMQ's blocking reads and the subscription wait through outages.
  const redis = connectRedis(options.redis, { failFast: true });
  const blocking = connectRedis(options.redis);
  const subscriber = connectRedis(options.redis);
  await redis.set(programKey(hash), JSON.stringify(record), "NX");
  await redis.hset(REGISTRY, Object.fromEntries([...specs.values()].map((s) => [s.name, JSON.stringify(s)])));
  // The program record is set once and never expires: gone means Redis lost the run.
  const waiter = await JobWaiter.open(subscriber, blocking, options.redis, async () => (await redis.exists(programKey(hash))) === 1);
  const queues = new Map<string, Promise<Queue>>();
  const open = (spec: QueueSpec): Promise<Queue> => {
    let q = queues.get(spec.name);
    if (!q) {
      q = (async () => {
        await waiter.watch(spec.name);
        const queue = new Queue(spec.name, { connection: redis });
        queue.on("error", () => undefined);
        return queue;
      })();
      queues.set(spec.name, q);
    }
    return q;
  };
  const stats: DistributedStats = { modelJobs: 0, externJobs: 0, reused: 0 };
  const env = options.env ?? process.env;
  const context = { redis, url: options.redis, waiter, programHash: hash, env, stats, ...(options.onUsage ? { onUsage: options.onUsage } : {}), queueOf: (client: string) => open(specs.get(client)!) };
  const backend = queueBackend(context);
  const moduleHashes = new Map(Object.entries(record.externs).map(([m, code]) => [m, createHash("sha256").update(code).digest("hex")]));
  const queued = queueExterns({ redis, url: options.redis, waiter, programHash: hash, moduleHashes, stats, queue: () => open(specs.get("")!) });
  // An `extern io fn` acts on the world from here, as in a local run: it is never a job, so
  // it is neither stored under its arguments nor run on another machine.
  let here: ExternPool | undefined;
  const externs: ExternRunner = (module, fn, args, signal, mode) => (mode === "io" ? (here ??= createExternPool()).run(module, fn, args, signal, "io") : queued(module, fn, args, signal));
  return {
    program: withoutPacing(options.program),
    backend,
    storedAnswers: storedAnswers(context),
    externs,
    stats,
    programHash: hash,
    async close() {
      // Closing politely needs Redis; with Redis gone it would wait forever, so it gets a moment, then the sockets go.
      const polite = (async () => {
        const opened = await Promise.allSettled(queues.values());
        await Promise.allSettled(opened.map((q) => (q.status === "fulfilled" ? q.value.close() : undefined)));
        await waiter.close();
      })();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([polite, new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS)))]);
      clearTimeout(timer);
      for (const c of [redis, blocking, subscriber]) c.disconnect();
      await here?.close();
    },
  };
}
