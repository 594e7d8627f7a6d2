/**
 * Bundled extern modules kept between runs, keyed by content: a `.ts` extern module is
 * bundled by esbuild once, and later runs (later processes) reuse the bundle for as long as
 * the module and every file bundled into it are unchanged. Each bundle has a manifest beside
 * it listing those files with a hash of their bytes; a run hashes them again (cheap) instead
 * of bundling again (about a third of a second).
 *
 * The folder is the user's own (`feste-externs-UID` in the temporary folder, made with mode
 * 0700): a folder that exists but belongs to someone else, or is open to others, is not used,
 * since a planted bundle would be code this process runs. Manifests are written to a
 * temporary name and renamed, so concurrent runs never read half a manifest.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

interface Manifest {
  readonly bundle: string;
  /** Every file bundled in, by absolute path, with the sha256 of its bytes. */
  readonly inputs: Readonly<Record<string, string>>;
}

/**
 * `dir` (default: the user's own folder in the temporary folder), made if missing, or
 * undefined when it cannot be used safely (someone else's, or open to others).
 */
export function bundleFolder(dir?: string): string | undefined {
  const uid = process.getuid?.() ?? 0;
  dir ??= join(tmpdir(), `feste-externs-${uid}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const s = statSync(dir);
    if (!s.isDirectory() || s.uid !== uid || (s.mode & 0o077) !== 0) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");

/** Where the manifest of the module at `path` lives in `folder`. */
function manifestFile(folder: string, path: string): string {
  return join(folder, `${sha256(resolve(path)).slice(0, 24)}.json`);
}

/** The kept bundle of the module at `path`, if every file in it is unchanged. */
export function keptBundle(folder: string, path: string): string | undefined {
  try {
    const m = JSON.parse(readFileSync(manifestFile(folder, path), "utf8")) as Manifest;
    for (const [input, hash] of Object.entries(m.inputs)) if (sha256(readFileSync(input)) !== hash) return undefined;
    const bundle = join(folder, m.bundle);
    statSync(bundle);
    return bundle;
  } catch {
    return undefined;
  }
}

/**
 * Records `bundle` (a file in `folder`) as the module's bundle, built from `inputs` (paths as
 * esbuild's metafile gives them, relative to `cwd`). Failing to record only costs a rebundle.
 */
export function keepBundle(folder: string, path: string, bundle: string, inputs: readonly string[], cwd: string): void {
  try {
    const hashes: Record<string, string> = {};
    for (const input of inputs) {
      const abs = resolve(cwd, input);
      hashes[abs] = sha256(readFileSync(abs));
    }
    const file = manifestFile(folder, path);
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify({ bundle, inputs: hashes } satisfies Manifest));
    renameSync(temp, file);
  } catch {
    // Not kept: the next run bundles again.
  }
}

/** A bundle file name for the module's current content, so changed code never shares a URL. */
export function bundleName(path: string, source: Uint8Array): string {
  return `${sha256(resolve(path)).slice(0, 12)}-${sha256(source).slice(0, 16)}.mjs`;
}
