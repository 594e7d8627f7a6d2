/**
 * `feste worker` processes for distributed tests, run from source with async spawn (the
 * stand-in server answering them lives in the test's own event loop). Each is stopped, or
 * killed, by its pid.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { root } from "./cli.js";

export interface WorkerProcess {
  readonly pid: number;
  /** What it printed so far. */
  readonly output: () => string;
  /** SIGKILL: no clean-up, its jobs in progress left to the stalled-job check. */
  kill(): Promise<void>;
  /** SIGTERM: finishes its jobs in progress, then exits. */
  stop(): Promise<void>;
}

/** Starts `feste worker --redis URL ...args` and resolves once it serves the queues registered so far. */
export async function spawnWorker(redis: string, args: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<WorkerProcess> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), "worker", "--redis", redis, ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker did not start: ${output}`)), 30_000);
    child.stderr!.on("data", (d) => {
      output += d;
      if (output.includes("ready (pid")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", () => {
      clearTimeout(timer);
      reject(new Error(`the worker exited: ${output}`));
    });
  });
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(child.pid!, name);
    await exited;
  };
  return { pid: child.pid!, output: () => output, kill: () => signal("SIGKILL"), stop: () => signal("SIGTERM") };
}

/** Stops `w` and returns how many jobs it reports having finished. */
export async function jobsFinished(w: WorkerProcess): Promise<number> {
  await w.stop();
  const m = /stopped after (\d+) jobs/.exec(w.output());
  if (!m) throw new Error(`the worker did not report its jobs: ${w.output()}`);
  return Number(m[1]);
}
