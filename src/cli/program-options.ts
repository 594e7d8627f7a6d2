/**
 * What `exec`, `plan` and `graph` share: compiling a file (printing diagnostics on failure),
 * choosing the graph, reading `--input`, and `--no-opt`.
 */
import { compileFile, type CompileResult } from "../compile.js";
import { makeDiagnostic } from "../diagnostics/index.js";
import { unknownInputKey } from "../ir/input-keys.js";
import { existsSync } from "node:fs";
import { jsonErrorPosition } from "./json-error-position.js";
import type { IrProgram } from "../ir/nodes.js";
import type { Data } from "../ir/value.js";
import { validate } from "../ir/validate.js";
import { PASSES } from "../phases/4-optimize/index.js";
import { nodeHost, readSource, reportUnreadable } from "./node-host.js";
import { printDiagnostics } from "./output.js";
import { reportDiagnosticsAsJson, reportFailure } from "./failure.js";

/** A failure already reported to the user, with the exit code to end with. */
export class CliExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** Passes named by `--no-opt` (repeatable, comma separated); commander gives `true` when absent. */
export function disabledPasses(opt: unknown): Set<string> {
  const names = Array.isArray(opt) ? (opt as string[]) : [];
  const known = PASSES.map((p) => p.name);
  for (const n of names) {
    if (!known.includes(n)) {
      reportFailure("usage", `unknown pass \`${n}\` for --no-opt; the passes are ${known.join(", ")}`);
      throw new CliExit(2);
    }
  }
  return new Set(names);
}

export function collectPasses(value: string, previous: unknown): string[] {
  return [...(Array.isArray(previous) ? previous : []), ...value.split(",").map((s) => s.trim()).filter(Boolean)];
}

/**
 * Compiles `file`; prints diagnostics and exits 1 when it does not check, 2 when unreadable.
 * `quiet` leaves warnings out (for `--json` runs, whose stderr stays empty unless they fail).
 */
export function compileOrExit(file: string, disabled: Set<string>, quiet = false): CompileResult & { optimized: IrProgram; lowered: IrProgram } {
  const read = readSource(file);
  if ("reason" in read) {
    reportUnreadable(file, read.reason);
    throw new CliExit(2);
  }
  const result = compileFile(file, nodeHost, { text: read.text, disabled });
  const shown = quiet ? result.diagnostics.filter((d) => d.severity === "error") : result.diagnostics;
  const lookup = (f: string) => result.program.sources.get(f);
  if (result.ok || !reportDiagnosticsAsJson("compile", shown, lookup)) printDiagnostics(shown, lookup, process.stderr);
  if (!result.ok || !result.optimized || !result.lowered) throw new CliExit(1);
  return result as CompileResult & { optimized: IrProgram; lowered: IrProgram };
}

/** The graph `--graph` names, else the only graph, else `main`. */
export function chooseGraph(result: CompileResult, program: IrProgram, wanted: string | undefined, file: string): string {
  const names = Object.keys(program.graphs);
  const name = wanted ?? (names.length === 1 ? names[0] : names.includes("main") ? "main" : undefined);
  if (name !== undefined && names.includes(name)) return name;
  const text = result.program.sources.get(file) ?? "";
  const help = names.length === 0 ? "declare one with `graph main(...) -> Type { ... }`" : `choose one with --graph: ${names.map((n) => `\`${n}\``).join(", ")}`;
  const d = makeDiagnostic("FE3001", { file, start: 0, end: Math.min(text.length, text.indexOf("\n") >>> 0) }, [name ?? "main"], { help });
  if (!reportDiagnosticsAsJson("usage", [d], () => text)) printDiagnostics([d], () => text, process.stderr);
  throw new CliExit(1);
}

/** `--input '{"docs": [...]}'` or `--input @file.json`; every parameter must be given. */
export function readInputs(program: IrProgram, graph: string, input: string | undefined): Record<string, Data> | undefined {
  if (input === undefined) return program.graphs[graph].params.length === 0 ? {} : undefined;
  const read = input.startsWith("@") ? readSource(input.slice(1)) : { text: input };
  if ("reason" in read) {
    reportUnreadable(input.slice(1), read.reason, "input");
    throw new CliExit(2);
  }
  const text = read.text;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const { line, column } = jsonErrorPosition(text);
    const where = input.startsWith("@") ? `${input.slice(1)}:${line}:${column}` : `line ${line}, column ${column}`;
    const detail = (e as Error).message.split("\n")[0].replace(/, (?:\.\.\.)?".*$/s, "");
    // `--input data.json` names a file but reads it as JSON text.
    const namesFile = !input.startsWith("@") && !/^\s*[{["]/.test(input) && existsSync(input);
    reportFailure("input", `--input is not valid JSON at ${where}: ${detail}`, namesFile ? `to read the file, write --input @${input}` : undefined);
    throw new CliExit(2);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    reportFailure("input", `--input must be a JSON object with one field per parameter of \`${graph}\``);
    throw new CliExit(2);
  }
  const given = value as Record<string, Data>;
  const params = program.graphs[graph].params.map((p) => p.name);
  // A misspelt optional parameter would otherwise be dropped without a word; the same
  // check and wording as a generated module's `run` (FE4007).
  const unknown = unknownInputKey(params, given, graph);
  if (unknown !== undefined) {
    reportFailure("input", `--input: ${unknown}`);
    throw new CliExit(2);
  }
  // JSON numbers are doubles: past 2^53 an integer is silently rounded, so it cannot be an `int`.
  const huge = unsafeInteger(given);
  if (huge !== undefined) {
    reportFailure("input", `--input has an integer beyond 2^53 - 1 (9007199254740991), the largest a JSON number keeps exactly (it reads as ${huge}); pass it as a string`);
    throw new CliExit(2);
  }
  for (const p of program.graphs[graph].params) {
    const problem = validate(given[p.name], p.type, program.types, p.name);
    if (problem) {
      reportFailure("input", `--input does not fit \`${graph}\`: ${problem}`);
      throw new CliExit(2);
    }
  }
  return given;
}

/** The first number in `value` too large to be an exact integer, if any (walked without recursion). */
function unsafeInteger(value: unknown): string | undefined {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === "number" && Number.isInteger(v) && !Number.isSafeInteger(v)) return v.toLocaleString("en-US", { useGrouping: false });
    if (v !== null && typeof v === "object") stack.push(...Object.values(v as object));
  }
  return undefined;
}
