/** Turns a written type (`Ticket[]?`) into a Type, reporting unknown names. */
import type * as A from "../1-parse/ast.js";
import { suggestName } from "../../diagnostics/index.js";
import type { CheckContext } from "./context.js";
import { BOOL, ERROR, FLOAT, INT, RANKED, STRING, list, map, optional, type Type } from "./types.js";

const PRIMITIVES: Record<string, Type> = { string: STRING, int: INT, float: FLOAT, bool: BOOL, Ranked: RANKED };

export function resolveType(ctx: CheckContext, file: string, ref: A.TypeRef): Type {
  if (ref.mapValue) return withSuffixes(mapType(ctx, file, ref, ref.mapValue), ref);
  let t: Type | undefined = Object.hasOwn(PRIMITIVES, ref.name.text) ? PRIMITIVES[ref.name.text] : undefined;
  if (!t) {
    const sym = ctx.scope(file).get(ref.name.text);
    if (sym?.kind === "type") t = { kind: "record", name: sym.decl.name.text, file: sym.file };
    else if (sym?.kind === "enum") t = { kind: "enum", name: sym.decl.name.text, file: sym.file };
    else {
      const typeNames = [...Object.keys(PRIMITIVES)];
      for (const [n, s] of ctx.scope(file)) if (s.kind === "type" || s.kind === "enum") typeNames.push(n);
      const near = suggestName(ref.name.text, typeNames, ref.name.span);
      ctx.report("FE2002", ref.name.span, [ref.name.text], {
        ...near,
        help: near.help ?? (sym ? `\`${ref.name.text}\` is ${sym.kind === "client" ? "a client" : `a ${sym.kind}`}, not a type` : undefined),
      });
      return ERROR;
    }
  }
  return withSuffixes(t, ref);
}

function withSuffixes(t: Type, ref: A.TypeRef): Type {
  if (t.kind === "error") return t;
  for (const s of ref.suffixes) t = s === "list" ? list(t) : optional(t);
  return t;
}

/** `{string: T}`: keys are text, so any other key type is reported (FE2105). */
function mapType(ctx: CheckContext, file: string, ref: A.TypeRef, value: A.TypeRef): Type {
  const v = resolveType(ctx, file, value);
  if (ref.name.text !== "string") {
    // Reported once; the map's value type still holds, so its uses are checked as usual.
    if (ref.name.text !== "") ctx.report("FE2105", ref.name.span, [ref.name.text], { help: "write the key type as `string`", suggestions: [{ span: ref.name.span, text: "string" }] });
  }
  return v.kind === "error" ? v : map(v);
}
