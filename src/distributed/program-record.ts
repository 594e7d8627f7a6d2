/**
 * What workers are sent of a program: its IR and the code of its extern modules, each
 * bundled by esbuild into one self-contained ES module (as the local extern pool does), so a
 * worker on another machine needs neither the `.feste` sources nor the TypeScript files.
 * Stored in Redis under the hash of the record, once however many runs use it.
 */
import { createHash } from "node:crypto";
import { FesteRuntimeError } from "../ir/errors.js";
import { walkNodes } from "../ir/graph.js";
import type { IrProgram } from "../ir/nodes.js";
import { canonicalJson } from "../runtime/cache/request-key.js";

/** Where `--fake` runs send model calls: the coordinator's stand-in server (same machine only). */
export interface StandInAddress {
  readonly openaiBaseURL: string;
  readonly cohereBaseURL: string;
}

export interface ProgramRecord {
  readonly format: typeof RECORD_FORMAT;
  readonly ir: IrProgram;
  /** Bundled ES module code by the extern `module` string the IR names. */
  readonly externs: Readonly<Record<string, string>>;
  readonly standIn?: StandInAddress;
}

/** Bumped when the record's shape changes: a worker refuses what it cannot read (FE4011). */
export const RECORD_FORMAT = "feste-program/1";

/**
 * The record of `ir`, the modules of its pure externs and pure tools bundled (unless
 * `bundleExterns` is false: the coordinator then runs them itself). FE4005 when a module cannot be bundled.
 */
export async function programRecord(ir: IrProgram, options: { readonly bundleExterns: boolean; readonly standIn?: StandInAddress }): Promise<ProgramRecord> {
  const { standIn } = options;
  const modules = new Set<string>();
  // Workers run pure externs, called directly or as a model's tools; an `extern io fn` runs
  // on the coordinator, so its module is not theirs to have.
  if (options.bundleExterns)
    for (const g of Object.values(ir.graphs))
      walkNodes(g, (n) => {
        if (n.kind === "extern" && !n.io) modules.add(n.module);
        if (n.kind === "call") for (const t of n.tools ?? []) if (!t.io) modules.add(t.module);
      });
  const externs: Record<string, string> = {};
  for (const m of [...modules].sort()) externs[m] = await bundle(m);
  return { format: RECORD_FORMAT, ir, externs, ...(standIn ? { standIn } : {}) };
}

/** The record's content hash, its name in Redis. */
export function recordHash(record: ProgramRecord): string {
  return createHash("sha256").update(canonicalJson(record)).digest("hex");
}

async function bundle(module: string): Promise<string> {
  const { build } = await import("esbuild");
  try {
    const out = await build({ entryPoints: [module], bundle: true, format: "esm", platform: "node", target: "node20", write: false, logLevel: "silent" });
    return out.outputFiles[0].text;
  } catch (e) {
    const first = (e as { errors?: { text: string }[] }).errors?.[0]?.text ?? (e as Error)?.message ?? String(e);
    throw new FesteRuntimeError("FE4005", `cannot bundle the extern module \`${module}\` for the workers: ${first}`);
  }
}
