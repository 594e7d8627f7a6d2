/** `feste check <files...> [--json]`: exit 0 when clean or only warnings, 1 on errors. */
import { checkFile } from "../compile.js";
import type { Diagnostic } from "../diagnostics/index.js";
import { nodeHost, readSource, reportUnreadable } from "./node-host.js";
import { diagnosticsJson, printDiagnostics, summarize } from "./output.js";
import { failureReported } from "./failure.js";

export function runCheck(files: string[], opts: { json?: boolean }): number {
  const all: Diagnostic[] = [];
  const sources = new Map<string, string>();
  const json: object[] = [];
  let missing = false;
  for (const file of files) {
    const read = readSource(file);
    if ("reason" in read) {
      reportUnreadable(file, read.reason);
      missing = true;
      continue;
    }
    const text = read.text;
    const result = checkFile(file, nodeHost, text);
    for (const [f, t] of result.program.sources) sources.set(f, t);
    all.push(...result.diagnostics);
    if (opts.json) json.push({ file, ok: result.ok, diagnostics: diagnosticsJson(result.diagnostics, (f) => sources.get(f)) });
  }
  const unique = dedupe(all);
  if (opts.json) {
    // An unreadable file was reported as the failure document: stdout holds one JSON document.
    if (!failureReported()) process.stdout.write(JSON.stringify(json, null, 2) + "\n");
  }
  else {
    printDiagnostics(unique, (f) => sources.get(f), process.stderr);
    const summary = summarize(unique);
    // A file that could not be read was not checked: no line may claim it has no problems.
    if (summary) process.stderr.write(`${summary}\n`);
    else if (files.length > 0 && !missing) process.stderr.write(`checked ${files.length} file${files.length === 1 ? "" : "s"}: no problems\n`);
  }
  if (missing) return 2;
  return unique.some((d) => d.severity === "error") ? 1 : 0;
}

/** A module used by several checked files is reported once. */
function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const k = `${d.code}|${d.span.file}|${d.span.start}|${d.span.end}|${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
