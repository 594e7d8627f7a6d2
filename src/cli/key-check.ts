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
import { resolveApiKey } from "../providers/index.js";
import { runtimeDiagnostic } from "./runtime-error.js";

/** One FE4006 diagnostic per client without a key, at the first call that uses it. */
export function missingKeys(program: IrProgram, graph: string, env: Readonly<Record<string, string | undefined>>): Diagnostic[] {
  const used = new Map<string, IrClient>();
  const spans = new Map<string, Diagnostic["span"]>();
  walkNodes(program.graphs[graph], (n) => {
    if (!("client" in n)) return;
    const c = program.clients[n.client];
    const members = concreteMembers(program, n.client);
    for (const m of c?.combinator?.name === "fallback" ? members.slice(0, 1) : members) {
      used.set(m.name, m);
      const known = spans.get(m.name);
      if (n.span && (!known || n.span.start < known.start)) spans.set(m.name, n.span);
    }
  });
  const out: Diagnostic[] = [];
  for (const [name, client] of [...used].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
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
