/**
 * The checker on map types: literals join their values' types like list elements, `{}` takes
 * the expected map type, `m[k]` is `T?` with a `string` (or enum) key, and the builtins
 * `keys`, `values`, `has` have the types their documentation gives.
 */
import { describe, expect, it } from "vitest";
import { checkFile } from "../../src/compile.js";
import { memoryHost } from "../../src/phases/1-parse/index.js";

function codes(source: string): string[] {
  const r = checkFile("main.feste", memoryHost({ "main.feste": source }));
  return r.diagnostics.filter((d) => d.severity === "error").map((d) => d.code);
}

describe("map types", () => {
  it("joins a literal's values: int and float make float, null makes an optional", () => {
    expect(codes(`graph g() -> {string: float} { { "a": 1, "b": 2.5 } }`)).toEqual([]);
    expect(codes(`graph g() -> {string: int?} { { "a": 1, "b": null } }`)).toEqual([]);
    expect(codes(`graph g() -> {string: int} { { "a": 1.5 } }`)).toEqual(["FE2005"]);
  });

  it("gives {} the expected map type, and reads string literals as enum members where one is expected", () => {
    expect(codes(`graph g() -> {string: int} { {} }`)).toEqual([]);
    expect(codes(`enum C { x, y }\ngraph g() -> {string: C} { { "a": "x", "b": C.y } }`)).toEqual([]);
    expect(codes(`enum C { x, y }\ngraph g() -> {string: C} { { "a": "z" } }`)).toEqual(["FE2025"]);
  });

  it("types m[k] as T? with a string or enum key, and nests maps in lists and records", () => {
    expect(codes(`enum C { x, y }\ngraph g(m: {string: int}, c: C) -> int { (m[c] ?? 0) + (m["a"] ?? 1) }`)).toEqual([]);
    expect(codes(`graph g(m: {string: int}) -> int { m["a"] }`)).toEqual(["FE2005"]);
    expect(codes(`type R { m: {string: string[]} }\ngraph g(rs: R[]) -> string[] { for r in rs { join(r.m["k"] ?? [], ",") } }`)).toEqual([]);
    expect(codes(`graph g(ms: {string: int}[]) -> int[] { for m in ms { len(keys(m)) } }`)).toEqual([]);
  });

  it("types keys, values and has as documented", () => {
    expect(codes(`graph g(m: {string: int}) -> string[] { keys(m) }`)).toEqual([]);
    expect(codes(`graph g(m: {string: int}) -> int[] { values(m) }`)).toEqual([]);
    expect(codes(`graph g(m: {string: int}) -> bool { has(m, "a") }`)).toEqual([]);
    expect(codes(`graph g(m: {string: int}) -> int[] { keys(m) }`)).toEqual(["FE2005"]);
  });

  it("keeps a map of prompts out: a prompt is sent to a model before it is data", () => {
    expect(codes(`prompt p() """hi"""\ngraph g() -> {string: string} { { "a": p() } }`).length).toBeGreaterThan(0);
  });
});
