/**
 * The data a generated module hands the runtime, taken as the compiler wrote it: its plan,
 * its clients' settings, and the type definitions its parsers check answers against. The
 * compiler is the only writer of these literals, so they are trusted here (and only here),
 * which keeps every cast out of generated code.
 */
import type { Span } from "../diagnostics/diagnostic.js";
import type { IrClient, IrProgram, IrTypeDef } from "../ir/nodes.js";
import type { OutputFormat } from "../ir/schema.js";
import type { Type } from "../ir/types.js";
import { runModule, type ExternModules, type RunOptions } from "./run-module.js";
import { parseAnswer } from "./structured/index.js";

/** An entry of a generated module's location table: `file:line:col`, then the span's start and end offsets. */
export type Location = readonly [string, number, number];

/**
 * A generated module's plan of its graphs, with each `at` (an index into the module's
 * location table) turned back into the node's span, so run-time errors name the `.feste`
 * line, and each node given its id again (the module writes it once, as the node's key).
 */
export function plan(literal: unknown, locations: readonly Location[]): IrProgram {
  const walk = (v: unknown): unknown => {
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map(walk);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k === "at" && typeof x === "number" && locations[x]) out.span = span(locations[x]);
      else if (k === "nodes" && x && typeof x === "object") out.nodes = Object.fromEntries(Object.entries(x).map(([id, n]) => [id, { ...(walk(n) as object), id }]));
      else out[k] = walk(x);
    }
    return out;
  };
  return walk(literal) as IrProgram;
}

function span([where, start, end]: Location): Span {
  return { file: where.replace(/:\d+:\d+$/, ""), start, end };
}

/** A generated module's `clients` table. */
export function clientTable(literal: unknown): Readonly<Record<string, IrClient>> {
  return literal as Readonly<Record<string, IrClient>>;
}

/**
 * Reads a model's answer as the prompt's output type (`type`, with the definitions in
 * `types`), leniently, the way calls in a graph do; throws `AnswerError` if it does not fit.
 * The value is checked against `type`, so it has the shape of `T`, the TypeScript type the
 * compiler wrote for it.
 */
export function parseAs<T>(answer: string, type: unknown, types: unknown, format: unknown): T {
  return parseAnswer(answer, type as Type, types as Readonly<Record<string, IrTypeDef>>, format as OutputFormat) as T;
}

/** Runs one graph of a generated module's plan; its value has the graph's output type `T`, which the run checks. */
export async function runPlan<T>(program: IrProgram, graph: string, input: unknown, options: RunOptions | undefined, externs: ExternModules): Promise<T> {
  return (await runModule(program, graph, input, options, externs)) as T;
}
