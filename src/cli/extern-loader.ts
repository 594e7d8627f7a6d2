/**
 * Loads `extern fn` modules for the CLI: JavaScript as it is, TypeScript bundled with esbuild
 * into a temporary ES module first (so a `.ts` module may import its own relative modules).
 * Each module is loaded once per process.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Data } from "../ir/value.js";
import { FesteRuntimeError } from "../ir/errors.js";

const loaded = new Map<string, Promise<Record<string, unknown>>>();
let outDir: string | undefined;

async function load(modulePath: string): Promise<Record<string, unknown>> {
  const abs = resolve(modulePath);
  if (/\.(m?js)$/.test(abs)) return import(pathToFileURL(abs).href) as Promise<Record<string, unknown>>;
  const { build } = await import("esbuild");
  outDir ??= mkdtempSync(join(tmpdir(), "feste-extern-"));
  const outfile = join(outDir, `${loaded.size}.mjs`);
  await build({ entryPoints: [abs], bundle: true, format: "esm", platform: "node", outfile, logLevel: "silent" });
  return import(pathToFileURL(outfile).href) as Promise<Record<string, unknown>>;
}

/** Calls an extern function with its arguments positional, as the language defines. */
export async function runExtern(modulePath: string, fn: string, args: readonly Data[]): Promise<Data> {
  let mod = loaded.get(modulePath);
  if (!mod) loaded.set(modulePath, (mod = load(modulePath)));
  const f = (await mod)[fn];
  if (typeof f !== "function") throw new FesteRuntimeError("FE4005", `${modulePath} does not export a function \`${fn}\``);
  try {
    return (await (f as (...a: readonly Data[]) => Data | Promise<Data>)(...args)) ?? null;
  } catch (e) {
    throw new FesteRuntimeError("FE4005", `\`${fn}\` threw: ${(e as Error)?.message ?? String(e)}`);
  }
}
