/**
 * The cache file: an SQLite database (better-sqlite3) holding model answers by request key.
 * WAL mode lets several runs read and write one file at once; each write is one committed
 * transaction, durable as soon as it returns against a killed process (`synchronous =
 * NORMAL`: a power cut may lose the last few answers, never corrupt the file). The file is
 * marked as Feste's with SQLite's `application_id` and carries its format in `user_version`,
 * so a file of another program is refused before anything in it is touched.
 *
 * The cache never costs a paid answer: opening probes that the file can be written (FE4030
 * before anything is sent, not after the first answer was paid for), and lock waits happen
 * between turns of the event loop (SQLite's own busy wait is kept to a few milliseconds and
 * retried after a timer), so another run holding the write lock never freezes this one.
 */
import type Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { catalogue } from "../../diagnostics/catalogue.js";
import { FesteRuntimeError } from "../../ir/errors.js";

/** Answers found and sent, counted per item (a prompt, a text, a reranking). */
export interface CacheStats {
  hits: number;
  misses: number;
  writes: number;
}

/** An open cache file. One per process is enough; several runs may share it. */
export interface AnswerCache {
  readonly path: string;
  readonly stats: CacheStats;
  /** What opening the file had to do that the user should hear about (an old format cleared). */
  readonly warnings: readonly string[];
  /** The stored answer (JSON text) for each key, in order; undefined where there is none. */
  read(keys: readonly Uint8Array[]): Promise<(string | undefined)[]>;
  /**
   * Stores answers (JSON text) in one committed transaction; an existing key is replaced.
   * Waits for another run's write lock without blocking; rejects when the file cannot be
   * written (a full disk, a file made read-only) or the lock is not given up in time.
   */
  write(entries: readonly (readonly [key: Uint8Array, value: string])[]): Promise<void>;
  /** Tells the user something about the cache during a run (an answer not kept, a value not used). */
  warn(message: string): void;
  close(): void;
}

export interface CacheOptions {
  /** Where warnings during the run go; default: `process.emitWarning`. */
  readonly onWarning?: (message: string) => void;
  /** How long a read or write waits for another run's write lock before giving up (ms). */
  readonly lockPatienceMs?: number;
}

/**
 * better-sqlite3 is a native module: loaded on first open, so importing the runtime (every
 * generated module does) costs nothing and works where it was not built, as with --no-cache.
 */
const loadSqlite = (): typeof Database => createRequire(import.meta.url)("better-sqlite3") as typeof Database;

/** "FEST": marks the file as a Feste cache in its SQLite header. */
const APPLICATION_ID = 0x46455354;
/** The layout of the tables; a file of another format is cleared (older) or refused (newer). */
export const CACHE_FORMAT = 1;
/** SQLite's own wait for a lock blocks the thread: kept short, and retried after a timer. */
const BUSY_SLICE_MS = 20;
/** How long a statement keeps retrying while another run holds the file's write lock. */
const LOCK_PATIENCE_MS = 30_000;
/** The key of the probe row written and removed at open (real keys are 32-byte hashes). */
const PROBE_KEY = new Uint8Array([0]);

const SCHEMA = `
  CREATE TABLE answers (
    key BLOB PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    created_ms INTEGER NOT NULL
  );
`;

/**
 * Opens the cache file at `path`, creating it and its folders when missing. Rejects with
 * FE4009 when the file is not an SQLite database, belongs to another program, is damaged or
 * was written by a newer Feste (never guesses, never answers from a file it does not
 * understand), and with FE4030 when it cannot be created or written.
 */
export async function openCache(path: string, options: CacheOptions = {}): Promise<AnswerCache> {
  const patience = options.lockPatienceMs ?? LOCK_PATIENCE_MS;
  let Sqlite: typeof Database;
  try {
    Sqlite = loadSqlite();
  } catch (e) {
    throw unusable(path, `cannot be opened: the SQLite module better-sqlite3 did not load (${reasonOf(e).split("\n")[0]})`);
  }
  let db: Database.Database;
  try {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    db = new Sqlite(path, { timeout: BUSY_SLICE_MS });
  } catch (e) {
    throw unwritable(path, reasonOf(e));
  }
  const warnings: string[] = [];
  try {
    await waitingForLock(patience, () => prepareFile(db, path, warnings));
    await waitingForLock(patience, () => probe(db));
  } catch (e) {
    db.close();
    throw e instanceof FesteRuntimeError ? e : openError(path, e);
  }
  const select = db.prepare<[Uint8Array], { value: string }>("SELECT value FROM answers WHERE key = ?");
  const insert = db.prepare<[Uint8Array, string, number]>("INSERT OR REPLACE INTO answers (key, value, created_ms) VALUES (?, ?, ?)");
  const stats: CacheStats = { hits: 0, misses: 0, writes: 0 };
  const writeAll = db.transaction((entries: readonly (readonly [Uint8Array, string])[]) => {
    const now = Date.now();
    for (const [key, value] of entries) insert.run(key, value, now);
  });
  const warn = options.onWarning ?? ((m: string) => process.emitWarning(m, "FesteCacheWarning"));
  return {
    path,
    stats,
    warnings,
    warn,
    read: (keys) => waitingForLock(patience, () => guard(path, () => keys.map((k) => select.get(k)?.value))),
    write: async (entries) => {
      if (entries.length === 0) return;
      await waitingForLock(patience, () => guard(path, () => writeAll.immediate(entries)));
      stats.writes += entries.length;
    },
    close: () => {
      if (db.open) db.close();
    },
  };
}

/** Checks the file is a Feste cache of this format, creating the tables in a new file. */
function prepareFile(db: Database.Database, path: string, warnings: string[]): void {
  // Only reads until the file is known to be ours: a foreign database is left as it was.
  const state = identify(db);
  if (state === "foreign") throw unusable(path, "is not a Feste cache: it is an SQLite database of another program");
  if (typeof state === "number" && state > CACHE_FORMAT) {
    throw unusable(path, `was written by a newer version of Feste (cache format ${state}, this one reads ${CACHE_FORMAT})`);
  }
  if (db.pragma("journal_mode", { simple: true }) !== "wal") db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  if (state === CACHE_FORMAT) return;
  // New or older: (re)create under the write lock, looking again in case another run just did.
  db.transaction(() => {
    const now = identify(db);
    if (now === CACHE_FORMAT) return;
    if (now === "foreign" || (typeof now === "number" && now > CACHE_FORMAT)) throw unusable(path, "is not a Feste cache: another program wrote to it");
    if (typeof now === "number") {
      for (const { name } of db.prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all()) {
        db.exec(`DROP TABLE "${name.replaceAll('"', '""')}"`);
      }
      warnings.push(`the cache file \`${path}\` was written by an older version of Feste (cache format ${now}); its answers were cleared`);
    }
    db.exec(SCHEMA);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${CACHE_FORMAT}`);
  }).immediate();
}

/** "empty" for a new file, the cache format for a Feste cache, "foreign" for anything else. */
function identify(db: Database.Database): "empty" | "foreign" | number {
  const id = db.pragma("application_id", { simple: true }) as number;
  if (id === APPLICATION_ID) return db.pragma("user_version", { simple: true }) as number;
  const { n } = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_schema").get()!;
  return id === 0 && n === 0 ? "empty" : "foreign";
}

/**
 * Writes and removes a row in one committed transaction, so a read-only file or folder, or a
 * full disk, is found before the run pays for anything. A lock held by another run is no
 * failure (that run writes, so the file is writable); the caller waits for it without blocking.
 */
function probe(db: Database.Database): void {
  db.transaction(() => {
    db.prepare("INSERT OR REPLACE INTO answers (key, value, created_ms) VALUES (?, 'null', 0)").run(PROBE_KEY);
    db.prepare("DELETE FROM answers WHERE key = ?").run(PROBE_KEY);
  }).immediate();
}

/**
 * Runs `statement`, and while another connection holds the lock it needs, runs it again after
 * a timer (5 ms, doubling to 200 ms) instead of sleeping in SQLite: the event loop goes on.
 */
async function waitingForLock<T>(patienceMs: number, statement: () => T): Promise<T> {
  const started = performance.now();
  for (let pause = 5; ; pause = Math.min(pause * 2, 200)) {
    try {
      return statement();
    } catch (e) {
      if (!isBusy(e) || performance.now() - started >= patienceMs) throw e;
    }
    await new Promise((r) => setTimeout(r, pause));
  }
}

function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"));
}

/** An error opening or probing the file: FE4009 for a file that is not ours, else FE4030. */
function openError(path: string, e: unknown): FesteRuntimeError {
  const known = asCacheError(path, e);
  if (known instanceof FesteRuntimeError) return known;
  return unwritable(path, isBusy(e) ? "another program held its write lock for too long" : reasonOf(e));
}

/** Runs a statement, turning SQLite's "this is not a database" and "damaged" into FE4009. */
function guard<T>(path: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    throw asCacheError(path, e);
  }
}

function asCacheError(path: string, e: unknown): unknown {
  const code = (e as { code?: unknown }).code;
  if (code === "SQLITE_NOTADB") return unusable(path, "is not a Feste cache: it is not an SQLite database");
  if (code === "SQLITE_CORRUPT") return unusable(path, `is damaged: ${reasonOf(e)}`);
  return e;
}

function unusable(path: string, problem: string): FesteRuntimeError {
  return new FesteRuntimeError("FE4009", catalogue.FE4009.message(path, problem));
}

function unwritable(path: string, reason: string): FesteRuntimeError {
  return new FesteRuntimeError("FE4030", catalogue.FE4030.message(path, reason));
}

function reasonOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
