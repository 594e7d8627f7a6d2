/**
 * The endpoint clients a graph can send to: every client its model calls name, and every
 * member behind a combined one. A run warms exactly these (SDK loaded, client made) before
 * its first request, so no request waits for a module load and a program that calls only
 * OpenAI never loads Cohere's SDK.
 */
import { concreteMembers } from "../ir/clients.js";
import { walkNodes } from "../ir/graph.js";
import type { IrClient, IrProgram } from "../ir/nodes.js";

/** The concrete clients `graph` of `program` can call, in name order. */
export function graphClients(program: IrProgram, graph: string): IrClient[] {
  const names = new Set<string>();
  walkNodes(program.graphs[graph], (n) => {
    if (n.kind === "call" || n.kind === "embed" || n.kind === "rerank" || n.kind === "batch") names.add(n.client);
  });
  const out = new Map<string, IrClient>();
  for (const name of names) for (const c of concreteMembers(program, name)) out.set(c.name, c);
  return [...out.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
