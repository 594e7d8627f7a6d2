/** The compiler host over the real file system, used by the CLI only. */
import { existsSync, readFileSync, statSync } from "node:fs";
import type { CompilerHost } from "../phases/1-parse/index.js";
import { decodeSource } from "./decode-source.js";
import { moduleExports } from "./module-exports.js";
import { reportFailure, type FailureKind } from "./failure.js";

/** Why a file could not be read, in words, by the system's error code. */
const REASONS: Readonly<Record<string, string>> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "it is a folder",
  ENOTDIR: "a part of the path is not a folder",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "the name is too long",
  EIO: "an input/output error",
  EMFILE: "too many open files",
};

/** Why reading failed, in words (`no such file`, `it is a folder`, ...). */
export function readFailure(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string" && REASONS[code]) return REASONS[code];
  return ((e as Error).message ?? String(e)).replace(/^\w+: /, "");
}

/**
 * A source file's text, or why it cannot be read. Invalid UTF-8 is kept visible to the
 * lexer (see `decodeSource`), which reports it at the first bad byte.
 */
export function readSource(path: string): { text: string } | { reason: string } {
  try {
    const stats = statSync(path);
    if (stats.isDirectory()) return { reason: "it is a folder" };
    if (!stats.isFile()) return { reason: "it is not a regular file" };
    return { text: decodeSource(readFileSync(path)) };
  } catch (e) {
    return { reason: readFailure(e) };
  }
}

/** A file's text, or undefined when it cannot be read (the host's contract). */
export function readText(path: string): string | undefined {
  const r = readSource(path);
  return "text" in r ? r.text : undefined;
}

/** Prints `error: cannot read FILE: reason`, the one wording every command uses (`kind` for --json). */
export function reportUnreadable(path: string, reason: string, kind: FailureKind = "usage"): void {
  reportFailure(kind, `cannot read ${path}: ${reason}`);
}

export const nodeHost: CompilerHost = {
  readFile: readText,
  fileExists: (path) => existsSync(path) && statSync(path).isFile(),
  moduleExports,
};
