/**
 * Later phases walk the AST recursively, so an AST deeper than MAX_AST_DEPTH is refused
 * here, by an iterative walk, before anything could exhaust the stack. Brackets are limited
 * while lexing; this catches the shapes brackets do not: very long operator chains, long
 * runs of prefix operators, long `else if` chains.
 */
import type { Span } from "../../diagnostics/index.js";

export const MAX_AST_DEPTH = 500;

/** The span of the first node deeper than the limit, or undefined. */
export function tooDeep(root: object, limit = MAX_AST_DEPTH): Span | undefined {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== "object" || value === null) continue;
    if (Array.isArray(value)) {
      for (const v of value) stack.push([v, depth]);
      continue;
    }
    const node = value as Record<string, unknown>;
    const d = "kind" in node ? depth + 1 : depth;
    if (d > limit && "span" in node) return node.span as Span;
    for (const [k, v] of Object.entries(node)) if (k !== "span" && k !== "opSpan") stack.push([v, d]);
  }
  return undefined;
}
