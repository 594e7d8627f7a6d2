/** Every builtin at run time, and agreement between the checker's and the runtime's lists. */
import { describe, expect, it } from "vitest";
import { BUILTINS } from "../../src/phases/2-check/index.js";
import { builtins, FesteRuntimeError, renderValue } from "../../src/runtime/index.js";

describe("runtime builtins", () => {
  it("implement exactly the builtins the checker knows", () => {
    expect(Object.keys(builtins).sort()).toEqual([...BUILTINS.keys()].sort());
  });

  it("text functions", () => {
    expect(builtins.len("héllo😀")).toBe(6);
    expect(builtins.join(["a", "b"], ", ")).toBe("a, b");
    expect(builtins.join(["a", "b"])).toBe("ab");
    expect(builtins.split("a,b,,c", ",")).toEqual(["a", "b", "", "c"]);
    expect(builtins.split("ab", "")).toEqual(["a", "b"]);
    expect(builtins.lines("a\r\nb\nc")).toEqual(["a", "b", "c"]);
    expect(builtins.lines("")).toEqual([]);
    expect(builtins.trim("  a b \n")).toBe("a b");
    expect(builtins.upper("straße")).toBe("STRASSE");
    expect(builtins.lower("ÀB")).toBe("àb");
    expect(builtins.replace("a.b.c", ".", "-")).toBe("a-b-c");
    expect(builtins.replace("abc", "", "-")).toBe("abc");
    expect(builtins.starts_with("feste", "fe")).toBe(true);
    expect(builtins.ends_with("feste", "fe")).toBe(false);
    expect(builtins.contains("feste", "est")).toBe(true);
    expect(builtins.slice("héllo", 1, 3)).toBe("él");
  });

  it("str renders like a template and json is JSON", () => {
    expect(builtins.str(null)).toBe("");
    expect(builtins.str(1.5)).toBe("1.5");
    expect(builtins.str(true)).toBe("true");
    expect(builtins.str(["a", 1])).toBe('["a",1]');
    expect(renderValue({ a: 1 })).toBe('{"a":1}');
    expect(builtins.json("a\"b")).toBe('"a\\"b"');
  });

  it("list functions", () => {
    expect(builtins.range(3)).toEqual([0, 1, 2]);
    expect(builtins.range(2, 5)).toEqual([2, 3, 4]);
    expect(builtins.range(5, 2)).toEqual([]);
    expect(builtins.zip([1, 2, 3], [4, 5])).toEqual([[1, 4], [2, 5]]);
    expect(builtins.flatten([[1], [], [2, 3]])).toEqual([1, 2, 3]);
    expect(builtins.unique([1, 2, 1, 3, 2])).toEqual([1, 2, 3]);
    expect(builtins.unique([{ a: 1 }, { a: 1 }])).toEqual([{ a: 1 }]);
    expect(builtins.sort([3, 1, 10, 2])).toEqual([1, 2, 3, 10]);
    expect(builtins.sort(["b", "B", "a"])).toEqual(["B", "a", "b"]);
    expect(builtins.reverse([1, 2, 3])).toEqual([3, 2, 1]);
    expect(builtins.slice([1, 2, 3, 4], 1)).toEqual([2, 3, 4]);
    expect(builtins.chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(builtins.contains([[1], [2]], [2])).toBe(true);
  });

  it("numeric functions", () => {
    expect(builtins.sum([1, 2, 3])).toBe(6);
    expect(builtins.sum([])).toBe(0);
    expect(builtins.min([3, -1, 2])).toBe(-1);
    expect(builtins.max([3, -1, 2])).toBe(3);
    expect(builtins.mean([1, 2, 3, 4])).toBe(2.5);
    expect(builtins.cosine([1, 0], [0, 1])).toBe(0);
    expect(builtins.cosine([1, 2], [2, 4])).toBeCloseTo(1, 12);
    expect(builtins.cosine([0, 0], [1, 1])).toBe(0);
    expect(builtins.top_k([0.1, 0.9, 0.5, 0.9], 3)).toEqual([1, 3, 2]);
    expect(builtins.top_k([1, 2], 5)).toEqual([1, 0]);
  });

  it("fail with FE4001 and a reason on values they cannot take", () => {
    const fails = (f: () => unknown, text: string) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(FesteRuntimeError);
        expect((e as FesteRuntimeError).code).toBe("FE4001");
        expect((e as Error).message).toContain(text);
        return;
      }
      throw new Error("expected a failure");
    };
    fails(() => builtins.min([]), "empty");
    fails(() => builtins.mean([]), "empty");
    fails(() => builtins.cosine([1], [1, 2]), "different lengths");
    fails(() => builtins.chunk([1], 0), "at least 1");
    fails(() => builtins.range(0, 1e9), "limit");
  });
});
