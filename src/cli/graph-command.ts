/** `feste graph FILE [--graph NAME] --format dot|mermaid [--unoptimized]`: a picture of a graph. */
import { LineIndex } from "../diagnostics/index.js";
import { toDot, toMermaid } from "../ir/draw.js";
import type { IrNode } from "../ir/nodes.js";
import { chooseGraph, CliExit, compileOrExit, disabledPasses } from "./program-options.js";

export interface GraphOptions {
  graph?: string;
  format?: string;
  unoptimized?: boolean;
  opt?: unknown;
}

export function runGraph(file: string, opts: GraphOptions): number {
  const format = opts.format ?? "dot";
  if (format !== "dot" && format !== "mermaid") {
    process.stderr.write(`error: unknown format \`${format}\`; use dot or mermaid\n`);
    throw new CliExit(2);
  }
  const result = compileOrExit(file, disabledPasses(opts.opt));
  const program = opts.unoptimized ? result.lowered : result.optimized;
  const graph = chooseGraph(result, program, opts.graph, file);
  const indexes = new Map<string, LineIndex>();
  const lineOf = (n: IrNode) => {
    if (!n.span) return undefined;
    const text = result.program.sources.get(n.span.file);
    if (text === undefined) return undefined;
    if (!indexes.has(n.span.file)) indexes.set(n.span.file, new LineIndex(text));
    return `line ${indexes.get(n.span.file)!.position(n.span.start).line}`;
  };
  const g = program.graphs[graph];
  process.stdout.write(format === "dot" ? toDot(g, lineOf) : toMermaid(g, lineOf));
  return 0;
}
