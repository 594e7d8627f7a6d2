/**
 * One call of an `extern fn` node, as the scheduler and eager mode both make it: an io extern
 * through `runIoExtern` (timeout, retries, main loop), a pure one on the runner (a worker
 * pool), and either way its result checked against the declared output type, so a helper
 * returning a number for `-> string` fails at its call (FE4031) instead of flowing into the
 * next prompt.
 */
import { FesteRuntimeError } from "../ir/errors.js";
import type { IrNode, IrTypeDef } from "../ir/nodes.js";
import { validate } from "../ir/validate.js";
import type { Data } from "../ir/value.js";
import { runIoExtern } from "./io-extern.js";
import type { ExternRunner } from "./run-hooks.js";

/** The call's checked result; the caller adds the `.feste` location of the call to failures. */
export async function callExternNode(n: Extract<IrNode, { kind: "extern" }>, args: readonly Data[], run: ExternRunner | undefined, types: Readonly<Record<string, IrTypeDef>>, signal?: AbortSignal): Promise<Data> {
  let value: Data;
  if (n.io) value = await runIoExtern({ fn: n.fn, module: n.module, io: n.io }, args, run, signal);
  else {
    if (!run) throw new FesteRuntimeError("FE4005", `\`${n.fn}\` cannot run: no extern function runner was given`);
    value = await run(n.module, n.fn, args, signal);
  }
  const wrong = validate(value, n.type, types, "its result");
  if (wrong) throw new FesteRuntimeError("FE4031", `extern \`${n.fn}\` (from \`${n.module}\`) returned a value of the wrong type: ${wrong}`);
  return value;
}
