/** Finds the AST nodes under a cursor by walking every object that carries a span. */
import type * as A from "../phases/1-parse/ast.js";

type Spanned = { readonly span: A.Name["span"]; readonly kind?: string };

/** The nodes whose span holds `offset`, outermost first (an end offset counts as inside). */
export function nodesAt(m: A.Module, offset: number): Spanned[] {
  const chain: Spanned[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v);
      return;
    }
    if (value === null || typeof value !== "object") return;
    const node = value as Record<string, unknown>;
    const span = node.span as Spanned["span"] | undefined;
    if (span && typeof span.start === "number") {
      if (offset < span.start || offset > span.end) return;
      chain.push(node as unknown as Spanned);
    }
    for (const [k, v] of Object.entries(node)) if (k !== "span" && k !== "opSpan" && typeof v === "object") visit(v);
  };
  for (const d of m.declarations) visit(d);
  return chain;
}

const EXPR_KINDS = new Set(["int", "float", "string", "bool", "null", "template", "ident", "record", "list", "binary", "unary", "call", "field", "index", "if", "for", "paren"]);

/** Whether a node is an expression (the checker keeps a type for each). */
export function isExpr(n: Spanned): n is A.Expr {
  return n.kind !== undefined && EXPR_KINDS.has(n.kind);
}

/** The declaration holding `offset`. */
export function declarationAt(m: A.Module, offset: number): A.Declaration | undefined {
  return m.declarations.find((d) => offset >= d.span.start && offset <= d.span.end);
}
