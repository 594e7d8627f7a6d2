/**
 * The cache file: an SQLite database (better-sqlite3) holding model answers by request key.
 * WAL mode lets several runs read and write one file at once; each write is one committed
 * transaction, durable as soon as it returns against a killed process (`synchronous =
 * NORMAL`: a power cut may lose the last few answers, never corrupt the file). The file is
 * marked as Feste's with SQLite's `application_id` and carries its format in `user_version`,
 * so a file of another program is refused before anything in it is touched.
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
  read(keys: readonly Uint8Array[]): (string | undefined)[];
  /** Stores answers (JSON text) in one committed transaction; an existing key is replaced. */
  write(entries: readonly (readonly [key: Uint8Array, value: string])[]): void;
  close(): void;
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
/** How long a write waits for another run holding the file's write lock. */
const BUSY_TIMEOUT_MS = 30_000;

const SCHEMA = `
  CREATE TABLE answers (
    key BLOB PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    created_ms INTEGER NOT NULL
  );
`;

/**
 * Opens the cache file at `path`, creating it and its folders when missing. Throws FE4009
 * when the file is not an SQLite database, belongs to another program, is damaged or was
 * written by a newer Feste: never guesses, never answers from a file it does not understand.
 */
export function openCache(path: string): AnswerCache {
  let Sqlite: typeof Database;
  try {
    Sqlite = loadSqlite();
  } catch (e) {
    throw unusable(path, `cannot be opened: the SQLite module better-sqlite3 did not load (${reasonOf(e).split("\n")[0]})`);
  }
  let db: Database.Database;
  try {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    db = new Sqlite(path, { timeout: BUSY_TIMEOUT_MS });
  } catch (e) {
    throw unusable(path, `cannot be opened: ${reasonOf(e)}`);
  }
  const warnings: string[] = [];
  try {
    prepareFile(db, path, warnings);
  } catch (e) {
    db.close();
    throw e instanceof FesteRuntimeError ? e : asCacheError(path, e);
  }
  const select = db.prepare<[Uint8Array], { value: string }>("SELECT value FROM answers WHERE key = ?");
  const insert = db.prepare<[Uint8Array, string, number]>("INSERT OR REPLACE INTO answers (key, value, created_ms) VALUES (?, ?, ?)");
  const stats: CacheStats = { hits: 0, misses: 0, writes: 0 };
  const writeAll = db.transaction((entries: readonly (readonly [Uint8Array, string])[]) => {
    const now = Date.now();
    for (const [key, value] of entries) insert.run(key, value, now);
  });
  return {
    path,
    stats,
    warnings,
    read: (keys) => guard(path, () => keys.map((k) => select.get(k)?.value)),
    write: (entries) => {
      if (entries.length === 0) return;
      guard(path, () => writeAll.immediate(entries));
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

function reasonOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
