/**
 * Runs `extern fn` calls on a piscina pool of worker threads, so CPU-bound TypeScript helpers
 * run in parallel with each other and never stall the scheduler's event loop.
 *
 * Loading: `.js`, `.mjs` and `.cjs` modules are imported by the workers as they are. Anything
 * else (`.ts`, `.mts`, ...) is bundled by esbuild here in the main thread, once per module per
 * pool, into an ES module the workers import. Bundles are kept between runs, keyed by the
 * content of every file bundled in (`extern-bundles.ts`), so a later run does not bundle an
 * unchanged module again. Bundling once in the main thread, rather than in every worker, keeps esbuild out
 * of the threads and builds each module once however many threads import it; bundling (not
 * just transpiling) lets a `.ts` module import its own relative `.ts` modules and packages.
 * One consequence: inside a bundled module `import.meta.url` names the temporary file.
 * Each worker imports a module once and keeps it (see `extern-worker.mjs`).
 *
 * Idle threads are unref'd by piscina, so a pool that is not closed does not keep the process
 * alive; threads idle for `IDLE_MS` go away. `close()` stops every thread at once, rejecting
 * calls still running.
 */
import { existsSync } from "node:fs";
import { access, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { basename, extname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Piscina } from "piscina";
import { bundleFolder, bundleName, keepBundle, keptBundle } from "./extern-bundles.js";
import { callExtern } from "./extern-worker.mjs";
import { linkedSignal } from "./linked-signal.js";
import { FesteRuntimeError } from "../ir/errors.js";
import type { Data } from "../ir/value.js";

export interface ExternPoolOptions {
  /** threads; default os.availableParallelism() */
  maxThreads?: number;
  /**
   * The folder where bundles of `.ts` modules are kept between runs, keyed by content
   * (`extern-bundles.ts`); default: the user's own folder in the temporary folder; false:
   * bundle in a folder of this pool's, removed by `close()`.
   */
  keepBundles?: string | false;
}

export interface ExternPool {
  /**
   * Runs `fn` of `module` on a worker thread; resolves with its (awaited) result as JSON data.
   * Throws FesteRuntimeError("FE4005") if the module can't load, doesn't export `fn`, `fn`
   * throws, or returns something that is not JSON data (`undefined` becomes null). When
   * `signal` aborts, the call is dropped from the queue or its thread is stopped, and the
   * promise rejects with `signal.reason`.
   */
  run(module: string, fn: string, args: readonly Data[], signal?: AbortSignal, mode?: "io"): Promise<Data>;
  /** How many modules this pool has bundled (kept bundles reused are not counted). */
  readonly bundles: number;
  /** Stops the threads and removes the bundles not kept between runs. */
  close(): Promise<void>;
}

/** What the worker is given: the file to import, the module as the user named it, the call. */
interface Task {
  url: string;
  label: string;
  fn: string;
  args: readonly Data[];
}

type Reply = { value: Data } | { error: string };

/** How long a thread may sit idle before it goes (its loaded modules go with it). */
const IDLE_MS = 30_000;

/** Creates a pool; no thread starts before the first call. */
export function createExternPool(options: ExternPoolOptions = {}): ExternPool {
  const maxThreads = options.maxThreads ?? availableParallelism();
  // piscina is loaded with the first call that needs a thread: a run without externs (or
  // with io externs only) never pays for it at start-up.
  let piscina: Promise<Piscina<Task, Reply>> | undefined;
  const pool = () =>
    (piscina ??= import("piscina").then(({ Piscina }) => {
      const p = new Piscina<Task, Reply>({ filename: workerFile(), minThreads: 0, maxThreads, idleTimeout: IDLE_MS });
      // piscina reports on its 'error' event what no task is waiting for: the reply of a task
      // already aborted ("Unexpected message from Worker") or a thread failing between tasks.
      // Every task is settled on its own promise, so these are no one's failure; without a
      // listener Node would throw them as an uncaught exception with a stack trace.
      p.on("error", () => {});
      return p;
    }));
  const urls = new Map<string, Promise<string>>();
  let outDir: Promise<string> | undefined;
  let bundled = 0;
  let bundles = 0;
  let closed = false;
  const keepIn = options.keepBundles === false ? undefined : bundleFolder(options.keepBundles);
  const stopped = (fn: string) => new FesteRuntimeError("FE4005", `\`${fn}\` cannot run: the extern pool is closed`);

  async function moduleUrl(path: string): Promise<string> {
    const n = bundled++;
    try {
      await access(path);
    } catch {
      throw new FesteRuntimeError("FE4005", `cannot find the extern module \`${path}\``);
    }
    if (/\.(m?js|cjs)$/.test(path)) return pathToFileURL(path).href;
    const kept = keepIn && keptBundle(keepIn, path);
    if (kept) return pathToFileURL(kept).href;
    const { build } = await import("esbuild");
    let code: Uint8Array;
    let inputs: string[];
    try {
      const r = await build({ entryPoints: [path], bundle: true, format: "esm", platform: "node", target: "node20", write: false, metafile: true, outfile: "bundle.mjs", logLevel: "silent" });
      code = r.outputFiles[0].contents;
      inputs = Object.keys(r.metafile.inputs);
    } catch (e) {
      throw new FesteRuntimeError("FE4005", `cannot load the extern module \`${path}\`: ${buildFailure(e)}`);
    }
    bundles++;
    // Written under a temporary name and renamed: a run importing the same bundle never reads half of it.
    const folder = keepIn ?? (await (outDir ??= mkdtemp(join(tmpdir(), "feste-extern-"))));
    const name = keepIn ? bundleName(path, code) : `${n}-${basename(path, extname(path))}.mjs`;
    const outfile = join(folder, name);
    await writeFile(`${outfile}.${process.pid}.tmp`, code);
    await rename(`${outfile}.${process.pid}.tmp`, outfile);
    if (keepIn) keepBundle(keepIn, path, name, inputs, process.cwd());
    return pathToFileURL(outfile).href;
  }

  return {
    async run(module, fn, args, signal, mode) {
      if (closed) throw stopped(fn);
      const path = resolve(module);
      let url = urls.get(path);
      if (!url) urls.set(path, (url = moduleUrl(path)));
      // An `extern io fn` runs here, on the main event loop: it waits on the outside world,
      // not the CPU, and it may keep state (a client, a connection) between calls.
      if (mode === "io") return runHere(await url, module, fn, args, signal);
      const task: Task = { url: await url, label: module, fn, args };
      signal?.throwIfAborted();
      if (closed) throw stopped(fn);
      let reply: Reply;
      // piscina adds an abort listener per task and never removes it: give it a signal of its own.
      const linked = linkedSignal(signal);
      try {
        reply = await (await pool()).run(task, linked.signal ? { signal: linked.signal } : {});
      } catch (e) {
        signal?.throwIfAborted();
        if (closed) throw stopped(fn);
        throw new FesteRuntimeError("FE4005", `\`${fn}\` failed on its worker thread: ${(e as Error)?.message ?? String(e)}`);
      } finally {
        linked.release();
      }
      if ("error" in reply) throw new FesteRuntimeError("FE4005", reply.error);
      return reply.value;
    },

    get bundles() {
      return bundles;
    },

    async close() {
      if (closed) return;
      closed = true;
      if (piscina) await (await piscina).destroy();
      await Promise.allSettled(urls.values());
      if (outDir) await rm(await outDir, { recursive: true, force: true });
    },
  };
}

const loadedHere = new Map<string, Promise<Record<string, unknown>>>();

/** Calls `fn` of the module at `url` in this thread, with the worker's checks on its answer. */
async function runHere(url: string, label: string, fn: string, args: readonly Data[], signal?: AbortSignal): Promise<Data> {
  signal?.throwIfAborted();
  let mod = loadedHere.get(url);
  if (!mod) loadedHere.set(url, (mod = import(url) as Promise<Record<string, unknown>>));
  let exports: Record<string, unknown>;
  try {
    exports = await mod;
  } catch (e) {
    throw new FesteRuntimeError("FE4074", `cannot load the extern module \`${label}\`: ${(e as Error)?.message ?? String(e)}`);
  }
  const reply = await callExtern(exports, label, fn, args);
  if ("error" in reply) throw new FesteRuntimeError("FE4074", reply.error);
  return reply.value as Data;
}

/**
 * The worker script. It sits beside this file in the sources (`src/runtime/`) and in
 * `dist/runtime/` (tsup copies it); bundled, this code may live in `dist/runtime/*.js`, in a
 * shared chunk at `dist/` or in `dist/cli/*.js`, so each of those places is tried.
 */
function workerFile(): string {
  for (const candidate of ["./extern-worker.mjs", "./runtime/extern-worker.mjs", "../runtime/extern-worker.mjs"]) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(url)) return fileURLToPath(url);
  }
  throw new Error(`extern-worker.mjs is missing next to ${fileURLToPath(import.meta.url)}`);
}

/** esbuild's first error with its location, without the "Build failed" preamble. */
function buildFailure(e: unknown): string {
  const first = (e as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors?.[0];
  if (!first) return (e as Error)?.message ?? String(e);
  const at = first.location ? ` (${first.location.file}:${first.location.line}:${first.location.column + 1})` : "";
  return `${first.text}${at}`;
}
