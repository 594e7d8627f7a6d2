/**
 * Before a real run sends anything: every client the graph may call has an API key. A
 * missing key is reported for each client at its first call, all at once, so a run never
 * spends money on one provider only to stop at the next. The first member of a `fallback`
 * client must have a key; the others are only asked when it fails. Every member of a
 * `round_robin` client takes calls, so each needs one.
 */
import type { Diagnostic } from "../diagnostics/index.js";
import { concreteMembers } from "../ir/clients.js";
import { FesteRuntimeError } from "../ir/errors.js";
import { walkNodes } from "../ir/graph.js";
import type { IrClient, IrProgram } from "../ir/nodes.js";
import { keyVariable } from "../providers/api-keys.js";
import { resolveApiKey } from "../providers/index.js";
import { runtimeDiagnostic } from "./runtime-error.js";

/** One FE4006 diagnostic per client without a key, at the first call that uses it. */
export function missingKeys(program: IrProgram, graph: string, env: Readonly<Record<string, string | undefined>>): Diagnostic[] {
  const used = usedClients(program, graph);
  const spans = firstCalls(program, graph);
  const out: Diagnostic[] = [];
  for (const [name, client] of used) {
    try {
      resolveApiKey(client, client.settings, env);
    } catch (e) {
      if (!(e instanceof FesteRuntimeError)) throw e;
      const d = runtimeDiagnostic(e.at(spans.get(name)));
      if (d) out.push(d);
    }
  }
  return out;
}

/** The variables the graph's clients read keys from, sorted, each once. */
export function keyVariables(program: IrProgram, graph: string): string[] {
  return [...new Set([...usedClients(program, graph).values()].map(keyVariable))].sort();
}

/**
 * One line per key variable whose value has whitespace around it (a pasted line ending): the
 * key is used trimmed, as HTTP would send it, and the user learns why it differs.
 */
export function untrimmedKeyWarnings(program: IrProgram, graph: string, env: Readonly<Record<string, string | undefined>>): string[] {
  return keyVariables(program, graph)
    .filter((v) => env[v] !== undefined && env[v] !== env[v]!.trim())
    .map((v) => `warning: ${v} has whitespace or a line ending around the key; it is used trimmed`);
}

/** The concrete clients the graph may call, by name, sorted. */
function usedClients(program: IrProgram, graph: string): Map<string, IrClient> {
  const used = new Map<string, IrClient>();
  const spans = new Map<string, Diagnostic["span"]>();
  walkNodes(program.graphs[graph], (n) => {
    if (!("client" in n)) return;
    const c = program.clients[n.client];
    const members = concreteMembers(program, n.client);
    for (const m of c?.combinator?.name === "fallback" ? members.slice(0, 1) : members) {
      used.set(m.name, m);
    }
  });
  return new Map([...used].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Where each client is first called, for FE4006's frame. */
function firstCalls(program: IrProgram, graph: string): Map<string, Diagnostic["span"]> {
  const spans = new Map<string, Diagnostic["span"]>();
  walkNodes(program.graphs[graph], (n) => {
    if (!("client" in n)) return;
    const c = program.clients[n.client];
    const members = concreteMembers(program, n.client);
    for (const m of c?.combinator?.name === "fallback" ? members.slice(0, 1) : members) {
      const known = spans.get(m.name);
      if (n.span && (!known || n.span.start < known.start)) spans.set(m.name, n.span);
    }
  });
  return spans;
}
