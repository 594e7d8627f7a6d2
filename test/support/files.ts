/** A compiler host over a sample folder: every file in it, by path relative to the folder. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { memoryHost, type CompilerHost } from "../../src/phases/1-parse/index.js";

export function folderFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (!n.startsWith("_actual.")) out[relative(dir, p).split("\\").join("/")] = readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}

export function folderHost(dir: string): CompilerHost {
  return memoryHost(folderFiles(dir));
}
