/** The `.feste` files under a folder, for commands run without file arguments. */
import { readdirSync } from "node:fs";
import { join } from "node:path";

/**
 * A folder holding this file is not searched: its programs are fixtures (deliberately failing
 * tests, programs that do not compile), run only when named on the command line.
 */
export const SKIP_MARKER = ".feste-test-skip";

/**
 * Every `.feste` file under `dir`, sorted; `node_modules`, hidden folders and folders marked
 * with {@link SKIP_MARKER} are skipped.
 */
export function festeFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    if (entries.some((e) => e.name === SKIP_MARKER)) return;
    for (const e of entries) {
      if (e.name.startsWith(".") || e.name === "node_modules") continue;
      const path = d === "." ? e.name : join(d, e.name);
      if (e.isDirectory()) visit(path);
      else if (e.isFile() && e.name.endsWith(".feste")) out.push(path);
    }
  };
  visit(dir);
  return out.sort();
}
