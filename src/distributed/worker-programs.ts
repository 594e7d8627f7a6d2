/**
 * A worker's programs: read from Redis by hash on first use and kept, each with its extern
 * modules written to a temporary folder (so the worker's thread pool imports them as files)
 * and a provider backend reading keys from the worker's own environment.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { FesteRuntimeError } from "../ir/errors.js";
import type { IrProgram } from "../ir/nodes.js";
import { providerBackend } from "../providers/provider-backend.js";
import type { ModelBackend } from "../runtime/backend.js";
import type { Env } from "../runtime/cache/request-key.js";
import { AsyncLocalStorage } from "node:async_hooks";
import { programKey } from "./keys.js";
import { RECORD_FORMAT, type ProgramRecord } from "./program-record.js";

/** The tokens of the job whose request is running: providers report usage in its async context. */
export const jobUsage = new AsyncLocalStorage<{ inputTokens: number; outputTokens: number }>();

export interface LoadedProgram {
  readonly ir: IrProgram;
  /** The file of each extern module, by the module string the IR names. */
  readonly externFiles: ReadonlyMap<string, string>;
  readonly backend: ModelBackend;
}

export class WorkerPrograms {
  private readonly loaded = new Map<string, Promise<LoadedProgram>>();
  private dir: Promise<string> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly env: Env,
  ) {}

  /** The program stored under `hash`; FE4011 when Redis has none or it is of another format. */
  load(hash: string): Promise<LoadedProgram> {
    let p = this.loaded.get(hash);
    if (!p) {
      p = this.read(hash);
      this.loaded.set(hash, p);
      // A failed load is not kept: the next job tries again.
      p.catch(() => this.loaded.delete(hash));
    }
    return p;
  }

  /** Removes the extern files. */
  async close(): Promise<void> {
    if (this.dir) await rm(await this.dir, { recursive: true, force: true });
  }

  private async read(hash: string): Promise<LoadedProgram> {
    const text = await this.redis.get(programKey(hash));
    if (text === null) throw new FesteRuntimeError("FE4011", `program ${hash.slice(0, 12)} is not in Redis`);
    const record = JSON.parse(text) as ProgramRecord;
    if (record.format !== RECORD_FORMAT) throw new FesteRuntimeError("FE4011", `program ${hash.slice(0, 12)} was stored by another version of Feste (${String(record.format)})`);
    this.dir ??= mkdtemp(join(tmpdir(), "feste-worker-"));
    const dir = await this.dir;
    const externFiles = new Map<string, string>();
    let n = 0;
    for (const [module, code] of Object.entries(record.externs)) {
      const file = join(dir, `${hash.slice(0, 16)}-${n++}.mjs`);
      await writeFile(file, code);
      externFiles.set(module, file);
    }
    const standIn = record.standIn;
    const backend = providerBackend({
      env: this.env,
      onUsage: (_client, u) => {
        const t = jobUsage.getStore();
        if (!t) return;
        t.inputTokens += u.inputTokens;
        t.outputTokens += u.outputTokens;
      },
      ...(standIn ? { override: (c) => ({ baseURL: c.provider === "cohere" ? standIn.cohereBaseURL : standIn.openaiBaseURL, apiKey: "stand-in" }) } : {}),
    });
    return { ir: record.ir, externFiles, backend };
  }
}
