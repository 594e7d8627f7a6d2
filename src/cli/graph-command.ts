/** `feste graph FILE [--graph NAME] --format dot|mermaid [--unoptimized]`: a picture of a graph. */
import { toDot, toMermaid } from "../ir/draw.js";
import type { IrNode } from "../ir/nodes.js";
import { chooseGraph, CliExit, compileOrExit, disabledPasses } from "./program-options.js";
import { lineLocator } from "./source-lines.js";

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
  const locate = lineLocator(result.program.sources);
  const lineOf = (n: IrNode) => {
    const at = locate(n.span);
    return at && `line ${at.line}`;
  };
  const g = program.graphs[graph];
  process.stdout.write(format === "dot" ? toDot(g, lineOf) : toMermaid(g, lineOf));
  return 0;
}
