/**
 * Reads a compile-time literal: strings, numbers (with a leading `-`), booleans, `null`,
 * lists and maps of those, and enum members written `Enum.member`. Returns `NOT_LITERAL` otherwise.
 */
import type * as A from "../1-parse/ast.js";

export type LiteralValue =
  | string
  | number
  | boolean
  | null
  | readonly LiteralValue[]
  | { readonly enumMember: string }
  | { readonly mapEntries: readonly (readonly [string, LiteralValue])[] };

export const NOT_LITERAL = Symbol("not a literal");

export function literalValue(e: A.Expr): LiteralValue | typeof NOT_LITERAL {
  switch (e.kind) {
    case "string":
    case "int":
    case "float":
    case "bool":
      return e.value;
    case "null":
      return null;
    case "paren":
      return literalValue(e.expr);
    case "unary": {
      const v = literalValue(e.operand);
      return e.op === "-" && typeof v === "number" ? -v : NOT_LITERAL;
    }
    case "list": {
      const items: LiteralValue[] = [];
      for (const item of e.items) {
        const v = literalValue(item);
        if (v === NOT_LITERAL) return NOT_LITERAL;
        items.push(v);
      }
      return items;
    }
    case "map": {
      const entries: (readonly [string, LiteralValue])[] = [];
      for (const entry of e.entries) {
        const v = literalValue(entry.value);
        if (v === NOT_LITERAL) return NOT_LITERAL;
        // A bare-name key is still a literal here; the checker reports it (FE2101).
        entries.push([entry.key.kind === "string" ? entry.key.value : entry.key.name, v]);
      }
      return { mapEntries: entries };
    }
    case "field":
      return e.target.kind === "ident" ? { enumMember: e.name.text } : NOT_LITERAL;
    case "template":
      return e.parts.every((p) => p.kind === "text") ? e.parts.map((p) => (p as A.TemplateText).value).join("") : NOT_LITERAL;
    default:
      return NOT_LITERAL;
  }
}
