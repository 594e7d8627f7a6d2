/** What every pass is: a pure function from an IR program to an IR program. */
import type { IdTable } from "../../ir/ids.js";
import type { IrProgram, Subgraph } from "../../ir/nodes.js";

export interface PassContext {
  readonly ids: IdTable;
}

export interface Pass {
  readonly name: string;
  /** One line for `feste plan --help` and the README. */
  readonly summary: string;
  readonly run: (program: IrProgram, cx: PassContext) => IrProgram;
}

/** Applies `f` to every graph's scope and, where `prompts` is set, to every prompt section. */
export function mapScopes(program: IrProgram, f: (g: Subgraph) => Subgraph, opts: { prompts?: boolean } = {}): IrProgram {
  const graphs = Object.fromEntries(Object.entries(program.graphs).map(([k, g]) => [k, { ...g, ...f(g) }]));
  const prompts = opts.prompts
    ? Object.fromEntries(Object.entries(program.prompts).map(([k, p]) => [k, { ...p, sections: p.sections.map((s) => ({ ...s, text: f(s.text) })) }]))
    : program.prompts;
  return { ...program, graphs, prompts };
}
