/**
 * Signatures of declarations, computed once each and cached in the context: record fields,
 * prompt, graph and extern parameters and outputs, constant types.
 */
import type * as A from "../1-parse/ast.js";
import { resolveRelative } from "../1-parse/host.js";
import type { CheckContext } from "./context.js";
import { ExprChecker } from "./check-expr.js";
import { literalValue, NOT_LITERAL } from "./literal-value.js";
import { LocalScope } from "./local-scope.js";
import { resolveType } from "./resolve-type.js";
import type { FieldInfo, ParamInfo, PromptInfo, Signature, Sym } from "./symbols.js";
import { ERROR, STRING, optional, type Type } from "./types.js";

/** A record type's fields by name, reporting repeated fields once. */
export function recordFields(ctx: CheckContext, sym: Extract<Sym, { kind: "type" }>): ReadonlyMap<string, FieldInfo> {
  const cached = ctx.records.get(sym.decl);
  if (cached) return cached;
  const fields = new Map<string, FieldInfo>();
  ctx.records.set(sym.decl, fields);
  for (const f of sym.decl.fields) {
    if (fields.has(f.name.text)) {
      const first = sym.decl.fields.find((g) => g.name.text === f.name.text)!;
      ctx.report("FE2016", f.name.span, [f.name.text], { labels: [{ span: first.name.span, message: "first declared here" }] });
      continue;
    }
    const t = resolveType(ctx, sym.file, f.type);
    const isOptional = t.kind === "optional";
    fields.set(f.name.text, { name: f.name.text, type: isOptional ? t.inner : t, optional: isOptional });
  }
  return fields;
}

/** Parameters with their types; defaults must be literals of the parameter's type. */
export function paramInfos(ctx: CheckContext, file: string, params: readonly A.Param[]): ParamInfo[] {
  const out: ParamInfo[] = [];
  const seen = new Map<string, A.Name>();
  let sawDefault = false;
  for (const p of params) {
    const type = resolveType(ctx, file, p.type);
    const first = seen.get(p.name.text);
    if (first) ctx.report("FE2016", p.name.span, [p.name.text], { labels: [{ span: first.span, message: "first declared here" }] });
    seen.set(p.name.text, p.name);
    if (p.default) {
      sawDefault = true;
      const checker = new ExprChecker(ctx, file, "default");
      if (literalValue(p.default) === NOT_LITERAL) ctx.report("FE2031", p.default.span, [`the default of \`${p.name.text}\``]);
      else checker.expect(p.default, type, new LocalScope());
    } else if (sawDefault) {
      ctx.report("FE2041", p.name.span, [p.name.text], { help: "move it before the parameters that have defaults" });
    }
    out.push(p.default ? { name: p.name.text, type, default: p.default } : { name: p.name.text, type });
  }
  return out;
}

/** A prompt's parameters, output type (`string` without `->`) and language. */
export function promptInfo(ctx: CheckContext, sym: Extract<Sym, { kind: "prompt" }>): PromptInfo {
  const cached = ctx.prompts.get(sym.decl);
  if (cached) return cached;
  const d = sym.decl;
  const output = d.output ? resolveType(ctx, sym.file, d.output) : STRING;
  const lang = d.lang?.text ?? ctx.languages.get(sym.file) ?? "en";
  const info: PromptInfo = {
    params: paramInfos(ctx, sym.file, d.params),
    output,
    lang,
    ...(d.body.kind === "fromFile" ? { templateFile: resolveRelative(sym.file, d.body.path.value) } : {}),
  };
  ctx.prompts.set(d, info);
  return info;
}

/** A graph's or extern function's parameters and output. */
export function signature(ctx: CheckContext, sym: Extract<Sym, { kind: "graph" | "extern" }>): Signature {
  const cached = ctx.signatures.get(sym.decl);
  if (cached) return cached;
  const sig = { params: paramInfos(ctx, sym.file, sym.decl.params), output: resolveType(ctx, sym.file, sym.decl.output) };
  ctx.signatures.set(sym.decl, sig);
  return sig;
}

/** A constant's type; its value must be a literal. */
export function constType(ctx: CheckContext, sym: Extract<Sym, { kind: "const" }>): Type {
  const cached = ctx.consts.get(sym.decl);
  if (cached) return cached;
  ctx.consts.set(sym.decl, ERROR);
  const value = sym.decl.value;
  let t: Type = ERROR;
  if (literalValue(value) === NOT_LITERAL) {
    ctx.report("FE2031", value.span, [`the constant \`${sym.decl.name.text}\``]);
  } else {
    t = new ExprChecker(ctx, sym.file, "const").check(value, new LocalScope());
    if (value.kind === "list" && value.items.length === 0) {
      ctx.report("FE2044", value.span, [], { help: "a constant's list needs at least one element" });
      t = ERROR;
    }
    if (value.kind === "map" && value.entries.length === 0) {
      ctx.report("FE2104", value.span, [], { help: "a constant's map needs at least one entry" });
      t = ERROR;
    }
    if (t.kind === "null") t = optional(STRING);
  }
  ctx.consts.set(sym.decl, t);
  return t;
}
