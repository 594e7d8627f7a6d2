/** The compiler host over the real file system, used by the CLI only. */
import { existsSync, readFileSync, statSync } from "node:fs";
import type { CompilerHost } from "../phases/1-parse/index.js";

/** Decodes a file as UTF-8; invalid bytes become U+FFFD, which the lexer reports as binary. */
export function readText(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return undefined;
    return new TextDecoder("utf-8", { fatal: false }).decode(readFileSync(path));
  } catch {
    return undefined;
  }
}

export const nodeHost: CompilerHost = {
  readFile: readText,
  fileExists: (path) => existsSync(path) && statSync(path).isFile(),
};
