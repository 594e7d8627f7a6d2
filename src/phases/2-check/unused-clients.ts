/**
 * A client that no model call reaches is a warning: its settings are never used, and most
 * often a prompt was used where its answer was meant (`summarise(r)` for `gpt(summarise(r))`).
 */
import type { LoadedModule } from "../1-parse/load-program.js";
import type { CheckContext } from "./context.js";

/**
 * Warns (FE2071) at each declared client that no call reaches, directly or through a
 * combinator, in every module that has graphs or tests of its own. Only in a program without
 * errors.
 */
export function reportUnusedClients(ctx: CheckContext, modules: readonly LoadedModule[]): void {
  // A call an error stopped may be the one that uses the client: fix errors first.
  if (ctx.diagnostics.some((d) => d.severity === "error")) return;
  const reached = new Set<unknown>();
  const pending = [...ctx.calls.values()].flatMap((t) => (t.kind === "model" ? [t.client] : []));
  while (pending.length > 0) {
    const sym = pending.pop()!;
    if (reached.has(sym.decl)) continue;
    reached.add(sym.decl);
    for (const m of ctx.clients.get(sym.decl)?.combinator?.members ?? []) {
      const target = ctx.scope(sym.file).get(m);
      if (target?.kind === "client") pending.push(target);
    }
  }
  for (const m of modules) {
    // A module of declarations only (no graph, no test) is a library: its users call its clients.
    if (!m.module.declarations.some((d) => d.kind === "graphDecl" || d.kind === "testDecl")) continue;
    for (const d of m.module.declarations) {
      if (d.kind !== "clientDecl" || reached.has(d) || d.name.text.startsWith("_")) continue;
      ctx.report("FE2071", d.name.span, [d.name.text], {
        help: `send a prompt to it, e.g. \`${d.name.text}(p(...))\`, or remove it`,
      });
    }
  }
}
