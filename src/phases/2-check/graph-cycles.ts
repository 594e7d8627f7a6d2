/** Graphs are inlined, so a graph may not reach itself through calls. */
import type { CheckContext } from "./context.js";
import type { ExprChecker } from "./check-expr.js";
import type { Sym } from "./symbols.js";

type Edge = { from: Extract<Sym, { kind: "graph" }>; calls: ExprChecker["graphCalls"] };

/** Reports each cycle once, at the call that closes it. Iterative, so deep chains are fine. */
export function findGraphCycles(ctx: CheckContext, edges: readonly Edge[]): void {
  const key = (file: string, name: string) => `${file}\u0000${name}`;
  const byKey = new Map(edges.map((e) => [key(e.from.file, e.from.decl.name.text), e]));
  const state = new Map<string, "active" | "done">();
  for (const start of edges) {
    const startKey = key(start.from.file, start.from.decl.name.text);
    if (state.has(startKey)) continue;
    const stack: { k: string; edge: Edge; next: number }[] = [{ k: startKey, edge: start, next: 0 }];
    state.set(startKey, "active");
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const call = top.edge.calls[top.next++];
      if (!call) {
        state.set(top.k, "done");
        stack.pop();
        continue;
      }
      const k = key(call.file, call.name);
      const target = byKey.get(k);
      if (!target) continue;
      if (state.get(k) === "active") {
        const names = stack.slice(stack.findIndex((s) => s.k === k)).map((s) => s.edge.from.decl.name.text);
        ctx.report("FE2030", call.span, [[...names, call.name].join(" -> ")], { help: "loop over a list with `for` instead of calling the graph again" });
        continue;
      }
      if (state.get(k) === "done") continue;
      state.set(k, "active");
      stack.push({ k, edge: target, next: 0 });
    }
  }
}
