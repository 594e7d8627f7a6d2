/**
 * Phase 2: names and types. Builds the scopes of every module, checks declarations, then
 * the bodies of prompts, graphs and tests. Returns the facts lowering needs and the
 * diagnostics; never throws for a user's mistake.
 */
import type * as A from "../1-parse/ast.js";
import { suggestName, type Diagnostic } from "../../diagnostics/index.js";
import { isRelative, resolveRelative, type CompilerHost } from "../1-parse/host.js";
import type { LoadedModule, LoadedProgram } from "../1-parse/load-program.js";
import { BUILTIN_FILE, MESSAGE_LIST } from "./builtin-types.js";
import { clientInfo } from "./check-clients.js";
import { checkExternSettings, type IoSettings } from "./check-extern-io.js";
import { ExprChecker } from "./check-expr.js";
import { checkTemplateParts } from "./check-template.js";
import { collectScopes } from "./collect-declarations.js";
import { CheckContext } from "./context.js";
import { findGraphCycles } from "./graph-cycles.js";
import { ISO_639_1 } from "./languages.js";
import { LocalScope } from "./local-scope.js";
import { reportNestedAsserts } from "./nested-asserts.js";
import { reportUnusedClients } from "./unused-clients.js";
import { constType, promptInfo, recordFields, signature } from "./signatures.js";
import type { CheckedFacts, ClientInfo, FieldInfo, PromptInfo, Signature, Sym } from "./symbols.js";
import { assignable, showType, type Type } from "./types.js";

/** Everything the later phases read about a checked program. */
export interface CheckedProgram extends CheckedFacts {
  readonly program: LoadedProgram;
  /** Names visible in each module. */
  readonly scopes: ReadonlyMap<string, ReadonlyMap<string, Sym>>;
  readonly languages: ReadonlyMap<string, string>;
  readonly records: ReadonlyMap<A.TypeDecl, ReadonlyMap<string, FieldInfo>>;
  readonly prompts: ReadonlyMap<A.PromptDecl, PromptInfo>;
  readonly signatures: ReadonlyMap<A.GraphDecl | A.ExternDecl, Signature>;
  readonly clients: ReadonlyMap<A.ClientDecl, ClientInfo>;
  readonly consts: ReadonlyMap<A.ConstDecl, Type>;
  /** The settings of every `extern io fn` (an extern not in here is pure). */
  readonly externIo: ReadonlyMap<A.ExternDecl, IoSettings>;
  readonly diagnostics: readonly Diagnostic[];
}

export function check(program: LoadedProgram, host: CompilerHost): CheckedProgram {
  const ctx = new CheckContext(host, program.templates);
  const modules = [...program.modules.values()];
  for (const m of modules) ctx.languages.set(m.file, moduleLanguage(ctx, m));
  collectScopes(ctx, modules);
  // The builtin `Message` record's fields, for lowering and schemas, used or not.
  for (const sym of ctx.scope(BUILTIN_FILE).values()) if (sym.kind === "type") recordFields(ctx, sym);
  const graphEdges: { from: Extract<Sym, { kind: "graph" }>; calls: ExprChecker["graphCalls"] }[] = [];
  for (const m of modules) checkModule(ctx, m, graphEdges);
  findGraphCycles(ctx, graphEdges);
  reportUnusedClients(ctx, modules);
  return {
    program,
    types: ctx.types,
    refs: ctx.refs,
    calls: ctx.calls,
    enumValues: ctx.enumValues,
    bindings: ctx.bindings,
    scopes: ctx.scopes,
    languages: ctx.languages,
    records: ctx.records,
    prompts: ctx.prompts,
    signatures: ctx.signatures,
    clients: ctx.clients,
    consts: ctx.consts,
    externIo: ctx.externIo,
    diagnostics: ctx.diagnostics,
  };
}

/** FE2060: the module is there but does not export the function (read without running it). */
function checkExport(ctx: CheckContext, d: A.ExternDecl, target: string): void {
  const names = ctx.host.moduleExports?.(target);
  if (!names || names.has(d.name.text)) return;
  const near = suggestName(d.name.text, [...names].filter((n) => n !== "default"), d.name.span);
  ctx.report("FE2060", d.name.span, [d.name.text, d.path.value], {
    ...near,
    help: near.help ?? `export a function named \`${d.name.text}\` from ${d.path.value}`,
  });
}

function checkLanguage(ctx: CheckContext, code: A.Name): boolean {
  if (ISO_639_1.has(code.text)) return true;
  const near = suggestName(code.text.toLowerCase(), ISO_639_1, code.span);
  ctx.report("FE2026", code.span, [code.text], { ...near, help: near.help ?? "use a two-letter ISO 639-1 code such as `en`" });
  return false;
}

function moduleLanguage(ctx: CheckContext, m: LoadedModule): string {
  let lang = "en";
  let first: A.LanguageDecl | undefined;
  for (const d of m.module.declarations) {
    if (d.kind !== "languageDecl") continue;
    if (first) {
      ctx.report("FE2016", d.span, ["language"], { labels: [{ span: first.span, message: "first given here" }] });
      continue;
    }
    first = d;
    if (checkLanguage(ctx, d.code)) lang = d.code.text;
  }
  return lang;
}

function checkModule(ctx: CheckContext, m: LoadedModule, graphEdges: { from: Extract<Sym, { kind: "graph" }>; calls: ExprChecker["graphCalls"] }[]): void {
  const own = (d: A.Declaration) => {
    const s = "name" in d ? ctx.scope(m.file).get((d.name as A.Name).text) : undefined;
    return s && s.decl === d ? s : undefined;
  };
  for (const d of m.module.declarations) {
    const sym = own(d);
    switch (d.kind) {
      case "typeDecl":
        if (sym?.kind === "type") recordFields(ctx, sym);
        break;
      case "enumDecl": {
        const seen = new Map<string, A.Name>();
        for (const member of d.members) {
          const first = seen.get(member.name.text);
          if (first) ctx.report("FE2016", member.name.span, [member.name.text], { labels: [{ span: first.span, message: "first declared here" }] });
          seen.set(member.name.text, member.name);
        }
        if (d.members.length === 0) ctx.report("FE2052", d.name.span, [d.name.text]);
        break;
      }
      case "clientDecl":
        if (sym?.kind === "client") clientInfo(ctx, sym);
        break;
      case "constDecl":
        if (sym?.kind === "const") constType(ctx, sym);
        break;
      case "promptDecl":
        if (sym?.kind === "prompt") checkPrompt(ctx, sym);
        break;
      case "externDecl":
        if (sym?.kind === "extern") {
          signature(ctx, sym);
          checkExternSettings(ctx, sym);
          const spec = d.path.value;
          const target = resolveRelative(m.file, spec);
          if (!isRelative(spec) || !/\.(ts|mts|js|mjs)$/.test(spec) || !ctx.host.fileExists(target)) {
            ctx.report("FE2020", d.path.span, [spec], {
              help: !isRelative(spec) ? "start the path with `./` or `../`" : !/\.(ts|mts|js|mjs)$/.test(spec) ? "name a `.ts`, `.mts`, `.js` or `.mjs` file" : `no file at ${target}`,
            });
          } else checkExport(ctx, d, target);
        }
        break;
      case "graphDecl":
        if (sym?.kind === "graph") {
          const sig = signature(ctx, sym);
          const checker = new ExprChecker(ctx, m.file, "graph");
          const scope = paramScope(checker, d.params, sig);
          const t = checker.block(d.body, scope, { expected: sig.output });
          const last = d.body.statements[d.body.statements.length - 1];
          if (last?.kind === "exprStmt" && !assignable(t, sig.output)) {
            checker.mismatch(last.expr, t, sig.output, undefined, [{ span: d.output.span, message: "the graph's declared output" }]);
          }
          graphEdges.push({ from: sym, calls: checker.graphCalls });
        }
        break;
      case "testDecl": {
        const checker = new ExprChecker(ctx, m.file, "test");
        checker.block(d.body, new LocalScope(), { valueRequired: false });
        reportNestedAsserts(ctx, d.body);
        break;
      }
      case "languageDecl":
      case "useDecl":
        break;
    }
  }
}

function paramScope(checker: ExprChecker, params: readonly A.Param[], sig: Signature): LocalScope {
  const scope = new LocalScope();
  // A repeated parameter was reported by its signature; bind only the first of each name.
  params.forEach((p, i) => {
    if (params.findIndex((q) => q.name.text === p.name.text) === i) checker.bind(scope, p.name, sig.params[i]?.type ?? { kind: "error" }, "param");
  });
  return scope;
}

function checkPrompt(ctx: CheckContext, sym: Extract<Sym, { kind: "prompt" }>): void {
  const d = sym.decl;
  const info = promptInfo(ctx, sym);
  if (d.lang) checkLanguage(ctx, d.lang);
  const checker = new ExprChecker(ctx, sym.file, "template");
  const scope = paramScope(checker, d.params, info);
  switch (d.body.kind) {
    case "templateBody":
      checkTemplateParts(checker, d.body.template.parts, scope);
      break;
    case "roles":
      for (const s of d.body.sections) {
        if (s.kind === "messagesSection") {
          checker.expect(s.messages, MESSAGE_LIST, scope, "build the turns as `Message { role: Role.user, content: text }` records");
          continue;
        }
        if (!["system", "user", "assistant"].includes(s.role.text)) {
          const near = suggestName(s.role.text, ["system", "user", "assistant"], s.role.span);
          ctx.report("FE2032", s.role.span, [s.role.text], { ...near, help: near.help ?? "roles are `system`, `user` and `assistant`" });
        }
        checkTemplateParts(checker, s.template.parts, scope);
      }
      break;
    case "fromFile": {
      const parts = info.templateFile ? ctx.templates.get(info.templateFile) : undefined;
      if (parts) checkTemplateParts(checker, parts, scope);
      break;
    }
  }
}
