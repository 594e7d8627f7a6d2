/**
 * What a name in a program stands for. Checks of different root files parse a module
 * separately, so a target is identified by a key made of files and offsets, the same in
 * every check of the same text.
 */
import type * as A from "../phases/1-parse/ast.js";
import type { Builtin, EndpointSpec, Sym } from "../phases/2-check/index.js";
import type { Span } from "../diagnostics/index.js";

export type Target =
  | { readonly kind: "decl"; readonly sym: Sym }
  | { readonly kind: "local"; readonly file: string; readonly binding: A.Name }
  | { readonly kind: "field"; readonly type: Extract<Sym, { kind: "type" }>; readonly field: A.Field }
  | { readonly kind: "member"; readonly enum: Extract<Sym, { kind: "enum" }>; readonly member: A.EnumMember }
  | { readonly kind: "builtin"; readonly builtin: Builtin }
  | { readonly kind: "setting"; readonly key: string; readonly endpoint: EndpointSpec };

/** One place a target is named: its declaration or a use. */
export interface Occurrence {
  readonly span: Span;
  readonly target: Target;
  readonly declaration: boolean;
  /** A string literal naming an enum member: only the text inside the quotes is the name. */
  readonly quoted?: boolean;
}

/** The identity of a target across checks. */
export function targetKey(t: Target): string {
  switch (t.kind) {
    case "decl":
      return `decl:${t.sym.file}:${t.sym.decl.name.span.start}`;
    case "local":
      return `local:${t.file}:${t.binding.span.start}`;
    case "field":
      return `field:${t.type.file}:${t.type.decl.name.span.start}:${t.field.name.text}`;
    case "member":
      return `member:${t.enum.file}:${t.enum.decl.name.span.start}:${t.member.name.text}`;
    case "builtin":
      return `builtin:${t.builtin.name}`;
    case "setting":
      return `setting:${t.endpoint.name}:${t.key}`;
  }
}

/** The target's name at its declaration, or undefined for builtins and settings. */
function declaredName(t: Target): { readonly text: string; readonly span: Span } | undefined {
  switch (t.kind) {
    case "decl":
      return t.sym.decl.name;
    case "local":
      return t.binding;
    case "field":
      return t.field.name;
    case "member":
      return t.member.name;
    default:
      return undefined;
  }
}

/** Where the target is declared (its name), or undefined for builtins and settings. */
export function declarationSpan(t: Target): Span | undefined {
  return declaredName(t)?.span;
}

/** The name as written at the declaration. */
export function targetName(t: Target): string {
  if (t.kind === "builtin") return t.builtin.name;
  if (t.kind === "setting") return t.key;
  return declaredName(t)!.text;
}
