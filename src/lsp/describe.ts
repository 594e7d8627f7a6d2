/**
 * Markdown for what a target is: a declaration's signature, a prompt's template, a client's
 * endpoint and settings, a field's type, a builtin's signature, with `///` docs. Hover shows
 * it; completion shows the first line as the item's detail.
 */
import type * as A from "../phases/1-parse/ast.js";
import { showType, type Builtin, type CheckedProgram, type Sym } from "../phases/2-check/index.js";
import type { SettingSpec } from "../phases/2-check/endpoints.js";
import type { Target } from "./targets.js";

/** The setting whose value is never shown: it may be a key written in the file. */
const SECRET_TYPE = "secret";

export interface Description {
  /** One line of Feste, e.g. `prompt classify(ticket: string) -> Ticket`. */
  readonly signature: string;
  /** Further markdown: the template, the settings, the doc comment. */
  readonly body: string[];
}

export function describeTarget(t: Target, checked: CheckedProgram): Description {
  switch (t.kind) {
    case "decl":
      return describeSym(t.sym, checked);
    case "local": {
      const type = checked.bindings.get(t.binding);
      return { signature: `${t.binding.text}: ${type ? showType(type) : "?"}`, body: [] };
    }
    case "field": {
      const info = checked.records.get(t.type.decl)?.get(t.field.name.text);
      const type = info ? showType(info.type) + (info.optional ? "?" : "") : "?";
      return { signature: `${t.type.decl.name.text}.${t.field.name.text}: ${type}`, body: doc(t.field.doc) };
    }
    case "member":
      return { signature: `${t.enum.decl.name.text}.${t.member.name.text}`, body: doc(t.member.doc) };
    case "builtin":
      return { signature: builtinSignature(t.builtin), body: [t.builtin.summary] };
    case "setting":
      return { signature: `${t.key}: ${settingType(t.endpoint.settings[t.key])}`, body: [`a setting of \`${t.endpoint.name}\` clients`] };
  }
}

export function builtinSignature(b: Builtin): string {
  return `${b.name}(${b.params.map((p) => (p.optional ? `${p.name}?` : p.name)).join(", ")})`;
}

/** A setting's type as written in completions and hovers, with its range or choices. */
export function settingType(spec: SettingSpec | undefined): string {
  if (!spec) return "?";
  const base = spec.type === SECRET_TYPE ? "string (secret)" : spec.type;
  if (spec.oneOf) return `${base}: ${spec.oneOf.map((o) => JSON.stringify(o)).join(" | ")}`;
  if (spec.min !== undefined && spec.max !== undefined) return `${base} (${spec.min} to ${spec.max})`;
  if (spec.min !== undefined) return `${base} (≥ ${spec.min})`;
  return base;
}

function doc(text: string | undefined): string[] {
  return text ? [text] : [];
}

function params(ps: readonly { name: string; type: Parameters<typeof showType>[0]; default?: A.Expr }[], source: string | undefined): string {
  return ps.map((p) => `${p.name}: ${showType(p.type)}${p.default && source ? ` = ${source.slice(p.default.span.start, p.default.span.end)}` : ""}`).join(", ");
}

function describeSym(s: Sym, checked: CheckedProgram): Description {
  const source = checked.program.sources.get(s.file);
  const slice = (span: A.Name["span"]) => (source ?? "").slice(span.start, span.end);
  const docs = doc(s.decl.doc);
  switch (s.kind) {
    case "prompt": {
      const info = checked.prompts.get(s.decl);
      const out = info && info.output.kind !== "string" ? ` -> ${showType(info.output)}` : "";
      const signature = `prompt ${s.decl.name.text}(${info ? params(info.params, source) : ""})${out} lang ${info?.lang ?? "en"}`;
      const body = s.decl.body;
      const template =
        body.kind === "fromFile"
          ? (info?.templateFile ? checked.program.sources.get(info.templateFile) : undefined) ?? ""
          : body.kind === "templateBody"
            ? slice(body.template.span)
            : slice(body.span);
      return { signature, body: [...docs, "```feste\n" + template + "\n```"] };
    }
    case "graph":
    case "extern": {
      const sig = checked.signatures.get(s.decl);
      const head = s.kind === "graph" ? "graph" : s.decl.io ? "extern io fn" : "extern fn";
      const from = s.kind === "extern" ? ` from ${JSON.stringify(s.decl.path.value)}` : "";
      return { signature: `${head} ${s.decl.name.text}(${sig ? params(sig.params, source) : ""}) -> ${sig ? showType(sig.output) : "?"}${from}`, body: docs };
    }
    case "client": {
      const info = checked.clients.get(s.decl);
      if (info?.combinator) return { signature: `client ${s.decl.name.text}: ${info.combinator.name}(${info.combinator.members.join(", ")})`, body: docs };
      const settings = Object.entries(info?.settings ?? {})
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => `- \`${k}\`: ${info?.endpoint?.settings[k]?.type === SECRET_TYPE ? "(hidden)" : typeof v === "object" && v !== null && "env" in v ? `env(${JSON.stringify(v.env)})` : JSON.stringify(v)}`);
      const endpoint = info?.endpoint?.name ?? (s.decl.source.kind === "endpoint" ? `${s.decl.source.provider.text}.${s.decl.source.endpoint.text}` : "?");
      return { signature: `client ${s.decl.name.text}: ${endpoint}`, body: [...docs, ...(settings.length > 0 ? [settings.join("\n")] : [])] };
    }
    case "type": {
      const fields = checked.records.get(s.decl);
      const lines = [...(fields?.values() ?? [])].map((f) => `  ${f.name}: ${showType(f.type)}${f.optional ? "?" : ""}`);
      return { signature: `type ${s.decl.name.text}`, body: ["```feste\ntype " + s.decl.name.text + " {\n" + lines.join("\n") + "\n}\n```", ...docs] };
    }
    case "enum":
      return { signature: `enum ${s.decl.name.text} { ${s.decl.members.map((m) => m.name.text).join(", ")} }`, body: docs };
    case "const": {
      const type = checked.consts.get(s.decl);
      return { signature: `const ${s.decl.name.text}: ${type ? showType(type) : "?"} = ${slice(s.decl.value.span)}`, body: docs };
    }
  }
}

/** The description as hover markdown. */
export function describeMarkdown(d: Description): string {
  return ["```feste\n" + d.signature + "\n```", ...d.body].join("\n\n");
}
