/**
 * `feste graph FILE [--graph NAME] --format dot|mermaid|svg [--unoptimized]`: a picture of a
 * graph. SVG is the DOT picture laid out by Graphviz (WebAssembly) in this process.
 */
import { clientColors } from "../ir/client-colors.js";
import { toDot, toMermaid } from "../ir/draw.js";
import type { IrNode } from "../ir/nodes.js";
import { chooseGraph, CliExit, compileOrExit, disabledPasses } from "./program-options.js";
import { renderSvg } from "./render-svg.js";
import { lineLocator } from "./source-lines.js";

export interface GraphOptions {
  graph?: string;
  format?: string;
  unoptimized?: boolean;
  opt?: unknown;
}

const FORMATS = ["dot", "mermaid", "svg"];

/** Prints the picture on stdout; exits 2 for an unknown format. */
export async function runGraph(file: string, opts: GraphOptions): Promise<number> {
  const format = opts.format ?? "dot";
  if (!FORMATS.includes(format)) {
    process.stderr.write(`error: unknown format \`${format}\`; use dot, mermaid or svg\n`);
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
  const colors = clientColors(Object.keys(program.clients));
  if (format === "mermaid") process.stdout.write(toMermaid(g, lineOf, colors));
  else {
    const dot = toDot(g, lineOf, colors);
    process.stdout.write(format === "dot" ? dot : await renderSvg(dot));
  }
  return 0;
}
