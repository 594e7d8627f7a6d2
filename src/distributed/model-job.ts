/**
 * How a worker answers a model-call job. A job re-delivered after its worker died first
 * looks in Redis: if its answers are there, nothing is sent. Otherwise the request goes out
 * through the same provider backend a local run uses, failures that may pass are retried
 * here (a 429 on a paced queue goes back to the queue, which holds every worker of the client
 * for the wait the server asked, and counts it again), and the answers are written to Redis
 * before the job counts as done. A failure for good is published, not thrown, so BullMQ
 * does not retry what the worker already retried.
 */
import type { Job, Queue } from "bullmq";
import { RateLimitError } from "bullmq";
import type { Redis } from "ioredis";
import type { IrProgram } from "../ir/nodes.js";
import type { PromptValue } from "../ir/value.js";
import type { ModelBackend } from "../runtime/backend.js";
import { Clock } from "../runtime/reliability/clock.js";
import { DEFAULT_RETRIES, RATE_LIMIT_RETRIES, rateLimited, retryable, retryDelay } from "../runtime/reliability/retry.js";
import { DEFAULT_ANSWER_TOKENS, tokensOf } from "../runtime/tokens.js";
import type { ModelJob } from "./jobs.js";
import { answerKey, tokensKey } from "./keys.js";
import type { QueueSpec } from "./queues.js";
import { publishDone, publishFailure } from "./publish.js";
import { jobUsage, type WorkerPrograms } from "./worker-programs.js";

export interface ModelJobContext {
  readonly redis: Redis;
  readonly programs: WorkerPrograms;
  readonly spec: QueueSpec;
  readonly queue: Queue;
  readonly signal: AbortSignal;
}

/** Processes one job; see the module comment. */
export async function runModelJob(ctx: ModelJobContext, job: Job<ModelJob>): Promise<void> {
  const data = job.data;
  const id = job.id!;
  const stored = await ctx.redis.mget(data.keys.map(answerKey));
  if (stored.every((s) => s !== null)) return publishDone(ctx.redis, id);
  let program: IrProgram;
  let backend: ModelBackend;
  try {
    const loaded = await ctx.programs.load(data.program);
    program = loaded.ir;
    backend = loaded.backend;
  } catch (e) {
    return publishFailure(ctx.redis, id, e);
  }
  const client = program.clients[data.client];
  if (!client) return publishFailure(ctx.redis, id, { code: "FE4011", message: `the program has no client \`${data.client}\`` });
  if (ctx.spec.tokens) await chargeTokens(ctx, data, program);
  const clock = new Clock(ctx.spec.timeScale);
  const retries = typeof data.settings.retries === "number" ? data.settings.retries : typeof client.settings.retries === "number" ? client.settings.retries : DEFAULT_RETRIES;
  let answers: unknown[];
  const usage = { inputTokens: 0, outputTokens: 0 };
  for (let attempt = 0; ; attempt++) {
    try {
      answers = await jobUsage.run(usage, () => send(backend, program, data, ctx.signal));
      break;
    } catch (e) {
      if (rateLimited(e) && ctx.spec.limiter) {
        if (job.attemptsStarted > RATE_LIMIT_RETRIES) return publishFailure(ctx.redis, id, e);
        // Every worker of this client waits, and the job is counted by the limiter again.
        await ctx.queue.rateLimit(Math.max(1, Math.ceil(clock.real(retryDelay(attempt, e)))));
        throw new RateLimitError();
      }
      const limit = rateLimited(e) ? Math.max(retries, RATE_LIMIT_RETRIES) : retries;
      if (ctx.signal.aborted || !retryable(e) || attempt >= limit) return publishFailure(ctx.redis, id, e);
      await clock.sleep(clock.real(retryDelay(attempt, e)), ctx.signal);
    }
  }
  const write = ctx.redis.multi();
  data.keys.forEach((k, i) => write.set(answerKey(k), JSON.stringify(answers[i])));
  await write.exec();
  await publishDone(ctx.redis, id, usage);
}

async function send(backend: ModelBackend, program: IrProgram, data: ModelJob, signal: AbortSignal): Promise<unknown[]> {
  const client = program.clients[data.client];
  const base = { client, settings: data.settings, signal };
  switch (data.method) {
    case "complete":
      return backend.complete({ ...base, prompts: data.items as PromptValue[], output: data.output!, types: program.types });
    case "embed":
      return backend.embed({ ...base, texts: data.items as string[] });
    case "rerank": {
      const { query, documents } = data.items[0] as { query: string; documents: string[] };
      return [await backend.rerank({ ...base, query, documents })];
    }
  }
}

/**
 * Charges the request's estimated tokens (input, plus `max_tokens` per answer, as providers
 * count them) to the client's budget for the current window, kept in Redis so it holds across
 * workers. Over budget, the charge is taken back, the queue waits for the next window, and
 * the job goes back to the queue.
 */
async function chargeTokens(ctx: ModelJobContext, data: ModelJob, program: IrProgram): Promise<void> {
  const { budget, windowMs } = ctx.spec.tokens!;
  const text = (item: unknown): string => (typeof item === "string" ? item : "$prompt" in (item as object) ? (item as PromptValue).$prompt.messages.map((m) => m.content).join("\n") : JSON.stringify(item));
  const maxTokens = data.settings.max_tokens ?? program.clients[data.client]?.settings.max_tokens;
  const answer = data.method === "complete" ? (typeof maxTokens === "number" ? maxTokens : DEFAULT_ANSWER_TOKENS) * data.items.length : 0;
  // A request bigger than a window's budget is let through alone rather than never sent.
  const tokens = Math.min(budget, data.items.reduce<number>((t, item) => t + tokensOf(text(item)), 0) + answer);
  const [seconds, micros] = (await ctx.redis.time()) as [number | string, number | string];
  const now = Number(seconds) * 1000 + Number(micros) / 1000;
  const window = Math.floor(now / windowMs);
  const key = tokensKey(ctx.spec.name, window);
  const used = await ctx.redis.incrby(key, tokens);
  await ctx.redis.pexpire(key, Math.ceil(windowMs * 2));
  if (used <= budget) return;
  await ctx.redis.decrby(key, tokens);
  await ctx.queue.rateLimit(Math.max(1, Math.ceil((window + 1) * windowMs - now)));
  throw new RateLimitError();
}
