/** `feste explain FE2003`: the long explanation of a diagnostic code. */
import { catalogue, lookupCode } from "../diagnostics/index.js";

export function runExplain(code: string | undefined): number {
  if (!code) {
    for (const [c, e] of Object.entries(catalogue)) process.stdout.write(`${c}  ${e.severity.padEnd(7)}  ${e.title}\n`);
    return 0;
  }
  const e = lookupCode(code);
  if (!e) {
    process.stderr.write(`error: unknown diagnostic code \`${code}\`; run \`feste explain\` for the list\n`);
    return 2;
  }
  process.stdout.write(`${e.code} (${e.severity}): ${e.title}\n\n${e.explanation}\n`);
  return 0;
}
