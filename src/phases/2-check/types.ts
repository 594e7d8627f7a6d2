/**
 * The relations between types the checker needs: sameness, assignability and joins. The
 * types themselves are shared with the runtime in `src/ir/types.ts`.
 */
import {
  BOOL, ERROR, FLOAT, INT, NULL, RANKED, STRING, UNKNOWN, list, map, optional, showType, type Type,
} from "../../ir/types.js";

export { BOOL, ERROR, FLOAT, INT, NULL, RANKED, STRING, UNKNOWN, list, map, optional, showType, type Type };

export function sameType(a: Type, b: Type): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case "list":
      return sameType(a.element, (b as typeof a).element);
    case "optional":
      return sameType(a.inner, (b as typeof a).inner);
    case "map":
      return sameType(a.value, (b as typeof a).value);
    case "record":
    case "enum":
      return a.name === (b as typeof a).name && a.file === (b as typeof a).file;
    case "prompt":
      return sameType(a.output, (b as typeof a).output);
    default:
      return true;
  }
}

/** Text-like values: they render in templates and fit where a string is expected. */
export function isStringish(t: Type): boolean {
  return t.kind === "string" || t.kind === "prompt" || t.kind === "enum" || t.kind === "error" || t.kind === "unknown";
}

/**
 * Values that are text already: strings and enum values. A prompt is not among them: it is
 * text only inside a template or through `str(p)` (a prompt is not an answer).
 */
export function isText(t: Type): boolean {
  return t.kind !== "prompt" && isStringish(t);
}

export function isNumeric(t: Type): boolean {
  return t.kind === "int" || t.kind === "float" || t.kind === "error" || t.kind === "unknown";
}

/** Whether a value of type `from` may be used where `to` is expected. */
export function assignable(from: Type, to: Type): boolean {
  if (from.kind === "error" || to.kind === "error" || from.kind === "unknown" || to.kind === "unknown") return true;
  if (sameType(from, to)) return true;
  switch (to.kind) {
    case "float":
      return from.kind === "int";
    case "string":
      return from.kind === "enum";
    case "optional":
      return from.kind === "null" || assignable(from.kind === "optional" ? from.inner : from, to.inner);
    case "list":
      return from.kind === "list" && assignable(from.element, to.element);
    case "map":
      return from.kind === "map" && assignable(from.value, to.value);
    case "prompt":
      return from.kind === "prompt" && assignable(from.output, to.output);
    default:
      return false;
  }
}

/** The least type both fit, for `if` branches and list elements; undefined if none. */
export function join(a: Type, b: Type): Type | undefined {
  if (a.kind === "error" || b.kind === "error") return a.kind === "error" ? a : b;
  if (a.kind === "unknown") return b;
  if (b.kind === "unknown") return a;
  if (a.kind === "null") return b.kind === "null" ? a : optional(b);
  if (b.kind === "null") return optional(a);
  if (a.kind === "list" && b.kind === "list") {
    const e = join(a.element, b.element);
    return e && list(e);
  }
  if (a.kind === "map" && b.kind === "map") {
    const v = join(a.value, b.value);
    return v && map(v);
  }
  if (a.kind === "optional" || b.kind === "optional") {
    const inner = join(a.kind === "optional" ? a.inner : a, b.kind === "optional" ? b.inner : b);
    return inner && optional(inner);
  }
  if (a.kind === "prompt" && b.kind === "prompt") return sameType(a.output, b.output) ? a : undefined;
  if (assignable(a, b)) return b;
  if (assignable(b, a)) return a;
  return undefined;
}

/** Strips `?`. */
export function nonOptional(t: Type): Type {
  return t.kind === "optional" ? t.inner : t;
}

/** How to make a list of what a `for` was given: a default for an optional, the keys of a map. */
export function iterHelp(iter: Type): string | undefined {
  if (iter.kind === "optional") return "give it a default first: `xs ?? []`";
  if (iter.kind === "map") return "go through its keys with `keys(m)` (or its values with `values(m)`)";
  return undefined;
}
