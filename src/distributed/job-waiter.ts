/**
 * How a coordinator learns that a job is done: workers publish a `DoneMessage` on one
 * channel after its answers are in Redis, and a queue that gives a job up (its worker died
 * more often than re-delivery allows) reports it through BullMQ's queue events. A waiter is
 * registered before the coordinator looks for stored answers and adds the job, so an answer
 * that lands in between is never missed. Pub/sub delivers at most once (a message published
 * while the coordinator was reconnecting is lost), so every few seconds the waiter also
 * looks for the answers of the jobs it still awaits; if Redis stays unreachable through
 * several such looks, the waits fail with FE4012 instead of hanging. Each look also checks
 * that Redis still holds the run (its program record): a server restarted empty, or
 * flushed, has lost the jobs, so the waits fail with FE4012 at once instead of waiting for
 * jobs no worker will ever see.
 */
import { QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import { FesteRuntimeError } from "../ir/errors.js";
import type { Code } from "../diagnostics/index.js";
import type { DoneMessage, JobFailure, JobUsage } from "./jobs.js";
import { DONE_CHANNEL } from "./keys.js";
import { asRedisFailure, redisWhere } from "./redis.js";

interface Waiter {
  resolve(usage?: JobUsage): void;
  reject(e: unknown): void;
}

/** Whether a job's answers are stored (it is done even if its message was lost). */
export type StoredCheck = () => Promise<boolean>;

/** How often awaited jobs are looked for in Redis, and how many failed looks in a row mean Redis is lost. */
const SWEEP_MS = 2_000;
const LOST_AFTER_SWEEPS = 5;

/** A pending job: `done` settles when it is (with the tokens it used, if it sent a request); `cancel` stops waiting (the answers were found). */
export interface Expected {
  readonly done: Promise<JobUsage | undefined>;
  cancel(): void;
}

export class JobWaiter {
  private readonly waiting = new Map<string, Set<Waiter>>();
  private readonly watched = new Map<string, QueueEvents>();
  private readonly bySignal = new WeakMap<AbortSignal, Map<Waiter, string>>();
  private readonly checks = new Map<string, StoredCheck>();
  private readonly sweeper: NodeJS.Timeout;
  private failedSweeps = 0;
  private sweeping = false;

  private constructor(
    private readonly subscriber: Redis,
    private readonly blocking: Redis,
    private readonly url: string,
    private readonly holdsRun: () => Promise<boolean>,
  ) {
    subscriber.on("message", (_channel: string, text: string) => this.onDone(text));
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_MS);
    this.sweeper.unref();
  }

  /**
   * Subscribes `subscriber` (a connection of its own: a subscribed one can do nothing else);
   * `blocking` serves BullMQ's queue events; `url` names the server in FE4012; `holdsRun`
   * tells whether Redis still holds the run's state.
   */
  static async open(subscriber: Redis, blocking: Redis, url: string, holdsRun: () => Promise<boolean> = async () => true): Promise<JobWaiter> {
    await subscriber.subscribe(DONE_CHANNEL);
    return new JobWaiter(subscriber, blocking, url, holdsRun);
  }

  /** Starts listening for jobs queue `name` gives up. */
  async watch(name: string): Promise<void> {
    if (this.watched.has(name)) return;
    const events = new QueueEvents(name, { connection: this.blocking });
    this.watched.set(name, events);
    events.on("error", () => undefined);
    events.on("failed", ({ jobId, failedReason }) => this.settle(jobId, { code: "FE4011", message: `the queue gave up job ${jobId}: ${failedReason}` }));
    await events.waitUntilReady();
  }

  /**
   * Registers interest in job `id`; rejects with the job's failure, or `signal`'s reason.
   * `stored` tells whether its answers are in Redis, for when its message is lost.
   */
  expect(id: string, signal?: AbortSignal, stored?: StoredCheck): Expected {
    let waiter!: Waiter;
    const done = new Promise<JobUsage | undefined>((resolve, reject) => (waiter = { resolve, reject }));
    let set = this.waiting.get(id);
    if (!set) this.waiting.set(id, (set = new Set()));
    set.add(waiter);
    if (stored) this.checks.set(id, stored);
    if (signal) this.onAbort(signal, id, waiter);
    const release = () => this.bySignal.get(signal!)?.delete(waiter);
    done.then(release, release);
    // A job no one awaits any more must not become an unhandled rejection.
    done.catch(() => undefined);
    return {
      done,
      cancel: () => {
        this.forget(id, waiter);
        waiter.resolve();
      },
    };
  }

  /**
   * One abort listener per signal, however many jobs a run waits for (a listener per job
   * would pile up on the run's signal), rejecting every job still awaited under it.
   */
  private onAbort(signal: AbortSignal, id: string, waiter: Waiter): void {
    let pending = this.bySignal.get(signal);
    if (!pending) {
      const mine = new Map<Waiter, string>();
      this.bySignal.set(signal, (pending = mine));
      signal.addEventListener(
        "abort",
        () => {
          for (const [w, job] of mine) {
            this.forget(job, w);
            w.reject(signal.reason);
          }
          mine.clear();
        },
        { once: true },
      );
    }
    pending.set(waiter, id);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.subscriber.disconnect();
    await Promise.allSettled([...this.watched.values()].map((e) => e.close()));
  }

  private onDone(text: string): void {
    let msg: DoneMessage;
    try {
      msg = JSON.parse(text) as DoneMessage;
    } catch {
      return;
    }
    if (typeof msg?.id === "string") this.settle(msg.id, msg.error, msg.usage);
  }

  /** Looks for the answers of every awaited job; see the module comment. */
  private async sweep(): Promise<void> {
    if (this.sweeping || this.waiting.size === 0) return;
    this.sweeping = true;
    try {
      if (!(await this.holdsRun())) {
        const message = `Redis at ${redisWhere(this.url)} lost this run's jobs (it restarted empty, or its data was flushed); start the run again`;
        for (const id of [...this.waiting.keys()]) this.settle(id, { code: "FE4012", message });
        return;
      }
      for (const [id, stored] of [...this.checks]) {
        if (await stored()) this.settle(id, undefined);
      }
      this.failedSweeps = 0;
    } catch (e) {
      if (++this.failedSweeps >= LOST_AFTER_SWEEPS) {
        const lost = asRedisFailure(e, this.url) as FesteRuntimeError;
        for (const id of [...this.waiting.keys()]) this.settle(id, { code: lost.code, message: lost.message });
      }
    } finally {
      this.sweeping = false;
    }
  }

  private settle(id: string, error: JobFailure | undefined, usage?: JobUsage): void {
    this.checks.delete(id);
    const set = this.waiting.get(id);
    if (!set) return;
    this.waiting.delete(id);
    for (const w of set) {
      if (!error) w.resolve(usage);
      else w.reject(failureOf(error));
    }
  }

  private forget(id: string, waiter: Waiter): void {
    const set = this.waiting.get(id);
    set?.delete(waiter);
    if (set?.size === 0) {
      this.waiting.delete(id);
      this.checks.delete(id);
    }
  }
}

/** A failure from the wire as the runtime reports local ones; never retried by the coordinator (the worker did). */
export function failureOf(f: JobFailure): FesteRuntimeError {
  const code = /^FE4\d{3}$/.test(f.code) ? (f.code as Code) : "FE4004";
  const e = new FesteRuntimeError(code, f.message);
  return f.item !== undefined ? Object.assign(e, { item: f.item }) : e;
}
