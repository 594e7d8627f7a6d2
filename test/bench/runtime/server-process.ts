/** Starting the stand-in server in a child process and asking it for its counters. */
import { fork } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { StandInOptions } from "../../../dist/testing/index.js";

/** What the server saw since its last reset. */
export interface ServerStats {
  readonly requests: number;
  readonly status429: number;
  /** Answers that were neither 200 nor 429. */
  readonly otherErrors: number;
  readonly byPath: Readonly<Record<string, number>>;
  /** When the first request of each provider arrived (server clock, ms): W6's spread. */
  readonly firstStart: { readonly openai?: number; readonly cohere?: number };
}

export type ServerRequest = { readonly id: number; readonly op: "stats" | "reset" | "close" };
export type ServerReply =
  | { readonly kind: "ready"; readonly url: string; readonly openaiBaseURL: string; readonly cohereBaseURL: string; readonly timeScale: number }
  | { readonly kind: "reply"; readonly id: number; readonly stats?: ServerStats };

export interface BenchServer {
  readonly openaiBaseURL: string;
  readonly cohereBaseURL: string;
  stats(): Promise<ServerStats>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

const child = join(dirname(fileURLToPath(import.meta.url)), "stand-in-child.ts");

/** Starts a stand-in with `options` in its own process; resolves once it listens. */
export function startServerProcess(options: StandInOptions): Promise<BenchServer> {
  const proc = fork(child, [JSON.stringify(options)], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  let next = 0;
  const waiting = new Map<number, (r: ServerReply & { kind: "reply" }) => void>();
  const ask = (op: ServerRequest["op"]) =>
    new Promise<ServerReply & { kind: "reply" }>((resolve) => {
      const id = next++;
      waiting.set(id, resolve);
      proc.send({ id, op } satisfies ServerRequest);
    });
  return new Promise((resolve, reject) => {
    proc.once("error", reject);
    proc.once("exit", (code) => reject(new Error(`the stand-in process exited with ${code}`)));
    proc.on("message", (m: ServerReply) => {
      if (m.kind === "reply") {
        waiting.get(m.id)?.(m);
        waiting.delete(m.id);
        return;
      }
      resolve({
        openaiBaseURL: m.openaiBaseURL,
        cohereBaseURL: m.cohereBaseURL,
        stats: async () => (await ask("stats")).stats!,
        reset: async () => void (await ask("reset")),
        close: async () => {
          proc.removeAllListeners("exit");
          const exited = new Promise((done) => proc.once("exit", done));
          await ask("close");
          await exited;
        },
      });
    });
  });
}
