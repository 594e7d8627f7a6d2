/**
 * The names a JavaScript or TypeScript module exports, read without running it: esbuild (a
 * dependency already, for bundling extern modules) parses the module and the relative modules
 * it re-exports from, and lists the exports in its metafile. Packages are left out, so a
 * module that re-exports a whole package (`export * from "pkg"`) has exports that cannot be
 * known this way: undefined then, and `feste check` does not guess.
 */
import { buildSync } from "esbuild";
import { statSync } from "node:fs";

const known = new Map<string, { mtimeMs: number; names: ReadonlySet<string> | undefined }>();

/** The module's export names, or undefined when they cannot be known (unparseable, `export *` of a package). */
export function moduleExports(path: string): ReadonlySet<string> | undefined {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
  const seen = known.get(path);
  if (seen && seen.mtimeMs === mtimeMs) return seen.names;
  const names = readExports(path);
  known.set(path, { mtimeMs, names });
  return names;
}

function readExports(path: string): ReadonlySet<string> | undefined {
  try {
    const r = buildSync({ entryPoints: [path], bundle: true, write: false, metafile: true, format: "esm", platform: "node", packages: "external", outdir: "out", logLevel: "silent" });
    const output = r.outputFiles.find((f) => f.path.endsWith(".js"));
    // esbuild keeps a re-export of a whole package as it is: its names are not listed.
    if (!output || /\bexport\s*\*\s*from\b/.test(output.text)) return undefined;
    const meta = Object.values(r.metafile.outputs).find((o) => o.entryPoint !== undefined);
    return meta ? new Set(meta.exports) : undefined;
  } catch {
    // A module esbuild cannot parse fails when it is bundled to run, with esbuild's message.
    return undefined;
  }
}
