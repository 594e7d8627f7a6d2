/**
 * The program tables that graphs refer to by key: clients (settings resolved, never a key's
 * value), record and enum definitions, and prompts (each role section lowered to a subgraph
 * over the parameters). Filled on first use, so the IR holds what its graphs need.
 */
import type * as A from "../1-parse/ast.js";
import type { Sym } from "../2-check/index.js";
import { ScopeBuilder } from "../../ir/builder.js";
import type { IrTypeDef } from "../../ir/nodes.js";
import { STRING, type Type } from "../../ir/types.js";
import type { LowerContext } from "./context.js";
import { ExprLowerer } from "./lower-expr.js";
import { lowerTemplateParts } from "./lower-template.js";
import { Frame, evaluatePure } from "../../ir/evaluate-pure.js";
import { asData, type Data } from "../../ir/value.js";

export function ensureClient(cx: LowerContext, sym: Extract<Sym, { kind: "client" }>): string {
  const key = cx.key(sym);
  if (cx.clients[key]) return key;
  const info = cx.checked.clients.get(sym.decl)!;
  const members = info.combinator?.members.map((m) => {
    const member = cx.checked.scopes.get(sym.file)!.get(m) as Extract<Sym, { kind: "client" }>;
    return ensureClient(cx, member);
  });
  cx.clients[key] = {
    name: key,
    settings: info.settings,
    ...(info.endpoint ? { provider: info.endpoint.provider, endpoint: info.endpoint.name } : {}),
    ...(info.kind ? { kind: info.kind } : {}),
    ...(info.combinator ? { combinator: { name: info.combinator.name as "fallback" | "round_robin", members: members! } } : {}),
  };
  return key;
}

/** Adds the definition of a record or enum type (and of the types its fields use). */
export function ensureType(cx: LowerContext, t: Type): IrTypeDef {
  if (t.kind !== "record" && t.kind !== "enum") throw new Error("ensureType: not a named type");
  const key = cx.typeKey(t.name, t.file);
  const known = cx.types[key];
  if (known) return known;
  if (t.file === "<builtin>" && t.name === "Ranked") {
    return (cx.types[key] = {
      kind: "record",
      name: "Ranked",
      fields: [
        { name: "index", type: { kind: "int" }, optional: false },
        { name: "score", type: { kind: "float" }, optional: false },
        { name: "document", type: STRING, optional: false },
      ],
    });
  }
  const sym = [...cx.checked.scopes.get(t.file)!.values()].find((s) => (s.kind === "type" || s.kind === "enum") && s.decl.name.text === t.name && s.file === t.file)!;
  if (sym.kind === "enum") {
    const docs = sym.decl.members.filter((m) => m.doc !== undefined).map((m) => [m.name.text, m.doc!.trim()] as const);
    return (cx.types[key] = { kind: "enum", name: t.name, members: sym.decl.members.map((m) => m.name.text), ...(docs.length > 0 ? { descriptions: Object.fromEntries(docs) } : {}) });
  }
  const fields = [...cx.checked.records.get(sym.decl as A.TypeDecl)!.values()];
  const docOf = (name: string) => (sym.decl as A.TypeDecl).fields.find((f) => f.name.text === name)?.doc?.trim();
  const def: IrTypeDef = {
    kind: "record",
    name: t.name,
    fields: fields.map((f) => {
      const description = docOf(f.name);
      return { name: f.name, type: f.type, optional: f.optional, ...(description ? { description } : {}) };
    }),
  };
  cx.types[key] = def;
  for (const f of fields) for (const inner of namedTypesIn(f.type)) ensureType(cx, inner);
  return def;
}

/** The record and enum types a type mentions. */
export function namedTypesIn(t: Type): Type[] {
  switch (t.kind) {
    case "record":
    case "enum":
      return [t];
    case "list":
      return namedTypesIn(t.element);
    case "optional":
      return namedTypesIn(t.inner);
    case "prompt":
      return namedTypesIn(t.output);
    default:
      return [];
  }
}

export function ensurePrompt(cx: LowerContext, sym: Extract<Sym, { kind: "prompt" }>): string {
  const key = cx.key(sym);
  if (cx.prompts[key]) return key;
  const info = cx.checked.prompts.get(sym.decl)!;
  const d = sym.decl;
  const lowererWithParams = () => {
    const lowerer = new ExprLowerer(cx, new ScopeBuilder(cx.ids));
    const env = new Map(d.params.map((p, i) => [p.name.text, lowerer.add({ kind: "input", type: info.params[i].type, name: p.name.text }, p.name.span)]));
    return { lowerer, env };
  };
  const section = (parts: readonly A.TemplatePart[]) => {
    const { lowerer, env } = lowererWithParams();
    return lowerer.scope.finish(lowerTemplateParts(lowerer, parts, env, d.span));
  };
  // A `messages` section is a subgraph giving the `Message[]` whose turns it inserts.
  const messages = (e: A.Expr) => {
    const { lowerer, env } = lowererWithParams();
    return lowerer.scope.finish(lowerer.expr(e, env));
  };
  const sections =
    d.body.kind === "roles"
      ? d.body.sections.map((s) =>
          s.kind === "messagesSection"
            ? { role: "messages" as const, text: messages(s.messages) }
            : { role: s.role.text as "system" | "user" | "assistant", text: section(s.template.parts) },
        )
      : [{ role: "user" as const, text: section(d.body.kind === "templateBody" ? d.body.template.parts : (cx.checked.program.templates.get(info.templateFile!) ?? [])) }];
  const params = info.params.map((p, i) => {
    const given = d.params[i]?.default;
    const value = given === undefined ? undefined : defaultValue(cx, given);
    return { name: p.name, type: p.type, ...(value !== undefined ? { default: value } : {}) };
  });
  cx.prompts[key] = { name: key, params, output: info.output, lang: info.lang, sections, span: d.name.span };
  for (const t of [info.output, ...info.params.map((p) => p.type)]) for (const inner of namedTypesIn(t)) ensureType(cx, inner);
  return key;
}

/**
 * A parameter's default as a value, so generated renderers can keep it in their signature.
 * The checker allows only pure expressions there; anything that still does not evaluate
 * (an error such as a division by zero) is left for the call site, which lowers it anyway.
 */
function defaultValue(cx: LowerContext, e: A.Expr): Data | undefined {
  const lx = new ExprLowerer(cx, new ScopeBuilder(cx.ids));
  const g = lx.scope.finish(lx.expr(e, new Map()));
  try {
    return asData(evaluatePure({ graphs: {}, prompts: cx.prompts, clients: cx.clients, types: cx.types }, g, new Frame(new Map())));
  } catch {
    return undefined;
  }
}
