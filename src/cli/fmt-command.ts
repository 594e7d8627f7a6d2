/**
 * `feste fmt [--check] <files...>`: rewrites each file in its canonical layout, in place and
 * only when that changes it, and names the files it changed. `--check` writes nothing, lists
 * the files that would change and exits 1 if there are any. A file with syntax errors gets
 * the usual diagnostics and is left alone. Exit codes: 0 ok, 1 errors or (with --check)
 * files to format, 2 an unreadable file.
 */
import { renameSync, writeFileSync } from "node:fs";
import type { Diagnostic } from "../diagnostics/index.js";
import { formatSource } from "../format/format.js";
import { readSource, reportUnreadable } from "./node-host.js";
import { printDiagnostics } from "./output.js";

/** The flags of `feste fmt`, as commander gives them. */
export interface FmtOptions {
  check?: boolean;
}

/** Formats `files` (see the module comment); returns the exit code. */
export function runFmt(files: string[], opts: FmtOptions): number {
  let unreadable = false;
  let failed = false;
  const changed: string[] = [];
  for (const file of files) {
    const read = readSource(file);
    if ("reason" in read) {
      reportUnreadable(file, read.reason);
      unreadable = true;
      continue;
    }
    const text = read.text;
    const result = formatSource(text, file);
    const errors: readonly Diagnostic[] = result.diagnostics.filter((d) => d.severity === "error");
    if (result.text === undefined || errors.length > 0) {
      printDiagnostics(errors, () => text, process.stderr);
      failed = true;
      continue;
    }
    if (result.text === text) continue;
    changed.push(file);
    if (!opts.check) writeAtomically(file, result.text);
  }
  for (const file of changed) process.stdout.write(opts.check ? `would format ${file}\n` : `formatted ${file}\n`);
  if (opts.check && changed.length > 0) process.stderr.write(`${changed.length} of ${files.length} file${files.length === 1 ? "" : "s"} not formatted; run feste fmt to fix\n`);
  if (unreadable) return 2;
  return failed || (opts.check === true && changed.length > 0) ? 1 : 0;
}

/** Writes beside the file and renames over it, so an interrupted run never leaves half a file. */
function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.fmt-${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}
