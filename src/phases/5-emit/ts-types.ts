/** Feste types written as TypeScript types, with the named types each one needs imported. */
import type { Type } from "../../ir/types.js";
import { identifier } from "./names.js";

/** Where a named type comes from: this module, another generated module, or the runtime. */
export type TypeNamer = (t: Extract<Type, { kind: "record" | "enum" }>) => string;

export function tsType(t: Type, name: TypeNamer): string {
  switch (t.kind) {
    case "string":
    case "prompt":
      // A prompt crossing a graph's boundary is its text.
      return "string";
    case "int":
    case "float":
      return "number";
    case "bool":
      return "boolean";
    case "null":
      return "null";
    case "list": {
      const inner = tsType(t.element, name);
      return /[|&\s]/.test(inner) ? `(${inner})[]` : `${inner}[]`;
    }
    case "optional":
      return `${tsType(t.inner, name)} | null`;
    case "map":
      return `Readonly<Record<string, ${tsType(t.value, name)}>>`;
    case "record":
    case "enum":
      return name(t);
    case "unknown":
    case "error":
      return "unknown";
  }
}

/** The identifier a named type is declared under in its own module. */
export function typeIdentifier(t: { readonly name: string }): string {
  return identifier(t.name);
}
