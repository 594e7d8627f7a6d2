/** The forgiving reader: which values an answer holds, and when it was cut off. */
import { describe, expect, it } from "vitest";
import { jsonCandidates } from "../../../src/runtime/structured/index.js";

const values = (text: string) => jsonCandidates(text).values;

describe("jsonCandidates", () => {
  it("reads strict JSON like JSON.parse", () => {
    const text = '{"a": [1, -2.5e3, true, false, null, "x\\u0041\\n"], "b": {}}';
    expect(values(text)).toEqual([JSON.parse(text)]);
  });

  it("lists the whole answer, then fences, then values found in prose", () => {
    expect(values('[0] then ```json\n{"a": 1}\n``` and [2]')).toEqual([{ a: 1 }, [0], [2]]);
    expect(values("```\n\"x\"\n```")).toEqual(["x"]);
    expect(values("42")).toEqual([42]);
  });

  it("does not list values nested in a value already found", () => {
    expect(values('x {"a": {"b": [1]}} y')).toEqual([{ a: { b: [1] } }]);
  });

  it("skips braces that are prose, noting the first as malformed", () => {
    const found = jsonCandidates('Use {braces, here}: {"a": 1}');
    expect(found.values).toEqual([{ a: 1 }]);
    expect(found.malformed).toEqual({ at: 11, reason: "expected `:`" });
  });

  it("reads loose JSON: trailing commas, bare keys and words, single quotes, comments, Python literals", () => {
    expect(values("{a: 'b', c: d, e: [True, None,], /* note */ f: +1, g: .5,}")).toEqual([{ a: "b", c: "d", e: [true, null], f: 1, g: 0.5 }]);
  });

  it("reads bare words that are names on Object.prototype as strings", () => {
    expect(values("[constructor, toString, __proto__]")).toEqual([["constructor", "toString", "__proto__"]]);
  });

  it("keeps raw newlines inside strings", () => {
    expect(values('{"a": "line\nline"}')).toEqual([{ a: "line\nline" }]);
  });

  it("reports a value the answer ends inside of, and stops there", () => {
    expect(jsonCandidates('{"a": {"b": 1}, "c": ')).toEqual({ values: [], truncatedAt: 0 });
    expect(jsonCandidates('ok [1] then {"a": "b').truncatedAt).toBe(12);
    expect(jsonCandidates('{"a": 1 /* comment').truncatedAt).toBe(0);
    expect(jsonCandidates('{"a": "\\').truncatedAt).toBe(0);
  });

  it("does not take prose that opens a quote as cut off", () => {
    expect(jsonCandidates("'Tis the season").truncatedAt).toBeUndefined();
  });

  it("keeps `__proto__` as a key, not a prototype", () => {
    const [v] = values('{"__proto__": {"x": 1}}') as Record<string, unknown>[];
    expect(Object.keys(v!)).toEqual(["__proto__"]);
  });

  it("survives deep nesting without overflowing the stack", () => {
    expect(values("[".repeat(100_000) + "]".repeat(100_000))).toEqual([]);
    expect(jsonCandidates("[".repeat(100)).truncatedAt).toBe(0);
  });
});
