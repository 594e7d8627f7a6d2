/**
 * The data of the jobs a coordinator puts on the queues, and of the message a worker
 * publishes when one is done. Job data names the program by hash and the client by name;
 * workers read keys from their own environment, so no job carries one.
 */
import type { Settings } from "../ir/nodes.js";
import type { Type } from "../ir/types.js";
import type { Data } from "../ir/value.js";

export type ModelMethod = "complete" | "embed" | "rerank";

/** One model request: its items in order, and the Redis key each answer is stored under. */
export interface ModelJob {
  readonly program: string;
  readonly method: ModelMethod;
  /** A concrete client of the program. */
  readonly client: string;
  readonly settings: Settings;
  /** Prompts (complete), texts (embed) or one `{ query, documents }` (rerank). */
  readonly items: readonly unknown[];
  readonly output?: Type;
  /** Hex answer keys, one per item. */
  readonly keys: readonly string[];
}

/** One extern call, its result stored under `key`. */
export interface ExternJob {
  readonly program: string;
  readonly module: string;
  readonly fn: string;
  readonly args: readonly Data[];
  readonly key: string;
}

/** A failure as it crosses the wire: enough to report it like a local one. */
export interface JobFailure {
  readonly code: string;
  readonly message: string;
  /** The item of a multi-item request the provider blamed. */
  readonly item?: number;
}

/** Tokens a job's request used, as the provider reported them (for the run's summary). */
export interface JobUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** Published on `DONE_CHANNEL` once a job's answers are in Redis, or it failed for good. */
export interface DoneMessage {
  readonly id: string;
  readonly error?: JobFailure;
  /** Absent when nothing was sent (the answers were already stored). */
  readonly usage?: JobUsage;
}

/** Job names, as BullMQ shows them in dashboards. */
export const JOB_NAME = { model: "model-call", extern: "extern-call" } as const;
