/**
 * What the checker knows about declarations and expressions. The AST is never annotated;
 * facts live here, in tables keyed by AST nodes, for the lowering phase to read.
 */
import type * as A from "../1-parse/ast.js";
import type { Builtin } from "./builtins.js";
import type { EndpointKind, EndpointSpec } from "./endpoints.js";
import type { Type } from "./types.js";

/** A top-level declaration visible by name, with the file that declares it. */
export type Sym =
  | { readonly kind: "client"; readonly file: string; readonly decl: A.ClientDecl }
  | { readonly kind: "type"; readonly file: string; readonly decl: A.TypeDecl }
  | { readonly kind: "enum"; readonly file: string; readonly decl: A.EnumDecl }
  | { readonly kind: "const"; readonly file: string; readonly decl: A.ConstDecl }
  | { readonly kind: "prompt"; readonly file: string; readonly decl: A.PromptDecl }
  | { readonly kind: "graph"; readonly file: string; readonly decl: A.GraphDecl }
  | { readonly kind: "extern"; readonly file: string; readonly decl: A.ExternDecl };

/** How declarations are named in messages ("`Ticket` is a type, not a value"). */
export const SYM_WHAT: Record<Sym["kind"], string> = {
  client: "a client",
  type: "a type",
  enum: "an enum",
  const: "a constant",
  prompt: "a prompt",
  graph: "a graph",
  extern: "an extern function",
};

export interface ParamInfo {
  readonly name: string;
  readonly type: Type;
  readonly default?: A.Expr;
}

export interface Signature {
  readonly params: readonly ParamInfo[];
  readonly output: Type;
}

export interface PromptInfo extends Signature {
  readonly lang: string;
  /** Resolved path of a `from "./file"` template. */
  readonly templateFile?: string;
}

export interface FieldInfo {
  readonly name: string;
  readonly type: Type;
  readonly optional: boolean;
}

/** A client setting's value, known at compile time. `env` is read when the program runs. */
export type SettingValue = string | number | boolean | readonly string[] | { readonly env: string };

export interface ClientInfo {
  readonly kind?: EndpointKind;
  readonly endpoint?: EndpointSpec;
  readonly settings: Readonly<Record<string, SettingValue>>;
  /** For `fallback(...)` and `round_robin(...)`: the combinator and its clients in order. */
  readonly combinator?: { readonly name: string; readonly members: readonly string[] };
}

/** What an identifier refers to. */
export type Ref =
  | { readonly kind: "local"; readonly binding: A.Name }
  | { readonly kind: "const"; readonly sym: Extract<Sym, { kind: "const" }> }
  | { readonly kind: "enumType"; readonly sym: Extract<Sym, { kind: "enum" }> };

/** What a call does, with its arguments placed in parameter order (undefined: default). */
export type CallTarget =
  | { readonly kind: "prompt" | "graph" | "extern"; readonly sym: Sym; readonly args: readonly (A.Expr | undefined)[] }
  | { readonly kind: "builtin"; readonly builtin: Builtin; readonly args: readonly (A.Expr | undefined)[] }
  | {
      readonly kind: "model";
      readonly client: Extract<Sym, { kind: "client" }>;
      readonly args: readonly A.Expr[];
      /** Per-call settings given as named arguments. */
      readonly settings: Readonly<Record<string, SettingValue>>;
      /** `tools: [...]` and `max_steps: N`, when the call may call tools. */
      readonly tools?: { readonly externs: readonly Extract<Sym, { kind: "extern" }>[]; readonly maxSteps: number };
    };

/** The checker's result for a whole program. */
export interface CheckedFacts {
  readonly types: ReadonlyMap<A.Expr, Type>;
  readonly refs: ReadonlyMap<A.Ident, Ref>;
  readonly calls: ReadonlyMap<A.Call, CallTarget>;
  /** Expressions that denote an enum member: `Category.bug`, or `"bug"` where `Category` is expected. */
  readonly enumValues: ReadonlyMap<A.Expr, { readonly enumName: string; readonly member: string }>;
  /** The type of each local a parameter, `let` or loop binds, by the name that binds it (for editors). */
  readonly bindings: ReadonlyMap<A.Name, Type>;
}
