/**
 * Feste's types, shared by the compiler and the runtime. Records and enums are nominal (named
 * by their module file and name). `error` follows a reported mistake and fits everything, so
 * one mistake is reported once; `unknown` is the element type of an empty list.
 */
export type Type =
  | { readonly kind: "string" }
  | { readonly kind: "int" }
  | { readonly kind: "float" }
  | { readonly kind: "bool" }
  | { readonly kind: "null" }
  | { readonly kind: "list"; readonly element: Type }
  | { readonly kind: "optional"; readonly inner: Type }
  /** `{string: T}`: string keys in the order written or inserted, values of one type. */
  | { readonly kind: "map"; readonly value: Type }
  | { readonly kind: "record"; readonly name: string; readonly file: string }
  | { readonly kind: "enum"; readonly name: string; readonly file: string }
  | { readonly kind: "prompt"; readonly output: Type; readonly lang: string }
  | { readonly kind: "unknown" }
  | { readonly kind: "error" };

export const STRING: Type = { kind: "string" };
export const INT: Type = { kind: "int" };
export const FLOAT: Type = { kind: "float" };
export const BOOL: Type = { kind: "bool" };
export const NULL: Type = { kind: "null" };
export const UNKNOWN: Type = { kind: "unknown" };
export const ERROR: Type = { kind: "error" };
/** The builtin record returned by rerank clients. */
export const RANKED: Type = { kind: "record", name: "Ranked", file: "<builtin>" };

export const list = (element: Type): Type => ({ kind: "list", element });
export const map = (value: Type): Type => ({ kind: "map", value });
export const optional = (inner: Type): Type => (inner.kind === "optional" || inner.kind === "null" ? inner : { kind: "optional", inner });

/** How a type is written in messages: `string[]`, `Ticket?`, `Prompt<Ticket>`. */
export function showType(t: Type): string {
  switch (t.kind) {
    case "list":
      return `${showType(t.element)}[]`;
    case "optional":
      return `${showType(t.inner)}?`;
    case "map":
      return `{string: ${showType(t.value)}}`;
    case "record":
    case "enum":
      return t.name;
    case "prompt":
      return `Prompt<${showType(t.output)}>`;
    case "unknown":
      return "unknown";
    case "error":
      return "<error>";
    default:
      return t.kind;
  }
}

