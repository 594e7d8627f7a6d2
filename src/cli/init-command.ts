/**
 * `feste init [DIR]`: a starter project in DIR (default: the current folder) that runs at
 * once with `--fake`. DIR must be new or empty (a lone `.git` is allowed), so nothing of the
 * user's is ever overwritten; otherwise FE4010 and exit 1.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { makeDiagnostic } from "../diagnostics/index.js";
import { printDiagnostics } from "./output.js";
import { packageName, starterFiles } from "./starter/starter-files.js";

/** Writes the starter and prints what it wrote and what to run next; 0 on success, 1 when DIR is not usable. */
export function runInit(dir: string | undefined): number {
  const target = dir ?? ".";
  const problem = whyNot(target);
  if (problem) {
    const help = "choose a new folder, e.g. `feste init my-project`";
    printDiagnostics([makeDiagnostic("FE4010", { file: target, start: 0, end: 0 }, [target, problem], { help })], () => undefined, process.stderr);
    return 1;
  }
  mkdirSync(target, { recursive: true });
  const files = starterFiles(packageName(basename(resolve(target))));
  for (const [name, text] of files) writeFileSync(join(target, name), text, { flag: "wx" });
  const shown = relative(process.cwd(), resolve(target)) || ".";
  const lines = [`created a Feste project in ${shown}:`, ...files.map(([name]) => `  ${name}`), "", "next:"];
  if (shown !== ".") lines.push(`  cd ${shown}`);
  lines.push("  npx feste exec main.feste --fake    (npm run exec once feste is a devDependency)", "");
  process.stdout.write(lines.join("\n"));
  return 0;
}

/** Why `target` cannot take a new project, or undefined when it can. */
function whyNot(target: string): string | undefined {
  if (!existsSync(target)) return undefined;
  if (!statSync(target).isDirectory()) return "it is a file";
  const entries = readdirSync(target).filter((e) => e !== ".git");
  if (entries.length === 0) return undefined;
  const some = entries.sort().slice(0, 3).map((e) => `\`${e}\``).join(", ");
  return `the folder is not empty (${some}${entries.length > 3 ? ", ..." : ""})`;
}
