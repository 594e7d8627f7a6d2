/**
 * The CLI's `extern fn` runner: one worker pool per process (`runtime/extern-pool.ts`), made on
 * the first call, so commands that call no extern start no thread.
 *
 * Idle pool threads do not keep the process alive, so a command ends when its work does; the
 * pool is then closed on `beforeExit`, which also removes its bundled TypeScript modules. A
 * command that must stop calls still running (a failed run) awaits `closeExterns()` itself.
 */
import type { Data } from "../ir/value.js";
import { createExternPool, type ExternPool } from "../runtime/extern-pool.js";

let pool: ExternPool | undefined;

function sharedPool(): ExternPool {
  if (!pool) {
    pool = createExternPool();
    process.once("beforeExit", () => void closeExterns());
  }
  return pool;
}

/** Calls an extern function on the shared pool, its arguments positional as the language defines. */
export function runExtern(modulePath: string, fn: string, args: readonly Data[], signal?: AbortSignal): Promise<Data> {
  return sharedPool().run(modulePath, fn, args, signal);
}

/** Stops the shared pool's threads and removes its temporary files; later calls start a new pool. */
export async function closeExterns(): Promise<void> {
  const closing = pool;
  pool = undefined;
  await closing?.close();
}
