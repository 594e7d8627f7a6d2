/**
 * `feste exec --scheduler bullmq --redis URL`: what the exec command needs to run as the
 * coordinator of a distributed run. Flags are read before anything starts; the coordinator
 * is started once the program and the stand-in server (for `--fake`) are known.
 */
import type { Coordinator } from "../distributed/index.js";
import type { IrProgram } from "../ir/nodes.js";
import type { ProviderOptions } from "../providers/index.js";
import type { StandInServer } from "../testing/stand-in/types.js";
import { CliExit } from "./program-options.js";
import { reportFailure } from "./failure.js";

export interface SchedulerFlags {
  scheduler?: string;
  redis?: string;
  eager?: boolean;
  batchApi?: boolean;
}

/** The Redis URL of a distributed run, undefined for a local one; exit 2 on flags that do not go together. */
export function distributedFlag(opts: SchedulerFlags): string | undefined {
  const kind = opts.scheduler ?? "local";
  const usage = (text: string) => {
    reportFailure("usage", text);
    return new CliExit(2);
  };
  if (kind !== "local" && kind !== "bullmq") throw usage(`--scheduler takes local or bullmq, not \`${kind}\``);
  if (kind === "local") {
    if (opts.redis !== undefined) throw usage("--redis goes with --scheduler bullmq");
    return undefined;
  }
  if (opts.redis === undefined) throw usage("--scheduler bullmq needs --redis redis://HOST:PORT");
  if (opts.eager) throw usage("--eager runs one step at a time in this process; it does not go with --scheduler bullmq");
  if (opts.batchApi) throw usage("--batch-api does not go with --scheduler bullmq");
  return opts.redis;
}

/**
 * Starts the coordinator (FE4012 when Redis cannot be reached); workers reach a `--fake`
 * stand-in on this machine. `onUsage` is told the tokens the workers' requests used.
 */
export async function coordinate(redis: string, program: IrProgram, server: StandInServer | undefined, onUsage: ProviderOptions["onUsage"]): Promise<Coordinator> {
  // Loaded here, so a local run never loads BullMQ and ioredis.
  const { startCoordinator } = await import("../distributed/coordinator.js");
  return startCoordinator({ redis, program, ...(onUsage ? { onUsage } : {}), ...(server ? { standIn: { openaiBaseURL: server.openaiBaseURL, cohereBaseURL: server.cohereBaseURL } } : {}) });
}

/** The summary's last line for a distributed run. */
export function distributedSummary(c: Coordinator): string {
  const s = c.stats;
  return `  bullmq  ${s.modelJobs} model-call jobs, ${s.externJobs} extern jobs, ${s.reused} answers read from Redis\n`;
}
