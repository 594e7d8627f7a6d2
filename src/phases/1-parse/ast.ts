/**
 * The Feste AST: a `kind`-tagged union with a 0-based, end-exclusive span on every node.
 * Kinds share their names with the grammar rules they come from and the IR nodes they lower
 * to. Later phases keep their facts in side tables; nothing here is mutated after parsing.
 */
import type { Span } from "../../diagnostics/index.js";

export interface Name {
  readonly text: string;
  readonly span: Span;
}

export interface Module {
  readonly kind: "module";
  readonly file: string;
  readonly declarations: readonly Declaration[];
  readonly span: Span;
}

export type Declaration =
  | LanguageDecl
  | UseDecl
  | ConstDecl
  | ClientDecl
  | EnumDecl
  | TypeDecl
  | PromptDecl
  | GraphDecl
  | ExternDecl
  | TestDecl;

interface DeclBase {
  readonly span: Span;
  /** The `///` comment lines just above the declaration, without the slashes. */
  readonly doc?: string;
}

export interface LanguageDecl extends DeclBase {
  readonly kind: "languageDecl";
  readonly code: Name;
}

export interface UseDecl extends DeclBase {
  readonly kind: "useDecl";
  readonly path: StringLit;
}

export interface ConstDecl extends DeclBase {
  readonly kind: "constDecl";
  readonly name: Name;
  readonly value: Expr;
}

export interface Setting {
  readonly key: Name;
  readonly value: Expr;
  readonly span: Span;
}

export interface ClientDecl extends DeclBase {
  readonly kind: "clientDecl";
  readonly name: Name;
  readonly source: EndpointSource | CombinatorSource;
}

export interface EndpointSource {
  readonly kind: "endpoint";
  readonly provider: Name;
  readonly endpoint: Name;
  readonly settings: readonly Setting[];
  readonly span: Span;
}

export interface CombinatorSource {
  readonly kind: "combinator";
  readonly combinator: Name;
  readonly members: readonly Name[];
  readonly span: Span;
}

export interface EnumMember {
  readonly name: Name;
  readonly doc?: string;
}

export interface EnumDecl extends DeclBase {
  readonly kind: "enumDecl";
  readonly name: Name;
  readonly members: readonly EnumMember[];
}

export interface Field {
  readonly name: Name;
  readonly type: TypeRef;
  readonly span: Span;
  readonly doc?: string;
}

export interface TypeDecl extends DeclBase {
  readonly kind: "typeDecl";
  readonly name: Name;
  readonly fields: readonly Field[];
}

/**
 * A written type: a name followed by `[]` and `?` suffixes, innermost first. A map type
 * `{string: T}` has `mapValue` (the `T`), and `name` is its key type as written.
 */
export interface TypeRef {
  readonly kind: "typeRef";
  readonly name: Name;
  readonly mapValue?: TypeRef;
  readonly suffixes: readonly ("list" | "optional")[];
  readonly span: Span;
}

export interface Param {
  readonly name: Name;
  readonly type: TypeRef;
  readonly default?: Expr;
  readonly span: Span;
}

export interface RoleSection {
  readonly kind: "roleSection";
  readonly role: Name;
  readonly template: Template;
  readonly span: Span;
}

/** `messages EXPR`: the turns of a `Message[]`, in order, between the other sections. */
export interface MessagesSection {
  readonly kind: "messagesSection";
  readonly messages: Expr;
  readonly span: Span;
}

export type PromptSection = RoleSection | MessagesSection;

export type PromptBody =
  | { readonly kind: "templateBody"; readonly template: Template }
  | { readonly kind: "roles"; readonly sections: readonly PromptSection[]; readonly span: Span }
  | { readonly kind: "fromFile"; readonly path: StringLit };

export interface PromptDecl extends DeclBase {
  readonly kind: "promptDecl";
  readonly name: Name;
  readonly params: readonly Param[];
  readonly output?: TypeRef;
  readonly lang?: Name;
  readonly body: PromptBody;
}

export interface GraphDecl extends DeclBase {
  readonly kind: "graphDecl";
  readonly name: Name;
  readonly params: readonly Param[];
  readonly output: TypeRef;
  readonly body: Block;
}

export interface ExternDecl extends DeclBase {
  readonly kind: "externDecl";
  readonly name: Name;
  readonly params: readonly Param[];
  readonly output: TypeRef;
  readonly path: StringLit;
  /** `extern io fn`: effectful, run on the main event loop, never merged or cached. */
  readonly io?: Name;
  /** The `{ timeout: ..., retries: ... }` block after the path of an `extern io fn`. */
  readonly settings?: readonly Setting[];
}

export interface TestDecl extends DeclBase {
  readonly kind: "testDecl";
  readonly name: Name;
  readonly body: Block;
}

export interface Block {
  readonly kind: "block";
  readonly statements: readonly Statement[];
  readonly span: Span;
}

export type Statement = LetStmt | AssertStmt | ExprStmt;

export interface LetStmt {
  readonly kind: "letStmt";
  readonly name: Name;
  readonly value: Expr;
  readonly span: Span;
}

export interface AssertStmt {
  readonly kind: "assertStmt";
  readonly condition: Expr;
  readonly span: Span;
}

export interface ExprStmt {
  readonly kind: "exprStmt";
  readonly expr: Expr;
  readonly span: Span;
}

export type Expr =
  | IntLit
  | FloatLit
  | StringLit
  | BoolLit
  | NullLit
  | Template
  | Ident
  | RecordLit
  | ListLit
  | MapLit
  | Binary
  | Unary
  | Call
  | FieldAccess
  | Index
  | IfExpr
  | ForExpr
  | FoldExpr
  | LoopExpr
  | Paren;

export interface IntLit {
  readonly kind: "int";
  readonly value: number;
  readonly span: Span;
}
export interface FloatLit {
  readonly kind: "float";
  readonly value: number;
  readonly span: Span;
}
export interface StringLit {
  readonly kind: "string";
  readonly value: string;
  readonly span: Span;
}
export interface BoolLit {
  readonly kind: "bool";
  readonly value: boolean;
  readonly span: Span;
}
export interface NullLit {
  readonly kind: "null";
  readonly span: Span;
}
export interface Ident {
  readonly kind: "ident";
  readonly name: string;
  readonly span: Span;
}
export interface FieldInit {
  readonly name: Name;
  readonly value: Expr;
  readonly span: Span;
}
export interface RecordLit {
  readonly kind: "record";
  readonly type: Name;
  readonly fields: readonly FieldInit[];
  readonly span: Span;
}
export interface ListLit {
  readonly kind: "list";
  readonly items: readonly Expr[];
  readonly span: Span;
}

/** A key of a map literal: a string literal, or a bare name (an error the checker reports). */
export interface MapEntry {
  readonly key: StringLit | Ident;
  readonly value: Expr;
  readonly span: Span;
}
/** `{ "billing": "refunds team", "bug": "eng" }`, in the order written; `{}` is empty. */
export interface MapLit {
  readonly kind: "map";
  readonly entries: readonly MapEntry[];
  readonly span: Span;
}

export type BinaryOp = "??" | "||" | "&&" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "+" | "-" | "*" | "/" | "%";

export interface Binary {
  readonly kind: "binary";
  readonly op: BinaryOp;
  readonly opSpan: Span;
  readonly left: Expr;
  readonly right: Expr;
  readonly span: Span;
}
export interface Unary {
  readonly kind: "unary";
  readonly op: "!" | "-";
  readonly operand: Expr;
  readonly span: Span;
}
export interface Arg {
  readonly name?: Name;
  readonly value: Expr;
  readonly span: Span;
}
export interface Call {
  readonly kind: "call";
  readonly callee: Expr;
  readonly args: readonly Arg[];
  readonly span: Span;
}
export interface FieldAccess {
  readonly kind: "field";
  readonly target: Expr;
  readonly name: Name;
  readonly span: Span;
}
export interface Index {
  readonly kind: "index";
  readonly target: Expr;
  readonly index: Expr;
  readonly span: Span;
}
export interface IfExpr {
  readonly kind: "if";
  readonly condition: Expr;
  readonly then: Block;
  readonly else?: Block | IfExpr;
  readonly span: Span;
}
export interface ForExpr {
  readonly kind: "for";
  readonly binding: Name;
  readonly iterable: Expr;
  readonly filter?: Expr;
  readonly body: Block;
  readonly span: Span;
}
/** `fold acc = INIT for x in xs { BODY }`: BODY's value is the next `acc`; the value is the last. */
export interface FoldExpr {
  readonly kind: "fold";
  readonly state: Name;
  readonly init: Expr;
  readonly binding: Name;
  readonly iterable: Expr;
  readonly body: Block;
  readonly span: Span;
}
/** `loop s = INIT until COND max N { BODY }`; `max` is a number or the name of a constant. */
export interface LoopExpr {
  readonly kind: "loop";
  readonly state: Name;
  readonly init: Expr;
  readonly condition: Expr;
  readonly max: IntLit | Ident;
  readonly body: Block;
  readonly span: Span;
}
/** Kept so the printer and spans see the parentheses the user wrote. */
export interface Paren {
  readonly kind: "paren";
  readonly expr: Expr;
  readonly span: Span;
}

/** A `"""` template: text already dedented and trimmed, and code parts. */
export interface Template {
  readonly kind: "template";
  readonly parts: readonly TemplatePart[];
  readonly span: Span;
}

export type TemplatePart = TemplateText | Interpolation | TemplateIf | TemplateFor;

export interface TemplateText {
  readonly kind: "text";
  readonly value: string;
  readonly span: Span;
}
export interface Filter {
  readonly name: Name;
  readonly args: readonly Arg[];
  readonly span: Span;
}
export interface Interpolation {
  readonly kind: "interpolation";
  readonly expr: Expr;
  readonly filters: readonly Filter[];
  readonly span: Span;
}
export interface TemplateBranch {
  readonly condition: Expr;
  readonly body: readonly TemplatePart[];
}
export interface TemplateIf {
  readonly kind: "templateIf";
  readonly branches: readonly TemplateBranch[];
  readonly else?: readonly TemplatePart[];
  readonly span: Span;
}
export interface TemplateFor {
  readonly kind: "templateFor";
  readonly binding: Name;
  readonly iterable: Expr;
  readonly filter?: Expr;
  readonly body: readonly TemplatePart[];
  readonly span: Span;
}
