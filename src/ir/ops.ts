/**
 * The pure operations of the IR (`op` nodes): operators and builtins on data. Shared by the
 * interpreter and generated code, so both compute the same values.
 */
import type { Data } from "./value.js";
import { builtins, renderValue, valuesEqual } from "./builtins.js";
import { FesteRuntimeError } from "./errors.js";

type Op = (...args: Data[]) => Data;

const num = (v: Data) => v as number;

function compare(a: Data, b: Data): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

const OPERATORS: Record<string, Op> = {
  add: (a, b) => num(a) + num(b),
  sub: (a, b) => num(a) - num(b),
  mul: (a, b) => num(a) * num(b),
  div: (a, b) => {
    if (num(b) === 0) throw new FesteRuntimeError("FE4002", "division by zero");
    return num(a) / num(b);
  },
  mod: (a, b) => {
    if (num(b) === 0) throw new FesteRuntimeError("FE4002", "remainder of a division by zero");
    return num(a) % num(b);
  },
  neg: (a) => -num(a),
  not: (a) => !a,
  eq: (a, b) => valuesEqual(a, b),
  ne: (a, b) => !valuesEqual(a, b),
  lt: (a, b) => compare(a, b) < 0,
  le: (a, b) => compare(a, b) <= 0,
  gt: (a, b) => compare(a, b) > 0,
  ge: (a, b) => compare(a, b) >= 0,
  concat: (...parts) => parts.map(renderValue).join(""),
  // `xs + ys` on lists: a new list, the left's elements then the right's.
  concat_lists: (a, b) => [...(a as Data[]), ...(b as Data[])],
  // `{ "k": v, ... }`: keys and values in turn. `fromEntries` makes own keys, `__proto__` too.
  map_of: (...kv) => Object.fromEntries(Array.from({ length: kv.length / 2 }, (_, i) => [kv[2 * i] as string, kv[2 * i + 1]])),
  // `m[k]`: the value, or null for a key the map does not have (never an inherited property).
  map_get: (m, k) => (Object.hasOwn(m as object, k as string) ? ((m as Record<string, Data>)[k as string] ?? null) : null),
  text: (a) => renderValue(a),
  is_null: (a) => a === null,
  // The elements of a list where a same-length list of bools holds (`for ... if` after fission).
  filter_mask: (xs, mask) => (xs as Data[]).filter((_, i) => (mask as boolean[])[i] === true),
};

/** Applies an operation by name to its arguments. */
export function applyOp(name: string, args: readonly Data[]): Data {
  const op = OPERATORS[name] ?? (builtins as unknown as Record<string, Op>)[name];
  if (!op) throw new Error(`unknown IR operation \`${name}\``);
  return op(...args);
}

/** Whether `name` is an operation this runtime knows. */
export function isOp(name: string): boolean {
  return name in OPERATORS || name in builtins;
}

/** The function behind an operation's name, for code that resolves it once; undefined when unknown. */
export function opFunction(name: string): Op | undefined {
  return OPERATORS[name] ?? (builtins as unknown as Record<string, Op>)[name];
}
