/**
 * Phase 3: the checked program becomes an IR program. Each graph of the root module is
 * lowered with its parameters as `input` nodes; graphs it calls are inlined, so the
 * optimizer sees across calls. The result holds only the prompts, clients and types the
 * graphs use.
 */

import type { CheckedProgram } from "../2-check/index.js";
import { ScopeBuilder } from "../../ir/builder.js";
import type { IrGraph, IrProgram } from "../../ir/nodes.js";
import { LowerContext } from "./context.js";
import { ExprLowerer } from "./lower-expr.js";
import { ensureClient, ensurePrompt, ensureType, namedTypesIn } from "./program-tables.js";

export function lower(checked: CheckedProgram): IrProgram {
  const cx = new LowerContext(checked);
  const root = checked.program.modules.get(checked.program.root)!;
  const graphs: Record<string, IrGraph> = Object.create(null) as Record<string, IrGraph>;
  for (const d of root.module.declarations) {
    if (d.kind !== "graphDecl") continue;
    const sig = checked.signatures.get(d)!;
    const lx = new ExprLowerer(cx, new ScopeBuilder(cx.ids));
    const env = new Map(d.params.map((p, i) => [p.name.text, lx.add({ kind: "input", type: sig.params[i].type, name: p.name.text }, p.name.span)]));
    const output = lx.block(d.body, env);
    graphs[d.name.text] = { name: d.name.text, params: sig.params.map((p) => ({ name: p.name, type: p.type })), type: sig.output, ...lx.scope.finish(output), span: d.name.span };
    for (const t of [sig.output, ...sig.params.map((p) => p.type)]) for (const n of namedTypesIn(t)) ensureType(cx, n);
  }
  return { graphs: sortKeys(graphs), prompts: sortKeys(cx.prompts), clients: sortKeys(cx.clients), types: sortKeys(cx.types) };
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}



/**
 * Every prompt, client and type the root module declares, lowered whether a graph uses it or
 * not: what code generation exports (renderers, client declarations, types) besides graphs.
 */
export function lowerDeclarations(checked: CheckedProgram): IrProgram {
  const cx = new LowerContext(checked);
  const root = checked.program.root;
  for (const sym of checked.scopes.get(root)!.values()) {
    if (sym.file !== root) continue;
    if (sym.kind === "prompt") ensurePrompt(cx, sym);
    else if (sym.kind === "client") ensureClient(cx, sym);
    else if (sym.kind === "type" || sym.kind === "enum") ensureType(cx, { kind: sym.kind === "type" ? "record" : "enum", name: sym.decl.name.text, file: sym.file });
  }
  return { graphs: {}, prompts: sortKeys(cx.prompts), clients: sortKeys(cx.clients), types: sortKeys(cx.types) };
}
