/**
 * Checks that data has a type: graph inputs, extern results and (later) model answers.
 * Returns where and how it differs, as text, or undefined when it fits.
 */
import type { IrTypeDef } from "./nodes.js";
import { showType, type Type } from "./types.js";
import type { Data } from "./value.js";

function describe(v: Data): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  if (typeof v === "number") return Number.isInteger(v) ? "an int" : "a float";
  return `a ${typeof v}`;
}

export function validate(v: Data | undefined, t: Type, types: Readonly<Record<string, IrTypeDef>>, path = "value"): string | undefined {
  const wrong = () => `${path} should be ${showType(t)}, found ${v === undefined ? "nothing" : describe(v)}`;
  if (v === undefined) return t.kind === "optional" ? undefined : wrong();
  switch (t.kind) {
    case "string":
    case "prompt":
      return typeof v === "string" ? undefined : wrong();
    case "int":
      return Number.isSafeInteger(v) ? undefined : wrong();
    case "float":
      return typeof v === "number" && Number.isFinite(v) ? undefined : wrong();
    case "bool":
      return typeof v === "boolean" ? undefined : wrong();
    case "null":
      return v === null ? undefined : wrong();
    case "optional":
      return v === null ? undefined : validate(v, t.inner, types, path);
    case "list": {
      if (!Array.isArray(v)) return wrong();
      for (let i = 0; i < v.length; i++) {
        const e = validate(v[i], t.element, types, `${path}[${i}]`);
        if (e) return e;
      }
      return undefined;
    }
    case "map": {
      if (typeof v !== "object" || v === null || Array.isArray(v)) return wrong();
      for (const [k, x] of Object.entries(v)) {
        const e = validate(x, t.value, types, `${path}[${JSON.stringify(k)}]`);
        if (e) return e;
      }
      return undefined;
    }
    case "enum":
    case "record": {
      const def = Object.values(types).find((d) => d.kind === t.kind && d.name === t.name);
      if (!def) return undefined;
      if (def.kind === "enum") return typeof v === "string" && def.members.includes(v) ? undefined : `${path} should be one of ${def.members.map((m) => `"${m}"`).join(", ")}, found ${typeof v === "string" ? JSON.stringify(v) : describe(v)}`;
      if (typeof v !== "object" || v === null || Array.isArray(v)) return wrong();
      const rec = v as Record<string, Data>;
      for (const f of def.fields) {
        const e = f.optional && (rec[f.name] === undefined || rec[f.name] === null) ? undefined : validate(rec[f.name], f.type, types, `${path}.${f.name}`);
        if (e) return e;
      }
      const extra = Object.keys(rec).find((k) => !def.fields.some((f) => f.name === k));
      return extra ? `${path} has no field \`${extra}\` in ${t.name}` : undefined;
    }
    default:
      return undefined;
  }
}
