/**
 * `feste test [FILE...] [--fake] [--filter TEXT] [--record DIR | --replay DIR] [--json]`: runs
 * the `test` blocks of each file (default: every `.feste` file under the current folder) and
 * prints one line per test, then each failure at its `.feste` line with both sides of the
 * comparison. Model calls go to the real clients, to the stand-in server with `--fake`, or
 * with `--replay DIR` to nothing at all: answers come from fixtures `--record DIR` wrote.
 * Exit codes: 0 every test passed, 1 a test failed or a file does not compile, 2 usage.
 */
import { compileTests, type TestCompileResult } from "../compile.js";
import { diagnosticsToJson, type Diagnostic } from "../diagnostics/index.js";
import type { IrTest } from "../ir/tests.js";
import { providerBackend } from "../providers/index.js";
import type { ModelBackend } from "../runtime/backend.js";
import { directoryStore, recordingBackend, recordingExterns, replayingBackend, replayingExterns } from "../runtime/fixtures/index.js";
import type { ExternRunner } from "../runtime/run-hooks.js";
import { passed, runTest, type TestOutcome } from "../runtime/run-tests.js";
import { pointAt, startStandIn, type StandInServer } from "../testing/stand-in/index.js";
import { closeExterns, runExtern } from "./extern-loader.js";
import { festeFilesUnder } from "./find-feste-files.js";
import { missingKeys } from "./key-check.js";
import { nodeHost, readSource, readText, reportUnreadable } from "./node-host.js";
import { failureReported, reportDiagnosticsAsJson } from "./failure.js";
import { printDiagnostics } from "./output.js";
import { CliExit, disabledPasses } from "./program-options.js";
import { failureDiagnostics, testName } from "./test-report.js";

/** The flags of `feste test`, as commander gives them. */
export interface TestOptions {
  fake?: boolean;
  filter?: string;
  record?: string;
  replay?: string;
  json?: boolean;
  opt?: unknown;
}

interface Selected {
  readonly file: string;
  readonly result: TestCompileResult;
  readonly tests: readonly IrTest[];
}

/** Runs the tests of `files` (see the module comment); returns the exit code. */
export async function runTests(files: string[], opts: TestOptions): Promise<number> {
  if (opts.replay !== undefined && (opts.record !== undefined || opts.fake)) {
    process.stderr.write("error: --replay answers every call from its fixtures; it does not go with --record or --fake\n");
    return 2;
  }
  const disabled = disabledPasses(opts.opt);
  // Without arguments, the files that declare tests: a broken file with none is not this command's business.
  const list = files.length > 0 ? files : festeFilesUnder(".").filter(declaresTests);
  const { selected, broken } = compileAll(list, disabled, opts);
  const count = selected.reduce((n, s) => n + s.tests.length, 0);
  if (count === 0) {
    if (!broken) process.stderr.write(opts.filter !== undefined ? `error: no test name contains \`${opts.filter}\`\n` : `error: no tests in ${list.length === 0 ? "this folder" : list.join(", ")}\n`);
    return 1;
  }
  if (opts.replay === undefined && !opts.fake && keysMissing(selected, opts.json === true)) return 1;

  const server = opts.fake ? await startStandIn({ latencyMs: 0 }) : undefined;
  try {
    const outcomes = await runAll(selected, backendFor(opts, server), externsFor(opts));
    return report(outcomes, opts.json === true) && !broken ? 0 : 1;
  } finally {
    await Promise.all([server?.close(), closeExterns()]);
  }
}

/** Whether a file has a line starting with `test`, as every test declaration does. */
function declaresTests(file: string): boolean {
  return /^[ \t]*test[ \t]/m.test(readText(file) ?? "");
}

/** Compiles each file's tests, printing diagnostics; `broken` when a file does not compile. */
function compileAll(files: readonly string[], disabled: Set<string>, opts: TestOptions): { selected: Selected[]; broken: boolean } {
  const selected: Selected[] = [];
  let broken = false;
  for (const file of files) {
    const read = readSource(file);
    if ("reason" in read) {
      reportUnreadable(file, read.reason);
      throw new CliExit(2);
    }
    const text = read.text;
    const result = compileTests(file, nodeHost, { text, disabled });
    const shown = opts.json ? result.diagnostics.filter((d) => d.severity === "error") : result.diagnostics;
    printDiagnostics(shown, (f) => result.program.sources.get(f), process.stderr);
    if (!result.suite) {
      broken = true;
      continue;
    }
    const tests = result.suite.tests.filter((t) => opts.filter === undefined || t.name.includes(opts.filter));
    if (tests.length > 0) selected.push({ file, result, tests });
  }
  return { selected, broken };
}

/** Reports (FE4006) every client a selected test calls that has no API key. */
function keysMissing(selected: readonly Selected[], json: boolean): boolean {
  const missing: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const s of selected) {
    for (const t of s.tests) {
      for (const d of missingKeys(s.result.suite!.program, t.graph, process.env)) {
        if (seen.has(d.message)) continue;
        seen.add(d.message);
        missing.push(d);
      }
    }
  }
  if (missing.length === 0) return false;
  const sources = (f: string) => selected.map((s) => s.result.program.sources.get(f)).find((t) => t !== undefined);
  if (!json || !reportDiagnosticsAsJson("key", missing, sources)) printDiagnostics(missing, sources, process.stderr);
  return true;
}

/** Replay answers from fixtures only; otherwise the providers (at the stand-in with --fake), recorded with --record. */
function backendFor(opts: TestOptions, server: StandInServer | undefined): ModelBackend {
  if (opts.replay !== undefined) return replayingBackend(directoryStore(opts.replay));
  const live = providerBackend(server ? { override: pointAt(server) } : {});
  return opts.record !== undefined ? recordingBackend(live, directoryStore(opts.record)) : live;
}

/** `extern io fn` results from fixtures with --replay, written to them with --record; pure externs run as usual. */
function externsFor(opts: TestOptions): ExternRunner {
  if (opts.replay !== undefined) return replayingExterns(runExtern, directoryStore(opts.replay));
  return opts.record !== undefined ? recordingExterns(runExtern, directoryStore(opts.record)) : runExtern;
}

/** Runs the tests one after another, so output and recorded samples come in source order. */
async function runAll(selected: readonly Selected[], backend: ModelBackend, externs: ExternRunner): Promise<{ s: Selected; o: TestOutcome }[]> {
  const out: { s: Selected; o: TestOutcome }[] = [];
  for (const s of selected) {
    for (const t of s.tests) out.push({ s, o: await runTest(s.result.suite!.program, t, { backend, externs }) });
  }
  return out;
}

/** Prints the outcomes (one line per test, then the failures, then a count); true if all passed. */
function report(outcomes: readonly { s: Selected; o: TestOutcome }[], json: boolean): boolean {
  const failed = outcomes.filter(({ o }) => !passed(o));
  const explain = ({ s, o }: { s: Selected; o: TestOutcome }) => failureDiagnostics(o, s.result.program.sources);
  if (json) {
    const tests = outcomes.map((x) => {
      const failures = diagnosticsToJson(explain(x), (f) => x.s.result.program.sources.get(f));
      // A failed comparison also gives both sides as values, not only as the notes' text.
      const sides = x.o.failures.map((f) => (f.assert.compare ? { left: f.left ?? null, right: f.right ?? null } : {}));
      return { file: x.s.file, name: x.o.test.name, passed: passed(x.o), failures: failures.map((d, i) => ({ ...d, ...sides[i] })) };
    });
    if (!failureReported()) process.stdout.write(JSON.stringify({ passed: outcomes.length - failed.length, failed: failed.length, tests }, null, 2) + "\n");
    return failed.length === 0;
  }
  const width = Math.max(...outcomes.map(({ s }) => s.file.length));
  for (const { s, o } of outcomes) process.stdout.write(`${passed(o) ? "ok  " : "FAIL"}  ${s.file.padEnd(width)}  ${testName(o.test.name)}\n`);
  for (const x of failed) {
    process.stdout.write(`\nFAIL ${x.s.file} ${testName(x.o.test.name)}\n`);
    printDiagnostics(explain(x), (f) => x.s.result.program.sources.get(f), process.stdout);
  }
  const n = outcomes.length;
  // The last diagnostic ends with a blank line already.
  process.stdout.write(`${failed.length === 0 ? "\n" : ""}${n} test${n === 1 ? "" : "s"}: ${n - failed.length} passed, ${failed.length} failed\n`);
  return failed.length === 0;
}
