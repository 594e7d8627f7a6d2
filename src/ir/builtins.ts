/**
 * The builtin functions at run time. The interpreter and generated modules both call these,
 * so a program means the same in every mode. Text is measured and sliced in code points, and
 * `str(x)` renders exactly as `{{ x }}` does in a template.
 */
import type { Data as Value } from "./value.js";
import { FesteRuntimeError } from "./errors.js";

export type { Value };

const fail = (name: string, detail: string): never => {
  throw new FesteRuntimeError("FE4001", `\`${name}\` failed: ${detail}`);
};

const chars = (s: string) => [...s];

/** JSON with record keys sorted: equal values, equal keys, whatever order fields came in. */
function stableKey(v: Value): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(stableKey).join(",")}]`;
  const o = v as Record<string, Value>;
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${stableKey(o[k])}`).join(",")}}`;
}

/** Deep equality on values, used by `contains`, `unique` and `==`. */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bl = b as readonly Value[];
    return a.length === bl.length && a.every((x, i) => valuesEqual(x, bl[i]));
  }
  const ao = a as Record<string, Value>;
  const bo = b as Record<string, Value>;
  const keys = Object.keys(ao);
  return keys.length === Object.keys(bo).length && keys.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && valuesEqual(ao[k], bo[k]));
}

/** How a value renders in a template and in `str`: null as nothing, lists and records as JSON. */
export function renderValue(v: Value): string {
  if (v === null) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

function numbers(name: string, xs: readonly Value[]): number[] {
  return xs.map((x) => (typeof x === "number" ? x : fail(name, "the list holds a value that is not a number")));
}

export const builtins = {
  len: (x: string | readonly Value[]): number => (typeof x === "string" ? chars(x).length : x.length),
  join: (items: readonly string[], separator = ""): string => items.join(separator),
  split: (text: string, separator: string): string[] => (separator === "" ? chars(text) : text.split(separator)),
  lines: (text: string): string[] => (text === "" ? [] : text.split(/\r?\n/)),
  trim: (text: string): string => text.trim(),
  upper: (text: string): string => text.toUpperCase(),
  lower: (text: string): string => text.toLowerCase(),
  replace: (text: string, old: string, replacement: string): string => (old === "" ? text : text.split(old).join(replacement)),
  starts_with: (text: string, prefix: string): boolean => text.startsWith(prefix),
  ends_with: (text: string, suffix: string): boolean => text.endsWith(suffix),
  contains: (container: string | readonly Value[], item: Value): boolean =>
    typeof container === "string" ? container.includes(item as string) : container.some((x) => valuesEqual(x, item)),
  // Maps are objects with own string keys; their order is the order written or inserted.
  keys: (map: { readonly [key: string]: Value }): string[] => Object.keys(map),
  values: (map: { readonly [key: string]: Value }): Value[] => Object.values(map),
  has: (map: { readonly [key: string]: Value }, key: string): boolean => Object.hasOwn(map, key),
  str: (value: Value): string => renderValue(value),
  json: (value: Value): string => JSON.stringify(value),
  range: (startOrCount: number, end?: number): number[] => {
    const [from, to] = end === undefined ? [0, startOrCount] : [startOrCount, end];
    if (to - from > 10_000_000) fail("range", `${to - from} elements is more than the limit of 10,000,000`);
    const out: number[] = [];
    for (let i = from; i < to; i++) out.push(i);
    return out;
  },
  zip: (left: readonly Value[], right: readonly Value[]): Value[][] =>
    left.slice(0, Math.min(left.length, right.length)).map((x, i) => [x, right[i]]),
  flatten: (lists: readonly (readonly Value[])[]): Value[] => lists.flat() as Value[],
  unique: (items: readonly Value[]): Value[] => {
    const out: Value[] = [];
    const seen = new Set<string>();
    for (const x of items) {
      const k = stableKey(x);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(x);
      }
    }
    return out;
  },
  sort: <T extends string | number>(items: readonly T[]): T[] =>
    [...items].sort((a, b) => (typeof a === "number" && typeof b === "number" ? a - b : a < b ? -1 : a > b ? 1 : 0)),
  reverse: <T>(items: readonly T[]): T[] => [...items].reverse(),
  slice: (items: string | readonly Value[], start: number, end?: number): string | Value[] =>
    typeof items === "string" ? chars(items).slice(start, end).join("") : items.slice(start, end),
  chunk: (items: readonly Value[], size: number): Value[][] => {
    if (!Number.isInteger(size) || size < 1) fail("chunk", `the size must be at least 1, not ${size}`);
    const out: Value[][] = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    return out;
  },
  sum: (values: readonly number[]): number => numbers("sum", values).reduce((a, b) => a + b, 0),
  // Loops, not `Math.min(...xs)`: spreading a long list would overflow the stack.
  min: (values: readonly number[]): number => (values.length === 0 ? fail("min", "the list is empty") : numbers("min", values).reduce((a, b) => (b < a ? b : a))),
  max: (values: readonly number[]): number => (values.length === 0 ? fail("max", "the list is empty") : numbers("max", values).reduce((a, b) => (b > a ? b : a))),
  mean: (values: readonly number[]): number =>
    values.length === 0 ? fail("mean", "the list is empty") : numbers("mean", values).reduce((a, b) => a + b, 0) / values.length,
  cosine: (a: readonly number[], b: readonly number[]): number => {
    if (a.length !== b.length) fail("cosine", `the vectors have different lengths (${a.length} and ${b.length})`);
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
  },
  top_k: (scores: readonly number[], k: number): number[] =>
    scores
      .map((s, i) => ({ s, i }))
      .sort((x, y) => y.s - x.s || x.i - y.i)
      .slice(0, Math.max(0, k))
      .map((x) => x.i),
};

export type BuiltinName = keyof typeof builtins;
