/**
 * `feste worker --redis URL [--concurrency N]`: serves the jobs of distributed runs until
 * SIGINT or SIGTERM, then finishes the jobs in progress (for up to 3 s; not at all while Redis
 * is down) and exits 0, within 5 s of the signal. API keys come from this process's
 * environment. Exits 1 with FE4012 when Redis cannot be reached at start; an outage later is
 * one line when it starts and one when Redis is back.
 */
import { printRuntimeError } from "./runtime-error.js";
import { CliExit } from "./program-options.js";

export interface WorkerCommandOptions {
  redis: string;
  concurrency?: string;
  lockDuration?: string;
  quiet?: boolean;
}

export async function runWorker(opts: WorkerCommandOptions): Promise<number> {
  const concurrency = whole("--concurrency", opts.concurrency);
  const lockDurationMs = whole("--lock-duration", opts.lockDuration);
  const log = opts.quiet ? undefined : (line: string) => process.stderr.write(`feste worker: ${line}\n`);
  let worker;
  try {
    // BullMQ and ioredis load only for this command and distributed runs: the others start faster without them.
    const { startWorker } = await import("../distributed/worker.js");
    worker = await startWorker({ redis: opts.redis, ...(concurrency ? { concurrency } : {}), ...(lockDurationMs ? { lockDurationMs } : {}), ...(log ? { log } : {}) });
  } catch (e) {
    if (printRuntimeError(e, new Map(), /*json*/ false)) return 1;
    throw e;
  }
  log?.(`ready (pid ${process.pid})`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  log?.("stopping after the jobs in progress");
  const clean = await worker.close();
  log?.(`stopped after ${worker.jobs()} jobs${clean ? "" : " (jobs in progress were left to other workers)"}`);
  // BullMQ's connections may still be retrying a Redis that is down and would keep the
  // process alive: stopping was asked for, so stop.
  if (!clean) process.exit(0);
  return 0;
}

function whole(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`error: ${flag} takes a whole number of at least 1, not \`${text}\`\n`);
    throw new CliExit(2);
  }
  return n;
}
