/** Typing rules a user relies on, checked through the facts the checker records. */
import { describe, expect, it } from "vitest";
import type * as A from "../../src/phases/1-parse/ast.js";
import { showType } from "../../src/phases/2-check/index.js";
import { checkSources } from "../../src/testing/index.js";

const HEADER = `
client gpt: openai.chat { model: "gpt-4o-mini", temperature: 0 }
client davinci: openai.completion { model: "gpt-3.5-turbo-instruct" }
client emb: openai.embedding { model: "text-embedding-3-small" }
client rr: cohere.rerank { model: "rerank-v3.5" }
client writer: cohere.chat { model: "command-r-plus" }
client smart: fallback(gpt, writer)
enum Category { billing, bug }
type Ticket { category: Category, urgency: int, note: string? }
prompt classify(t: string) -> Ticket { user """{{ t }}""" }
prompt ask(q: string, style: string = "short") """{{ q }} ({{ style }})"""
prompt ola(nome: string) lang pt """Olá {{ nome }}"""
`;

/** Checks `graph g(...) -> out { body }` and returns the type of the block's last expression. */
function typeOf(params: string, out: string, body: string, extra = ""): { type?: string; codes: string[] } {
  const src = `${HEADER}${extra}\ngraph g(${params}) -> ${out} {\n${body}\n}\n`;
  const r = checkSources("main.feste", { "main.feste": src });
  const graph = r.program.modules.get("main.feste")!.module.declarations.find((d) => d.kind === "graphDecl" && d.name.text === "g") as A.GraphDecl;
  const last = graph.body.statements[graph.body.statements.length - 1];
  const t = last?.kind === "exprStmt" ? r.checked?.types.get(last.expr) : undefined;
  // The header declares a client of every kind; which of them a body calls varies (FE2071).
  return { type: t && showType(t), codes: r.diagnostics.filter((d) => d.code !== "FE2071").map((d) => d.code) };
}

describe("model calls are typed by endpoint", () => {
  it("chat and completion return the prompt's output type, or string", () => {
    expect(typeOf("x: string", "Ticket", "gpt(classify(x))")).toEqual({ type: "Ticket", codes: [] });
    expect(typeOf("x: string", "string", "davinci(ask(x))")).toEqual({ type: "string", codes: [] });
    expect(typeOf("x: string", "string", "gpt(x)")).toEqual({ type: "string", codes: [] });
    expect(typeOf("x: string", "Ticket", "smart(classify(x))")).toEqual({ type: "Ticket", codes: [] });
  });

  it("embeddings map string to float[] and string[] to float[][]", () => {
    expect(typeOf("x: string", "float[]", "emb(x)").type).toBe("float[]");
    expect(typeOf("xs: string[]", "float[][]", "emb(xs)").type).toBe("float[][]");
  });

  it("rerank takes a query and documents and returns Ranked[]", () => {
    expect(typeOf("q: string, docs: string[]", "Ranked[]", "rr(q, docs, top_n: 3)")).toEqual({ type: "Ranked[]", codes: [] });
    expect(typeOf("q: string, docs: string[]", "float", "rr(q, docs)[0].score").type).toBe("float");
  });

  it("checks per-call settings against the endpoint", () => {
    expect(typeOf("x: string", "string", "gpt(x, temperature: 0.7)").codes).toEqual([]);
    expect(typeOf("x: string", "string", "gpt(x, temperature: 9)").codes).toEqual(["FE2012"]);
    expect(typeOf("x: string", "string", "gpt(x, base_url: \"http://x\")").codes).toEqual(["FE2010"]);
    expect(typeOf("x: string, t: float", "string", "gpt(x, temperature: t)").codes).toEqual(["FE2031"]);
  });
});

describe("prompts", () => {
  it("are prompts of their output type, text only inside templates or through str", () => {
    expect(typeOf("x: string", "string", "ask(x)").type).toBe("Prompt<string>");
    expect(typeOf("x: string", "int", "len(str(ask(x)))").codes).toEqual([]);
    expect(typeOf("x: string", "string", "gpt(ask(x) + \"!\")").codes).toEqual([]);
    expect(typeOf("x: string", "string", `gpt("""Say: {{ ask(x) }}""")`).codes).toEqual([]);
  });

  it("are not answers: a prompt where its answer is expected is FE2070", () => {
    expect(typeOf("x: string", "string", "ask(x)").codes).toEqual(["FE2070"]);
    expect(typeOf("x: string", "int", "len(ask(x))").codes).toEqual(["FE2070"]);
    expect(typeOf("x: string", "Ticket", "classify(x)").codes).toEqual(["FE2070"]);
    expect(typeOf("xs: string[]", "string[]", "for x in xs { ask(x) }").codes).toEqual(["FE2070"]);
    expect(typeOf("x: string", "Ticket", "Ticket { category: \"bug\", urgency: 1, note: ask(x) }").codes).toEqual(["FE2070"]);
  });

  it("fill defaults and take named arguments", () => {
    expect(typeOf("x: string", "string", "gpt(ask(q: x, style: \"long\"))").codes).toEqual([]);
    expect(typeOf("x: string", "string", "gpt(ask(style: \"long\"))").codes).toEqual(["FE2008"]);
    expect(typeOf("x: string", "string", "gpt(ask(x, styl: \"long\"))").codes).toEqual(["FE2007"]);
    expect(typeOf("x: string", "string", "gpt(ask(x, \"a\", \"b\"))").codes).toEqual(["FE2006"]);
  });

  it("warn when text of two languages is joined", () => {
    expect(typeOf("x: string", "string", "gpt(ask(x) + ola(x))").codes).toEqual(["FE2019"]);
    expect(typeOf("x: string", "string", "gpt(ask(x) + ask(x))").codes).toEqual([]);
  });
});

describe("enums", () => {
  it("accept a member's name as a string literal where the enum is expected", () => {
    expect(typeOf("", "Ticket", `Ticket { category: "bug", urgency: 1 }`).codes).toEqual([]);
    expect(typeOf("", "Ticket", `Ticket { category: "bugs", urgency: 1 }`).codes).toEqual(["FE2025"]);
    expect(typeOf("t: Ticket", "bool", `t.category == "billing"`)).toEqual({ type: "bool", codes: [] });
    expect(typeOf("t: Ticket", "bool", `"nope" == t.category`).codes).toEqual(["FE2025"]);
    expect(typeOf("", "Category", "Category.bug")).toEqual({ type: "Category", codes: [] });
  });

  it("read a string literal as a member wherever the expected type reaches it", () => {
    expect(typeOf("", "Category", `"bug"`)).toEqual({ type: "Category", codes: [] });
    expect(typeOf("c: bool", "Category", `if c { "bug" } else { "billing" }`)).toEqual({ type: "Category", codes: [] });
    expect(typeOf("", "Category[]", `["bug", "billing"]`)).toEqual({ type: "Category[]", codes: [] });
    expect(typeOf("xs: int[]", "Category[]", `for x in xs { "bug" }`)).toEqual({ type: "Category[]", codes: [] });
    expect(typeOf("c: bool", "Category", `if c { "bug" } else { "bugs" }`).codes).toEqual(["FE2025"]);
  });

  it("join a string literal with an enum in if/else and list literals, as a member", () => {
    expect(typeOf("c: bool", "Category", `let k = if c { Category.bug } else { "billing" }\nk`)).toEqual({ type: "Category", codes: [] });
    expect(typeOf("c: bool", "Category", `let k = if c { "billing" } else { Category.bug }\nk`)).toEqual({ type: "Category", codes: [] });
    expect(typeOf("", "Category[]", `let ks = ["billing", Category.bug]\nks`)).toEqual({ type: "Category[]", codes: [] });
    expect(typeOf("c: bool", "Category", `let k = if c { Category.bug } else { "refund" }\nk`).codes).toEqual(["FE2025"]);
    expect(typeOf("", "int", `len(["refund", Category.bug])`).codes).toEqual(["FE2025"]);
    // Two plain strings stay strings.
    expect(typeOf("c: bool", "string", `if c { "a" } else { "b" }`)).toEqual({ type: "string", codes: [] });
  });
});

describe("optionals and defaults", () => {
  it("require ?? before use and join null with a value", () => {
    expect(typeOf("t: Ticket", "string", "t.note ?? \"none\"")).toEqual({ type: "string", codes: [] });
    expect(typeOf("t: Ticket", "int", "len(t.note)").codes).toEqual(["FE2005"]);
    expect(typeOf("c: bool", "string?", "if c { \"a\" } else { null }")).toEqual({ type: "string?", codes: [] });
    expect(typeOf("t: Ticket", "Ticket", "Ticket { category: t.category, urgency: 1, note: t.note }").codes).toEqual([]);
    expect(typeOf("", "Ticket", "Ticket { category: Category.bug, urgency: 1, note: null }").codes).toEqual([]);
  });
});

describe("lists and loops", () => {
  it("for gives a list of the body's type, in a new scope", () => {
    expect(typeOf("xs: string[]", "int[]", "for x in xs if len(x) > 2 { len(x) }")).toEqual({ type: "int[]", codes: [] });
    expect(typeOf("xs: string[]", "int[]", "for xs in xs { 1 }").codes).toEqual(["FE2017"]);
  });

  it("builtins are generic over element types", () => {
    expect(typeOf("xs: int[]", "int[][]", "chunk(xs, 2)").type).toBe("int[][]");
    expect(typeOf("xs: float[]", "int[]", "top_k(xs, 3)").type).toBe("int[]");
    expect(typeOf("xs: string[]", "string", "join(sort(unique(xs)), \", \")").type).toBe("string");
    expect(typeOf("xs: string[]", "int", "sum(xs)").codes).toEqual(["FE2005"]);
  });

  it("/ always gives a float", () => {
    expect(typeOf("a: int, b: int", "float", "a / b").type).toBe("float");
    expect(typeOf("a: int, b: int", "int", "a / b").codes).toEqual(["FE2005"]);
  });
});

describe("modules", () => {
  it("see the declarations of the modules they use, not of those used further down", () => {
    const files = {
      "main.feste": `use "./lib/a.feste"\ngraph g(x: string) -> string { gpt(hello(x)) }`,
      "lib/a.feste": `use "./b.feste"\nclient gpt: openai.chat { model: "m" }\nprompt hello(x: string) """hi {{ x }} {{ greeting }}"""`,
      "lib/b.feste": `const greeting = "hello"`,
    };
    const { checkSources: cs } = { checkSources };
    expect(cs("main.feste", files).diagnostics.map((d) => d.code)).toEqual([]);
    const bad = { ...files, "main.feste": `use "./lib/a.feste"\ngraph g(x: string) -> string { greeting }` };
    expect(cs("main.feste", bad).diagnostics.map((d) => d.code)).toEqual(["FE2003"]);
  });

  it("check prompt template files with the prompt's parameters", () => {
    const files = { "m.feste": `prompt p(name: string) from "./p.txt"`, "p.txt": "Hello {{ nme }}" };
    const r = checkSources("m.feste", files);
    expect(r.diagnostics.map((d) => [d.code, d.span.file])).toEqual([["FE2003", "p.txt"]]);
  });
});

describe("regressions found by the property tests", () => {
  it("report a block ending in `let _ = ...` instead of crashing", () => {
    const r = checkSources("m.feste", { "m.feste": "graph g() -> int { let _ = 1 }" });
    expect(r.diagnostics.map((d) => d.code)).toEqual(["FE2048"]);
  });
});
