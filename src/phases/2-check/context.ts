/**
 * The state one check run shares across files: the diagnostics sink, the fact tables, the
 * module scopes and the per-declaration caches (signatures, record fields, client info).
 */
import { makeDiagnostic, type Code, type Diagnostic, type Extras, type MessageArgs, type Span } from "../../diagnostics/index.js";
import type * as A from "../1-parse/ast.js";
import type { CompilerHost } from "../1-parse/host.js";
import type { CallTarget, ClientInfo, FieldInfo, PromptInfo, Ref, Signature, Sym } from "./symbols.js";
import type { IoSettings } from "./check-extern-io.js";
import type { Type } from "./types.js";

export class CheckContext {
  readonly diagnostics: Diagnostic[] = [];
  readonly types = new Map<A.Expr, Type>();
  readonly refs = new Map<A.Ident, Ref>();
  readonly calls = new Map<A.Call, CallTarget>();
  readonly enumValues = new Map<A.Expr, { enumName: string; member: string }>();
  readonly bindings = new Map<A.Name, Type>();

  /** Names visible in each module: its own declarations and those of the modules it uses. */
  readonly scopes = new Map<string, Map<string, Sym>>();
  /** Each module's default prompt language. */
  readonly languages = new Map<string, string>();

  readonly records = new Map<A.TypeDecl, ReadonlyMap<string, FieldInfo>>();
  readonly prompts = new Map<A.PromptDecl, PromptInfo>();
  readonly signatures = new Map<A.GraphDecl | A.ExternDecl, Signature>();
  readonly clients = new Map<A.ClientDecl, ClientInfo>();
  readonly consts = new Map<A.ConstDecl, Type>();
  /** The settings of every `extern io fn`. */
  readonly externIo = new Map<A.ExternDecl, IoSettings>();

  constructor(
    readonly host: CompilerHost,
    readonly templates: ReadonlyMap<string, readonly A.TemplatePart[]>,
  ) {}

  report<C extends Code>(code: C, span: Span, args: MessageArgs<C>, extras?: Extras): void {
    this.diagnostics.push(makeDiagnostic(code, span, args, extras));
  }

  scope(file: string): Map<string, Sym> {
    return this.scopes.get(file) ?? new Map();
  }
}
