/**
 * The builtin functions' signatures. Each is pure and typed; `check` receives the argument
 * types in parameter order and returns the result type, or which argument is wrong and what
 * it should have been. The runtime implements the same names (one meaning in every mode).
 */
import { BOOL, FLOAT, INT, STRING, assignable, isNumeric, isText, join, list, type Type } from "./types.js";

export type BuiltinResult = Type | { readonly arg: number; readonly expected: string };

/** A builtin's signature (`T` is any element type) and a one-line example. */
export interface BuiltinDoc {
  readonly signature: string;
  readonly example: string;
}

export interface Builtin {
  readonly name: string;
  readonly params: readonly { readonly name: string; readonly optional?: boolean }[];
  readonly summary: string;
  /**
   * How to call it and one line that shows it working, listed by `feste explain builtins`.
   * Required, so that a builtin cannot be added without its documentation.
   */
  readonly doc: BuiltinDoc;
  readonly check: (args: readonly (Type | undefined)[]) => BuiltinResult;
}

const p = (name: string, optional = false) => ({ name, optional });
const elementOf = (t: Type | undefined): Type | undefined =>
  t?.kind === "list" ? t.element : t?.kind === "error" || t?.kind === "unknown" ? t : undefined;
const isList = (t: Type | undefined) => elementOf(t) !== undefined;
const valueOf = (t: Type | undefined): Type | undefined =>
  t?.kind === "map" ? t.value : t?.kind === "error" || t?.kind === "unknown" ? t : undefined;
const want = (arg: number, expected: string) => ({ arg, expected });

function text(name: string, summary: string, doc: BuiltinDoc, extra: string[] = []): Builtin {
  return {
    name,
    params: [p("text"), ...extra.map((e) => p(e))],
    summary,
    doc,
    check: (a) => {
      for (let i = 0; i < a.length; i++) if (!isText(a[i]!)) return want(i, "a string");
      return name === "starts_with" || name === "ends_with" ? BOOL : name === "split" || name === "lines" ? list(STRING) : STRING;
    },
  };
}

function numbers(name: string, summary: string, doc: BuiltinDoc, result: (e: Type) => Type): Builtin {
  return {
    name,
    params: [p("values")],
    summary,
    doc,
    check: ([xs]) => {
      const e = elementOf(xs);
      return e && isNumeric(e) ? result(e) : want(0, "a list of numbers");
    },
  };
}

function sameList(name: string, summary: string, doc: BuiltinDoc, extra: { name: string; optional?: boolean }[] = [], result?: (t: Type) => Type): Builtin {
  return {
    name,
    params: [p("items"), ...extra],
    summary,
    doc,
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
    doc: { signature: "len(value: T[] | string) -> int", example: "len([\"a\", \"b\"]) == 2" },
    check: ([x]) => (isList(x) || (x && isText(x)) ? INT : want(0, "a list or a string")),
  },
  {
    name: "join",
    params: [p("items"), p("separator", true)],
    summary: "the strings of a list joined with a separator (default none)",
    doc: { signature: "join(items: string[], separator: string = \"\") -> string", example: "join([\"a\", \"b\"], \", \") == \"a, b\"" },
    check: ([xs, sep]) => {
      const e = elementOf(xs);
      if (!e || !isText(e)) return want(0, "a list of strings");
      return sep && !isText(sep) ? want(1, "a string") : STRING;
    },
  },
  text("split", "a string split at every separator", { signature: "split(text: string, separator: string) -> string[]", example: "split(\"a,b\", \",\") == [\"a\", \"b\"]" }, ["separator"]),
  text("lines", "a string split into lines", { signature: "lines(text: string) -> string[]", example: "lines(\"a\\nb\") == [\"a\", \"b\"]" }),
  text("trim", "a string without surrounding whitespace", { signature: "trim(text: string) -> string", example: "trim(\"  hi \") == \"hi\"" }),
  text("upper", "a string in upper case", { signature: "upper(text: string) -> string", example: "upper(\"hi\") == \"HI\"" }),
  text("lower", "a string in lower case", { signature: "lower(text: string) -> string", example: "lower(\"Hi\") == \"hi\"" }),
  text("replace", "a string with every occurrence of one text replaced by another", { signature: "replace(text: string, old: string, new: string) -> string", example: "replace(\"a-b-c\", \"-\", \"+\") == \"a+b+c\"" }, ["old", "new"]),
  text("starts_with", "whether a string starts with a prefix", { signature: "starts_with(text: string, prefix: string) -> bool", example: "starts_with(\"feste\", \"fe\") == true" }, ["prefix"]),
  text("ends_with", "whether a string ends with a suffix", { signature: "ends_with(text: string, suffix: string) -> bool", example: "ends_with(\"feste\", \"te\") == true" }, ["suffix"]),
  {
    name: "contains",
    params: [p("container"), p("item")],
    summary: "whether a string contains a text, or a list an element",
    doc: { signature: "contains(container: string | T[], item: string | T) -> bool", example: "contains([\"a\", \"b\"], \"b\") == true" },
    check: ([c, x]) => {
      const e = elementOf(c);
      if (e) return x && (assignable(x, e) || assignable(e, x)) ? BOOL : want(1, `a value of the list's element type`);
      if (c && isText(c)) return x && isText(x) ? BOOL : want(1, "a string");
      return want(0, "a string or a list");
    },
  },
  {
    name: "keys",
    params: [p("map")],
    summary: "the keys of a map, in the order written or inserted",
    doc: { signature: "keys(map: {string: T}) -> string[]", example: "keys({ \"b\": 1, \"a\": 2 }) == [\"b\", \"a\"]" },
    check: ([m]) => (valueOf(m) ? list(STRING) : want(0, "a map")),
  },
  {
    name: "values",
    params: [p("map")],
    summary: "the values of a map, in the order of its keys",
    doc: { signature: "values(map: {string: T}) -> T[]", example: "values({ \"b\": 1, \"a\": 2 }) == [1, 2]" },
    check: ([m]) => {
      const v = valueOf(m);
      return v ? list(v) : want(0, "a map");
    },
  },
  {
    name: "has",
    params: [p("map"), p("key")],
    summary: "whether a map has a key",
    doc: { signature: "has(map: {string: T}, key: string) -> bool", example: "has({ \"bug\": \"eng\" }, \"bug\") == true" },
    check: ([m, k]) => {
      if (!valueOf(m)) return want(0, "a map");
      return k && !isText(k) ? want(1, "a string key") : BOOL;
    },
  },
  { name: "str", params: [p("value")], doc: { signature: "str(value: any) -> string", example: "str(42) == \"42\"; str(p) is the text of the prompt p" }, summary: "a value as text", check: () => STRING },
  { name: "json", params: [p("value")], doc: { signature: "json(value: any) -> string", example: "json([1, 2]) == \"[1,2]\"" }, summary: "a value as JSON text", check: () => STRING },
  {
    name: "range",
    params: [p("start_or_count"), p("end", true)],
    summary: "the ints from 0 to n-1, or from start to end-1",
    doc: { signature: "range(start_or_count: int, end: int?) -> int[]", example: "range(3) == [0, 1, 2]; range(1, 3) == [1, 2]" },
    check: (a) => {
      for (let i = 0; i < a.length; i++) if (a[i] && !assignable(a[i]!, INT)) return want(i, "an int");
      return list(INT);
    },
  },
  {
    name: "zip",
    params: [p("left"), p("right")],
    summary: "pairs of elements at the same position, as two-element lists",
    doc: { signature: "zip(left: T[], right: T[]) -> T[][]", example: "zip([1, 2], [3, 4]) == [[1, 3], [2, 4]]" },
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
    doc: { signature: "flatten(lists: T[][]) -> T[]", example: "flatten([[1], [2, 3]]) == [1, 2, 3]" },
    check: ([xs]) => {
      const inner = elementOf(elementOf(xs));
      return inner ? list(inner) : want(0, "a list of lists");
    },
  },
  sameList("unique", "the elements without repeats, first occurrence kept", { signature: "unique(items: T[]) -> T[]", example: "unique([\"a\", \"b\", \"a\"]) == [\"a\", \"b\"]" }),
  {
    name: "sort",
    params: [p("items")],
    summary: "numbers or strings in ascending order",
    doc: { signature: "sort(items: int[] | float[] | string[]) -> same list type", example: "sort([3, 1, 2]) == [1, 2, 3]" },
    check: ([xs]) => {
      const e = elementOf(xs);
      return e && (isNumeric(e) || isText(e)) ? xs! : want(0, "a list of numbers or strings");
    },
  },
  sameList("reverse", "the elements in reverse order", { signature: "reverse(items: T[]) -> T[]", example: "reverse([1, 2, 3]) == [3, 2, 1]" }),
  {
    name: "slice",
    params: [p("items"), p("start"), p("end", true)],
    summary: "the elements (or characters) from start up to end",
    doc: { signature: "slice(items: T[] | string, start: int, end: int?) -> T[] | string", example: "slice([1, 2, 3, 4], 1, 3) == [2, 3]" },
    check: (a) => {
      if (!isList(a[0]) && !(a[0] && isText(a[0]))) return want(0, "a list or a string");
      for (let i = 1; i < a.length; i++) if (a[i] && !assignable(a[i]!, INT)) return want(i, "an int");
      return a[0]!.kind === "list" ? a[0]! : STRING;
    },
  },
  sameList("chunk", "the elements in consecutive lists of a given size", { signature: "chunk(items: T[], size: int) -> T[][]", example: "chunk([1, 2, 3], 2) == [[1, 2], [3]]" }, [p("size")], (t) => list(t)),
  numbers("sum", "the sum of a list of numbers", { signature: "sum(values: int[] | float[]) -> int | float", example: "sum([1, 2, 3]) == 6" }, (e) => (e.kind === "int" ? INT : FLOAT)),
  numbers("min", "the smallest of a non-empty list of numbers", { signature: "min(values: int[] | float[]) -> int | float", example: "min([3, 1, 2]) == 1" }, (e) => (e.kind === "int" ? INT : FLOAT)),
  numbers("max", "the largest of a non-empty list of numbers", { signature: "max(values: int[] | float[]) -> int | float", example: "max([3, 1, 2]) == 3" }, (e) => (e.kind === "int" ? INT : FLOAT)),
  numbers("mean", "the mean of a non-empty list of numbers", { signature: "mean(values: int[] | float[]) -> float", example: "mean([1, 2, 3, 4]) == 2.5" }, () => FLOAT),
  {
    name: "cosine",
    params: [p("a"), p("b")],
    summary: "the cosine similarity of two vectors of equal length",
    doc: { signature: "cosine(a: float[], b: float[]) -> float", example: "cosine(emb(q), emb(doc)), 1.0 for the same direction" },
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
    doc: { signature: "top_k(scores: float[], k: int) -> int[]", example: "top_k([0.1, 0.9, 0.5], 2) == [1, 2]" },
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
