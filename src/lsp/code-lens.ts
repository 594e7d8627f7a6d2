/**
 * The plan in the editor: above each graph, what `feste plan` computes without an input,
 * the requests as a formula in the input lengths and the clients the graph calls. While
 * the program has errors the lens says so instead of showing a stale plan.
 */
import type { CodeLens } from "vscode-languageserver";
import { planGraph, type Plan } from "../plan/plan.js";
import { TextPositions } from "./text-positions.js";
import type { Workspace } from "./workspace.js";

export function codeLenses(ws: Workspace, file: string): CodeLens[] {
  const text = ws.text(file);
  if (text === undefined) return [];
  const positions = new TextPositions(text);
  // The cached check's parse of the file (it parses, with recovery, even when the file is broken).
  const graphs = (ws.check(file)?.program.modules.get(file)?.module.declarations ?? []).filter((d) => d.kind === "graphDecl");
  if (graphs.length === 0) return [];
  const optimized = ws.compile(file)?.optimized;
  return graphs.map((d) => {
    const title = optimized?.graphs[d.name.text] ? planTitle(planGraph(optimized, d.name.text)) : "plan: fix the errors in this program to see its requests";
    const line = positions.position(d.span.start).line;
    return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, command: { title, command: "" } };
  });
}

/** `ceil(len(docs) / 20) + 1 requests · davinci, writer · 2 model calls in sequence` */
export function planTitle(plan: Plan): string {
  const requests = `${plan.requests.text} request${plan.requests.value === 1 ? "" : "s"}`;
  const clients = [...new Set(plan.steps.map((s) => s.client))].sort();
  const parts = [requests, clients.length > 0 ? `clients: ${clients.join(", ")}` : "no model calls"];
  if (plan.criticalPath > 1) parts.push(`${plan.criticalPath} model calls in sequence`);
  return parts.join(" · ");
}
