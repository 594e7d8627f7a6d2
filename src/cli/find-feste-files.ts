/** The `.feste` files under a folder, for commands run without file arguments. */
import { readdirSync } from "node:fs";
import { join } from "node:path";

/** Every `.feste` file under `dir`, sorted; `node_modules` and hidden folders are skipped. */
export function festeFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
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
