/**
 * The builtin functions' signatures. Each is pure and typed; `check` receives the argument
 * types in parameter order and returns the result type, or which argument is wrong and what
 * it should have been. The runtime implements the same names (one meaning in every mode).
 */
import { BOOL, FLOAT, INT, STRING, assignable, isNumeric, isText, join, list, type Type } from "./types.js";

export type BuiltinResult = Type | { readonly arg: number; readonly expected: string };

export interface Builtin {
  readonly name: string;
  readonly params: readonly { readonly name: string; readonly optional?: boolean }[];
  readonly summary: string;
  readonly check: (args: readonly (Type | undefined)[]) => BuiltinResult;
}

const p = (name: string, optional = false) => ({ name, optional });
const elementOf = (t: Type | undefined): Type | undefined =>
  t?.kind === "list" ? t.element : t?.kind === "error" || t?.kind === "unknown" ? t : undefined;
const isList = (t: Type | undefined) => elementOf(t) !== undefined;
const want = (arg: number, expected: string) => ({ arg, expected });

function text(name: string, summary: string, extra: string[] = []): Builtin {
  return {
    name,
    params: [p("text"), ...extra.map((e) => p(e))],
    summary,
    check: (a) => {
      for (let i = 0; i < a.length; i++) if (!isText(a[i]!)) return want(i, "a string");
      return name === "starts_with" || name === "ends_with" ? BOOL : name === "split" || name === "lines" ? list(STRING) : STRING;
    },
  };
}

function numbers(name: string, summary: string, result: (e: Type) => Type): Builtin {
  return {
    name,
    params: [p("values")],
    summary,
    check: ([xs]) => {
      const e = elementOf(xs);
      return e && isNumeric(e) ? result(e) : want(0, "a list of numbers");
    },
  };
}

function sameList(name: string, summary: string, extra: { name: string; optional?: boolean }[] = [], result?: (t: Type) => Type): Builtin {
  return {
    name,
    params: [p("items"), ...extra],
    summary,
    check: (a) => {
      if (!isList(a[0])) return want(0, "a list");
      for (let i = 1; i < a.length; i++) if (a[i] && !assignable(a[i]!, INT)) return want(i, "an int");
      return result ? result(a[0]!) : a[0]!;
    },
  };
}

const LIST: Builtin[] = [
  {
    name: "len",
    params: [p("value")],
    summary: "number of elements of a list, or characters of a string",
    check: ([x]) => (isList(x) || (x && isText(x)) ? INT : want(0, "a list or a string")),
  },
  {
    name: "join",
    params: [p("items"), p("separator", true)],
    summary: "the strings of a list joined with a separator (default none)",
    check: ([xs, sep]) => {
      const e = elementOf(xs);
      if (!e || !isText(e)) return want(0, "a list of strings");
      return sep && !isText(sep) ? want(1, "a string") : STRING;
    },
  },
  text("split", "a string split at every separator", ["separator"]),
  text("lines", "a string split into lines"),
  text("trim", "a string without surrounding whitespace"),
  text("upper", "a string in upper case"),
  text("lower", "a string in lower case"),
  text("replace", "a string with every occurrence of one text replaced by another", ["old", "new"]),
  text("starts_with", "whether a string starts with a prefix", ["prefix"]),
  text("ends_with", "whether a string ends with a suffix", ["suffix"]),
  {
    name: "contains",
    params: [p("container"), p("item")],
    summary: "whether a string contains a text, or a list an element",
    check: ([c, x]) => {
      const e = elementOf(c);
      if (e) return x && (assignable(x, e) || assignable(e, x)) ? BOOL : want(1, `a value of the list's element type`);
      if (c && isText(c)) return x && isText(x) ? BOOL : want(1, "a string");
      return want(0, "a string or a list");
    },
  },
  { name: "str", params: [p("value")], summary: "a value as text", check: () => STRING },
  { name: "json", params: [p("value")], summary: "a value as JSON text", check: () => STRING },
  {
    name: "range",
    params: [p("start_or_count"), p("end", true)],
    summary: "the ints from 0 to n-1, or from start to end-1",
    check: (a) => {
      for (let i = 0; i < a.length; i++) if (a[i] && !assignable(a[i]!, INT)) return want(i, "an int");
      return list(INT);
    },
  },
  {
    name: "zip",
    params: [p("left"), p("right")],
    summary: "pairs of elements at the same position, as two-element lists",
    check: ([a, b]) => {
      const ea = elementOf(a);
      const eb = elementOf(b);
      if (!ea) return want(0, "a list");
      if (!eb) return want(1, "a list");
      const e = join(ea, eb);
      return e ? list(list(e)) : want(1, "a list of the same element type");
    },
  },
  {
    name: "flatten",
    params: [p("lists")],
    summary: "a list of lists made one list",
    check: ([xs]) => {
      const inner = elementOf(elementOf(xs));
      return inner ? list(inner) : want(0, "a list of lists");
    },
  },
  sameList("unique", "the elements without repeats, first occurrence kept"),
  {
    name: "sort",
    params: [p("items")],
    summary: "numbers or strings in ascending order",
    check: ([xs]) => {
      const e = elementOf(xs);
      return e && (isNumeric(e) || isText(e)) ? xs! : want(0, "a list of numbers or strings");
    },
  },
  sameList("reverse", "the elements in reverse order"),
  {
    name: "slice",
    params: [p("items"), p("start"), p("end", true)],
    summary: "the elements (or characters) from start up to end",
    check: (a) => {
      if (!isList(a[0]) && !(a[0] && isText(a[0]))) return want(0, "a list or a string");
      for (let i = 1; i < a.length; i++) if (a[i] && !assignable(a[i]!, INT)) return want(i, "an int");
      return a[0]!.kind === "list" ? a[0]! : STRING;
    },
  },
  sameList("chunk", "the elements in consecutive lists of a given size", [p("size")], (t) => list(t)),
  numbers("sum", "the sum of a list of numbers", (e) => (e.kind === "int" ? INT : FLOAT)),
  numbers("min", "the smallest of a non-empty list of numbers", (e) => (e.kind === "int" ? INT : FLOAT)),
  numbers("max", "the largest of a non-empty list of numbers", (e) => (e.kind === "int" ? INT : FLOAT)),
  numbers("mean", "the mean of a non-empty list of numbers", () => FLOAT),
  {
    name: "cosine",
    params: [p("a"), p("b")],
    summary: "the cosine similarity of two vectors of equal length",
    check: ([a, b]) => {
      if (!(elementOf(a) && isNumeric(elementOf(a)!))) return want(0, "a list of numbers");
      if (!(elementOf(b) && isNumeric(elementOf(b)!))) return want(1, "a list of numbers");
      return FLOAT;
    },
  },
  {
    name: "top_k",
    params: [p("scores"), p("k")],
    summary: "the indices of the k largest scores, largest first (ties by lower index)",
    check: ([s, k]) => {
      if (!(elementOf(s) && isNumeric(elementOf(s)!))) return want(0, "a list of numbers");
      return k && !assignable(k, INT) ? want(1, "an int") : list(INT);
    },
  },
];

/** Builtins by name. */
export const BUILTINS: ReadonlyMap<string, Builtin> = new Map(LIST.map((b) => [b.name, b]));

/** Names usable as template filters: `{{ x | upper }}` is `upper(x)`. */
export const FILTERS: ReadonlySet<string> = new Set(["join", "upper", "lower", "trim", "json"]);
