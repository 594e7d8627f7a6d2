/** Phase 4: runs the passes in order, skipping those switched off. */
import { IdTable } from "../../ir/ids.js";
import type { IrProgram } from "../../ir/nodes.js";
import { PASSES } from "./passes.js";

export interface OptimizeOptions {
  /** Names of passes not to run (`--no-opt=batch`). */
  readonly disabled?: ReadonlySet<string>;
}

export function optimize(program: IrProgram, opts: OptimizeOptions = {}): IrProgram {
  const cx = { ids: new IdTable() };
  let out = program;
  for (const p of PASSES) if (!opts.disabled?.has(p.name)) out = p.run(out, cx);
  return out;
}
