import { describe, expect, it } from "vitest";
import { parse, type Template } from "../../src/phases/1-parse/index.js";

const codes = (src: string) => parse(src, "t.feste").diagnostics.map((d) => d.code);
const templateText = (src: string) => {
  const r = parse(`prompt p(x: string, xs: string[], c: bool) ${src}`, "t.feste");
  expect(r.diagnostics).toEqual([]);
  const body = (r.module.declarations[0] as any).body.template as Template;
  return body.parts.map((p) => (p.kind === "text" ? p.value : `<${p.kind}>`)).join("");
};

describe("significant newlines", () => {
  it("end statements inside blocks but not after operators, commas or inside brackets", () => {
    const src = `graph g(a: int, b: int) -> int {
  let c = a +
    b
  let d = len([
    a,
    b
  ])
  c * d
}`;
    expect(codes(src)).toEqual([]);
  });

  it("separate settings, fields and record fields like commas", () => {
    expect(codes(`type T {\n a: int\n b: string,\n}\nclient c: openai.chat {\n model: "m"\n temperature: 0\n}`)).toEqual([]);
  });

  it("let `else` start the next line", () => {
    expect(codes(`graph g(a: bool) -> int {\n if a {\n 1\n }\n else {\n 2\n }\n}`)).toEqual([]);
  });

  it("do not join two expressions on separate lines", () => {
    const r = parse(`graph g(a: int) -> int {\n a\n (a)\n}`, "t.feste");
    expect((r.module.declarations[0] as any).body.statements.length).toBe(2);
  });

  it("accept `;` as a separator", () => {
    const r = parse(`graph g(a: int) -> int { let b = a; b }`, "t.feste");
    expect(r.diagnostics).toEqual([]);
    expect((r.module.declarations[0] as any).body.statements.length).toBe(2);
  });
});

describe("template text", () => {
  it("drops the first newline and the closing quotes' indentation", () => {
    expect(templateText(`"""\n    Hello {{ x }}\n      indented\n    """`)).toBe("Hello <interpolation>\n  indented");
  });

  it("keeps a one-line template as written", () => {
    expect(templateText(`""" Hi {{ x }}! """`)).toBe(" Hi <interpolation>! ");
  });

  it("trims around whitespace-control tags", () => {
    expect(templateText(`"""\n  a\n  {%- if c -%}\n  b\n  {%- endif %}\n  """`)).toBe("a<templateIf>");
    const r = parse(`prompt p(c: bool) """\n  a\n  {%- if c -%}\n  b\n  {%- endif %}\n  """`, "t.feste");
    const tif = (r.module.declarations[0] as any).body.template.parts[1];
    expect(tif.branches[0].body[0].value).toBe("b");
  });

  it("skips template comments", () => {
    expect(templateText(`"""a{# note #}b"""`)).toBe("ab");
  });
});

describe("bad input never throws", () => {
  it("reports an unterminated template once, at its opening quotes", () => {
    expect(codes(`prompt p() """\n hello {{ x }}\n`)).toEqual(["FE1003"]);
  });

  it("reports an unclosed {{ once and keeps parsing the code after the template", () => {
    expect(codes(`prompt p(x: string) """ {{ x """\ngraph g() -> int { 1 }`)).toEqual(["FE1012"]);
  });

  it("reports an unterminated string and an unknown escape", () => {
    expect(codes(`const a = "abc\nconst b = 1`)).toEqual(["FE1002"]);
    expect(codes(`const a = "a\\qb"`)).toEqual(["FE1004"]);
  });

  it("reports binary garbage as not text", () => {
    expect(codes("\u0000\u0001\u0002garbage")).toEqual(["FE1011"]);
  });

  it("warns on an empty file", () => {
    expect(codes("")).toEqual(["FE1010"]);
    expect(codes("// just a comment\n")).toEqual(["FE1010"]);
  });

  it("survives 10,000 nested brackets with one diagnostic", () => {
    const deep = `const a = ${"(".repeat(10_000)}1${")".repeat(10_000)}`;
    expect(codes(deep)).toEqual(["FE1008"]);
    const open = `const a = ${"[".repeat(10_000)}`;
    expect(codes(open)).toEqual(["FE1008"]);
  });

  it("survives 20,000-term operator chains and prefix runs", () => {
    expect(codes(`const a = ${Array(20_000).fill("1").join(" + ")}`)).toEqual(["FE1008"]);
    expect(codes(`const a = ${"-".repeat(20_000)}1`)).toEqual(["FE1008"]);
  });

  it("caps a flood of syntax errors", () => {
    const flood = Array.from({ length: 200 }, (_, i) => `const c${i} = )`).join("\n");
    const c = codes(flood);
    expect(c[c.length - 1]).toBe("FE1013");
    expect(c.length).toBeLessThanOrEqual(32);
  });

  it("parses a huge file", () => {
    const big = Array.from({ length: 20_000 }, (_, i) => `const c${i} = ${i}`).join("\n");
    const r = parse(big, "big.feste");
    expect(r.diagnostics).toEqual([]);
    expect(r.module.declarations.length).toBe(20_000);
  });
});

describe("regressions found by the property tests", () => {
  it("accept an item named `else` on its own line in braces", () => {
    expect(codes(`type T {\n  a: int\n  else: int\n}\nconst x = T {\n  a: 0\n  else: 1\n}`)).toEqual([]);
  });
});
