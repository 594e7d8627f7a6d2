/**
 * The abuse suite's way of running `feste`: the built `dist/cli/main.js` in a child process
 * (what a user runs), asynchronously so several can run at once, killed by its pid when it
 * overstays, and scratch folders for its files.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const root = join(__dirname, "..", "..");
export const cli = join(root, "dist", "cli", "main.js");

export interface Ran {
  /** The exit code, or null when killed. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly out: string;
  readonly err: string;
  /** Whether the time limit killed it. */
  readonly timedOut: boolean;
}

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly timeoutMs?: number;
  /** Run as this user (needs root), so that file permissions apply as they do to a user. */
  readonly user?: { readonly uid: number; readonly gid: number };
  /** Called once the child has started, e.g. to send it a signal later. */
  readonly started?: (pid: number) => void;
}

/** Runs `feste ...args` from the built CLI; colours off; the environment is `env` over this one's. */
export function feste(args: readonly string[], options: RunOptions = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: options.cwd ?? root,
      env: { ...process.env, NO_COLOR: "1", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
      ...(options.user ?? {}),
    });
    let out = "";
    let err = "";
    let timedOut = false;
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) process.kill(child.pid, "SIGKILL");
    }, options.timeoutMs ?? 20_000);
    if (child.pid !== undefined) options.started?.(child.pid);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out, err, timedOut });
    });
  });
}

/** A fresh scratch folder; `file(name, text)` writes a file in it and returns its path. */
export function scratch(prefix = "feste-abuse-"): { dir: string; file: (name: string, text: string | Uint8Array) => string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    file: (name, text) => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    },
  };
}

/** A line of a stack trace, as Node prints them. */
export const STACK_LINE = /^\s+at .+(\(|:\d+:\d+)/m;
