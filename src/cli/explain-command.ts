/** `feste explain FE2003`: the long explanation of a diagnostic code; `feste explain builtins`: every builtin. */
import { catalogue, lookupCode } from "../diagnostics/index.js";
import { BUILTINS } from "../phases/2-check/builtins.js";

/** Every builtin function, in table order: signature, what it returns, and an example. */
export function builtinsText(): string {
  const rows = [...BUILTINS.values()].map((b) => `${b.doc.signature}\n    ${b.summary}\n    e.g. ${b.doc.example}\n`);
  return `Builtin functions (pure, typed; T is any element type):\n\n${rows.join("\n")}`;
}

export function runExplain(code: string | undefined): number {
  if (code?.toLowerCase() === "builtins") {
    process.stdout.write(builtinsText());
    return 0;
  }
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
