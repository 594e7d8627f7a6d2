/**
 * Every capability over the protocol, at least three cases each, on the examples (with
 * `pipeline.feste` using `shared/common.feste`) and on small documents that exist only in
 * the editor's memory.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CodeAction, CodeLens, CompletionItem, Diagnostic, DocumentSymbol, Hover, Location, TextEdit, WorkspaceEdit } from "vscode-languageserver";
import { formatSource } from "../../src/format/format.js";
import { ROOT, positionOf, startClient, type LspClient } from "./support/lsp-client.js";

const read = (p: string) => readFileSync(resolve(ROOT, p), "utf8");
const SUPPORT = "examples/support.feste";
const PIPELINE = "examples/pipeline.feste";
const COMMON = "examples/shared/common.feste";
const MAPREDUCE = "examples/mapreduce.feste";

/** A document that exists only in memory, beside the examples so that `use "./shared/common.feste"` resolves. */
const SCRATCH = "examples/lsp-scratch.feste";
const SCRATCH_TEXT = `use "./shared/common.feste"

client cheap: openai.chat {
  model: "gpt-4o-mini"
  api_key: "sk-do-not-show-this"
  temperature: 0
}

enum Mood { calm, busy }

prompt brief(art: Article, mood: Mood) """
  Brief for {{ company }}: {{ art.title }}
  {% if mood == "calm" %}Take your time.{% endif %}
  """

graph digest(articles: Article[]) -> string[] {
  for art in articles {
    let title = cheap(headline(art.body))
    title + " by " + (art.author ?? company)
  }
}
`;

let client: LspClient;
const text: Record<string, string> = {};
const uri: Record<string, string> = {};

beforeAll(async () => {
  client = await startClient(resolve(ROOT, "examples"));
  for (const p of [SUPPORT, PIPELINE, COMMON, MAPREDUCE]) {
    text[p] = read(p);
    uri[p] = client.open(p);
  }
  text[SCRATCH] = SCRATCH_TEXT;
  uri[SCRATCH] = client.open(SCRATCH, SCRATCH_TEXT);
  await Promise.all(Object.values(uri).map((u) => client.waitForDiagnostics(u)));
});

afterAll(async () => {
  await client?.stop();
});

const at = (file: string, needle: string, shift = 0, n = 0) => client.at(uri[file], positionOf(text[file], needle, shift, n));
const hoverText = async (file: string, needle: string, shift = 0, n = 0) => {
  const h = await client.request<Hover | null>("textDocument/hover", at(file, needle, shift, n));
  return h ? (h.contents as { value: string }).value : "";
};
const lineOf = (file: string, needle: string, n = 0) => positionOf(text[file], needle, 0, n).line;

describe("hover", () => {
  it("shows a prompt's signature, its template and its doc", async () => {
    const h = await hoverText(SUPPORT, "classify(t)");
    expect(h).toContain("prompt classify(ticket: string) -> Ticket lang en");
    expect(h).toContain("Ticket: {{ ticket }}");
    expect(h).toContain("Sorts one ticket into a category.");
  });

  it("shows a prompt declared in a used module, with its defaults", async () => {
    const h = await hoverText(PIPELINE, "headline(", 1);
    expect(h).toContain("prompt headline(text: string, max_words: int = 10)");
    expect(h).toContain("Write a headline for {{ company }}");
  });

  it("shows a client's endpoint and settings, never a key", async () => {
    const h = await hoverText(SCRATCH, "cheap(headline", 1);
    expect(h).toContain("client cheap: openai.chat");
    expect(h).toContain('`model`: "gpt-4o-mini"');
    expect(h).not.toContain("sk-do-not-show-this");
    expect(await hoverText(PIPELINE, "fallback(gpt", 10)).toContain("client gpt: openai.chat");
  });

  it("shows the types of variables, fields and expressions", async () => {
    expect(await hoverText(SUPPORT, "label = gpt", 1)).toContain("label: Ticket");
    expect(await hoverText(SUPPORT, "label.urgency", 7)).toContain("Ticket.urgency: int");
    expect(await hoverText(SCRATCH, "art.author", 5)).toContain("Article.author: string?");
    expect(await hoverText(SUPPORT, ">= 4 ||", 1)).toContain("(expression): bool");
    expect(await hoverText(SUPPORT, "t.category }}", 3)).toContain("Ticket.category: Category");
  });
});

describe("definition", () => {
  const definition = (file: string, needle: string, shift = 0, n = 0) => client.request<Location | null>("textDocument/definition", at(file, needle, shift, n));

  it("goes to a prompt in a used file", async () => {
    const loc = await definition(PIPELINE, "headline(", 1, 0);
    expect(loc?.uri).toBe(uri[COMMON]);
    expect(loc?.range.start.line).toBe(lineOf(COMMON, "prompt headline"));
  });

  it("goes to a type and a client in a used file", async () => {
    expect((await definition(SCRATCH, "Article[]", 1))?.uri).toBe(uri[COMMON]);
    const client_ = await definition(PIPELINE, "fallback(gpt", 10);
    expect(client_?.uri).toBe(uri[COMMON]);
    expect(client_?.range.start.line).toBe(lineOf(COMMON, "client gpt"));
  });

  it("goes to the module a `use` names", async () => {
    const loc = await definition(PIPELINE, "shared/common.feste", 3);
    expect(loc?.uri).toBe(uri[COMMON]);
    expect(loc?.range.start).toEqual({ line: 0, character: 0 });
  });

  it("goes to a local's binding and a field's declaration", async () => {
    const local = await definition(SUPPORT, "reply(label)", 7);
    expect(local?.range.start).toEqual(positionOf(text[SUPPORT], "label = gpt"));
    const field = await definition(SUPPORT, "label.urgency", 7);
    expect(field?.range.start).toEqual(positionOf(text[SUPPORT], "urgency: int"));
  });
});

describe("references", () => {
  const refs = (file: string, needle: string, shift = 0, includeDeclaration = true) =>
    client.request<Location[]>("textDocument/references", { ...at(file, needle, shift), context: { includeDeclaration } });

  it("finds a client's uses in the files that use its module", async () => {
    const list = await refs(COMMON, "client gpt", 7);
    const files = new Set(list.map((l) => l.uri));
    expect(files).toEqual(new Set([uri[COMMON], uri[PIPELINE]]));
    expect(list.filter((l) => l.uri === uri[PIPELINE]).length).toBeGreaterThanOrEqual(2);
    expect(list.some((l) => l.uri === uri[COMMON])).toBe(true);
  });

  it("finds a local's uses, with or without its binding", async () => {
    expect(await refs(SUPPORT, "label = gpt")).toHaveLength(5);
    expect(await refs(SUPPORT, "label = gpt", 0, false)).toHaveLength(4);
  });

  it("finds an enum member written as a member and as a string", async () => {
    const list = await refs(SUPPORT, "billing, bug");
    expect(list.map((l) => l.range.start.line).sort((a, b) => a - b)).toEqual([lineOf(SUPPORT, "enum Category"), lineOf(SUPPORT, '"billing"')]);
    const bug = await refs(SUPPORT, "Category.bug", 9);
    expect(bug).toHaveLength(2);
  });
});

describe("rename", () => {
  const rename = (file: string, needle: string, newName: string, shift = 0) =>
    client.request<WorkspaceEdit>("textDocument/rename", { ...at(file, needle, shift), newName });

  it("renames a local everywhere in its graph", async () => {
    const edit = await rename(SUPPORT, "label = gpt", "verdict");
    expect(Object.keys(edit.changes!)).toEqual([uri[SUPPORT]]);
    expect(edit.changes![uri[SUPPORT]]).toHaveLength(5);
    expect(edit.changes![uri[SUPPORT]].every((e) => e.newText === "verdict")).toBe(true);
  });

  it("renames a prompt across the files that use it", async () => {
    const edit = await rename(COMMON, "prompt headline", "title_for", 7);
    expect(Object.keys(edit.changes!).sort()).toEqual([uri[COMMON], uri[PIPELINE], uri[SCRATCH]].sort());
    for (const edits of Object.values(edit.changes!)) for (const e of edits) expect(e.newText).toBe("title_for");
  });

  it("renames a field in its type, its record literals and its accesses", async () => {
    const edit = await rename(SUPPORT, "urgency: int", "priority");
    const lines = edit.changes![uri[SUPPORT]].map((e) => e.range.start.line);
    expect(lines).toContain(lineOf(SUPPORT, "urgency: int"));
    expect(lines).toContain(lineOf(SUPPORT, "t.urgency"));
    expect(lines).toContain(lineOf(SUPPORT, "label.urgency"));
  });

  it("refuses a name that collides, with a message", async () => {
    await expect(rename(PIPELINE, "client gpt2", "gpt", 7)).rejects.toThrow(/`gpt` is already a client/);
    await expect(rename(SUPPORT, "summary: string", "category")).rejects.toThrow(/already has a field `category`/);
    await expect(rename(SUPPORT, "label = gpt", "answer")).rejects.toThrow(/`answer` is already bound/);
    await expect(rename(SUPPORT, "label = gpt", "for")).rejects.toThrow(/not a name/);
  });
});

describe("completion", () => {
  const complete = async (source: string, marker = "|") => {
    const offset = source.indexOf(marker);
    const body = source.slice(0, offset) + source.slice(offset + marker.length);
    const u = client.open(`examples/lsp-complete-${Math.random().toString(36).slice(2)}.feste`, body);
    const before = body.slice(0, offset);
    const position = { line: before.split("\n").length - 1, character: offset - (before.lastIndexOf("\n") + 1) };
    const result = await client.request<CompletionItem[] | { items: CompletionItem[] }>("textDocument/completion", client.at(u, position));
    return Array.isArray(result) ? result : result.items;
  };
  const labels = (items: CompletionItem[]) => items.map((i) => i.label);
  const base = `use "./shared/common.feste"\nenum Tone { warm, dry }\nprompt p(art: Article, tone: Tone) """\n  {{ | }}\n  """\n`;

  it("offers names in scope in a graph, with builtins and their signatures", async () => {
    const items = await complete(`use "./shared/common.feste"\ngraph g(articles: Article[]) -> int {\n  let n = 3\n  len(ar|)\n}\n`);
    expect(labels(items)).toEqual(expect.arrayContaining(["articles", "n", "company", "headline", "gpt"]));
    expect(items.find((i) => i.label === "articles")?.detail).toBe("Article[]");
    expect(items.find((i) => i.label === "len")?.detail).toBe("len(value)");
    expect(items.find((i) => i.label === "headline")?.detail).toContain("prompt headline(text: string");
  });

  it("offers names inside {{ }} and {% %}", async () => {
    expect(labels(await complete(base))).toEqual(expect.arrayContaining(["art", "tone", "company"]));
    const inIf = await complete(`prompt q(flag: bool, items: string[]) """\n  {% if fl| %}yes{% endif %}\n  """\n`);
    expect(labels(inIf)).toEqual(expect.arrayContaining(["flag", "items"]));
    const inFor = await complete(`prompt q(items: string[]) """\n  {% for it in items %}{{ | }}{% endfor %}\n  """\n`);
    expect(labels(inFor)).toEqual(expect.arrayContaining(["it", "items"]));
    expect(await complete(`prompt q(items: string[]) """\n  plain te|xt\n  """\n`)).toEqual([]);
    const filters = await complete(`prompt q(items: string[]) """\n  {{ items | j‸ }}\n  """\n`, "‸");
    expect(labels(filters)).toEqual(["join", "json", "lower", "trim", "upper"]);
    expect(filters.find((i) => i.label === "join")?.detail).toBe("value | join(separator?)");
  });

  it("offers fields after a dot, across use", async () => {
    const items = await complete(base.replace("{{ | }}", "{{ art.| }}"));
    expect(labels(items)).toEqual(["title", "body", "author"]);
    expect(items.find((i) => i.label === "author")?.detail).toBe("string?");
    const inGraph = await complete(`use "./shared/common.feste"\ngraph g(articles: Article[]) -> string[] {\n  for a in articles { a.ti| }\n}\n`);
    expect(labels(inGraph)).toContain("title");
  });

  it("offers enum members after the enum's name", async () => {
    const items = await complete(`enum Tone { warm, dry }\ngraph g() -> Tone {\n  Tone.|\n}\n`);
    expect(labels(items)).toEqual(["warm", "dry"]);
    expect(labels(await complete(base.replace("{{ | }}", "{% if tone == Tone.w| %}x{% endif %}")))).toEqual(["warm", "dry"]);
  });

  it("offers the settings keys of the client's endpoint, with their types", async () => {
    const chat = await complete(`client c: openai.chat {\n  model: "gpt-4o-mini"\n  |\n}\n`);
    expect(labels(chat)).toContain("temperature");
    expect(labels(chat)).not.toContain("model");
    expect(chat.find((i) => i.label === "temperature")?.detail).toBe("float (0 to 2)");
    const rerank = await complete(`client r: cohere.rerank { model: "rerank-v3.5", | }\n`);
    expect(labels(rerank)).toContain("top_n");
    expect(labels(rerank)).not.toContain("temperature");
    const perCall = await complete(`client c: openai.chat { model: "gpt-4o-mini" }\nprompt p() """hi"""\ngraph g() -> string {\n  c(p(), tem|)\n}\n`);
    expect(perCall.find((i) => i.label === "temperature")?.detail).toBe("float (0 to 2)");
    expect(labels(perCall)).not.toContain("rpm");
    const embed = await complete(`client e: cohere.embedding {\n  inp|\n}\n`);
    expect(embed.find((i) => i.label === "input_type")?.detail).toContain('"search_query"');
  });
});

describe("formatting", () => {
  const format = (u: string) => client.request<TextEdit[]>("textDocument/formatting", { textDocument: { uri: u }, options: { tabSize: 2, insertSpaces: true } });

  it("formats like feste fmt", async () => {
    const messy = `client  gpt :openai.chat{model:"gpt-4o-mini",temperature:0}\nprompt p( x:string )"""\n  {{x}}\n  """\n`;
    const u = client.open("examples/lsp-format-1.feste", messy);
    const edits = await format(u);
    expect(edits).toHaveLength(1);
    expect(edits[0].newText).toBe(formatSource(messy, "x.feste").text);
    expect(edits[0].newText).not.toBe(messy);
  });

  it("changes nothing in formatted files, including one that uses another", async () => {
    for (const [name, file] of [["lsp-format-s", SUPPORT], ["lsp-format-p", PIPELINE]]) {
      const formatted = formatSource(text[file], file).text!;
      const u = client.open(`examples/${name}.feste`, formatted);
      expect(await format(u)).toEqual([]);
      // The examples are kept in canonical layout (CI checks it): formatting one as written changes nothing.
      expect(formatted).toBe(text[file]);
      expect(await format(uri[file])).toEqual([]);
    }
  });

  it("leaves a file with syntax errors alone", async () => {
    const u = client.open("examples/lsp-format-2.feste", "graph g( -> int { 1 }\n");
    expect(await format(u)).toEqual([]);
  });
});

describe("code actions", () => {
  const actionsFor = async (name: string, source: string, code: string) => {
    const u = client.open(`examples/${name}.feste`, source);
    const diags = await client.waitForDiagnostics(u, (d) => d.some((x) => x.code === code));
    const d = diags.find((x) => x.code === code)!;
    const actions = await client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri: u }, range: d.range, context: { diagnostics: [d] } });
    return { actions, d: d as Diagnostic, u };
  };

  it("replaces an unknown variable with the close name", async () => {
    const { actions, d, u } = await actionsFor("lsp-fix-1", `prompt ask(question: string) """\n  Q: {{ questoin }}\n  """\n`, "FE2003");
    expect(actions.map((a) => a.title)).toEqual(["Change to `question`"]);
    expect(actions[0].edit?.changes?.[u]).toEqual([{ range: d.range, newText: "question" }]);
  });

  it("replaces a misspelled field and a misspelled enum string, quotes kept", async () => {
    const field = await actionsFor("lsp-fix-2", `type T { summary: string }\nprompt p(t: T) """\n  {{ t.sumary }}\n  """\n`, "FE2004");
    expect(field.actions[0].edit?.changes?.[field.u][0].newText).toBe("summary");
    const member = await actionsFor("lsp-fix-3", `enum C { bug, feature }\ntype T { c: C }\ngraph g() -> T {\n  T { c: "bugg" }\n}\n`, "FE2025");
    expect(member.actions[0].edit?.changes?.[member.u][0].newText).toBe('"bug"');
  });

  it("fixes a misspelled prompt from a used module", async () => {
    const { actions, u } = await actionsFor("lsp-fix-4", `use "./shared/common.feste"\ngraph g(t: string) -> string {\n  gpt(headlin(t))\n}\n`, "FE2047");
    expect(actions[0].title).toBe("Change to `headline`");
    expect(actions[0].edit?.changes?.[u][0].newText).toBe("headline");
  });
});

describe("document symbols", () => {
  const symbols = (u: string) => client.request<DocumentSymbol[]>("textDocument/documentSymbol", { textDocument: { uri: u } });

  it("lists the declarations of support.feste with their children", async () => {
    const list = await symbols(uri[SUPPORT]);
    expect(list.map((s) => s.name)).toEqual(["shop_name", "refund_days", "gpt", "writer", "Category", "Ticket", "Draft", "classify", "reply", "triage", "one_draft_per_ticket"]);
    expect(list.find((s) => s.name === "Category")?.children?.map((c) => c.name)).toEqual(["billing", "bug", "feature", "other"]);
    expect(list.find((s) => s.name === "gpt")?.detail).toBe("openai.chat");
  });

  it("lists the shared module's declarations and the fields of its type", async () => {
    const list = await symbols(uri[COMMON]);
    expect(list.map((s) => s.name)).toEqual(["company", "gpt", "writer", "Article", "headline"]);
    expect(list.find((s) => s.name === "Article")?.children?.map((c) => `${c.name}: ${c.detail}`)).toEqual(["title: string", "body: string", "author: string?"]);
  });

  it("lists the declarations of a file that uses another, combinators included", async () => {
    const list = await symbols(uri[PIPELINE]);
    expect(list.find((s) => s.name === "smart")?.detail).toBe("fallback(gpt, writer)");
    expect(list.find((s) => s.name === "main")?.children?.map((c) => c.name)).toEqual(["articles"]);
  });
});

describe("code lens", () => {
  const lenses = (u: string) => client.request<CodeLens[]>("textDocument/codeLens", { textDocument: { uri: u } });

  it("shows the plan's requests formula and clients above a graph", async () => {
    const list = await lenses(uri[MAPREDUCE]);
    expect(list).toHaveLength(1);
    expect(list[0].range.start.line).toBe(lineOf(MAPREDUCE, "graph main"));
    expect(list[0].command?.title).toBe("ceil(len(docs) / 20) + 1 requests · clients: davinci, writer · 2 model calls in sequence");
  });

  it("shows a per-element formula, and clients declared in a used module", async () => {
    expect((await lenses(uri[SUPPORT]))[0].command?.title).toBe("2 × len(tickets) requests · clients: gpt, writer · 2 model calls in sequence");
    const scratch = await lenses(uri[SCRATCH]);
    expect(scratch[0].command?.title).toMatch(/^len\(articles\) requests · clients: cheap/);
  });

  it("updates as the graph changes, and says when the program has errors", async () => {
    const source = `client gpt: openai.chat { model: "gpt-4o-mini" }\nprompt p(x: string) """{{ x }}"""\ngraph g(xs: string[]) -> string {\n  gpt(p("a"))\n}\n`;
    const u = client.open("examples/lsp-lens.feste", source);
    expect((await lenses(u))[0].command?.title).toBe("1 request · clients: gpt");
    client.change(u, source.replace('gpt(p("a"))', 'join(for x in xs { gpt(p(x)) }, "")'));
    expect((await lenses(u))[0].command?.title).toBe("len(xs) requests · clients: gpt");
    client.change(u, source.replace('gpt(p("a"))', "gpt(p(y))"));
    expect((await lenses(u))[0].command?.title).toContain("fix the errors");
  });
});
