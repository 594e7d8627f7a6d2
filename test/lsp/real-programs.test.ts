/**
 * The forms of "Real programs" (DESIGN.md) over the protocol, on the examples that use them:
 * `fold` (refine.feste), `loop` with a constant bound (critic.feste), a tool and an
 * `extern io fn` (agent.feste), `messages` sections and the builtin `Message` (router.feste).
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CodeLens, CompletionItem, DocumentSymbol, Hover, Location } from "vscode-languageserver";
import { ROOT, positionOf, startClient, type LspClient } from "./support/lsp-client.js";

const FILES = ["examples/refine.feste", "examples/critic.feste", "examples/agent.feste", "examples/router.feste"] as const;
type File = (typeof FILES)[number];
const [REFINE, CRITIC, AGENT, ROUTER] = FILES;

let client: LspClient;
const text = {} as Record<File, string>;
const uri = {} as Record<File, string>;

beforeAll(async () => {
  client = await startClient(resolve(ROOT, "examples"));
  for (const f of FILES) {
    text[f] = readFileSync(resolve(ROOT, f), "utf8");
    uri[f] = client.open(f);
  }
  // Every example checks clean: the features below answer from a program without errors.
  for (const f of FILES) expect(await client.waitForDiagnostics(uri[f])).toEqual([]);
});

afterAll(async () => {
  await client?.stop();
});

const at = (file: File, needle: string, shift = 0, n = 0) => client.at(uri[file], positionOf(text[file], needle, shift, n));
const hover = async (file: File, needle: string, shift = 0, n = 0) => {
  const h = await client.request<Hover | null>("textDocument/hover", at(file, needle, shift, n));
  return h ? (h.contents as { value: string }).value : "";
};
const definition = (file: File, needle: string, shift = 0, n = 0) => client.request<Location | null>("textDocument/definition", at(file, needle, shift, n));

describe("fold", () => {
  it("hovers the state and the element inside the body", async () => {
    expect(await hover(REFINE, "t, summary, d)", 3)).toContain("summary: string");
    expect(await hover(REFINE, "summary, d)", 9)).toContain("d: string");
  });

  it("goes from a use in the body to the state and the element it binds", async () => {
    const state = await definition(REFINE, "t, summary, d)", 3);
    expect(state?.uri).toBe(uri[REFINE]);
    expect(state?.range.start).toEqual(positionOf(text[REFINE], "summary = "));
    const element = await definition(REFINE, "summary, d)", 9);
    expect(element?.range.start).toEqual(positionOf(text[REFINE], "d in docs"));
  });

  it("completes the state and the element in the body", async () => {
    const items = await client.request<CompletionItem[]>("textDocument/completion", at(REFINE, "trim(davinci", 4));
    const labels = items.map((i) => i.label);
    expect(labels).toContain("summary");
    expect(labels).toContain("d");
    expect(items.find((i) => i.label === "summary")?.detail).toBe("string");
  });
});

describe("loop", () => {
  it("hovers the state in the condition and in the body, with its record type", async () => {
    expect(await hover(CRITIC, "a.verdict.pass", 0)).toContain("a: Attempt");
    expect(await hover(CRITIC, "improve(t, a)", 11)).toContain("a: Attempt");
    expect(await hover(CRITIC, "a.verdict.pass", 2)).toContain("Attempt.verdict: Verdict");
  });

  it("goes from the state's uses to `loop a` and from the bound to its constant", async () => {
    const state = await definition(CRITIC, "improve(t, a)", 11);
    expect(state?.range.start).toEqual(positionOf(text[CRITIC], "a = first"));
    const bound = await definition(CRITIC, "max rounds", 4);
    expect(bound?.range.start.line).toBe(positionOf(text[CRITIC], "const rounds").line);
  });
});

describe("tools and extern io fn", () => {
  it("hovers a tool name with the extern's signature and its doc", async () => {
    const h = await hover(AGENT, "tools: [search]", 8);
    expect(h).toContain('extern io fn search(query: string) -> Hit[] from "./lib/search.ts"');
    expect(h).toContain("Searches the engineering handbook");
  });

  it("goes from a tool name to its `extern io fn`, and finds it among the references", async () => {
    const loc = await definition(AGENT, "tools: [search]", 8);
    expect(loc?.uri).toBe(uri[AGENT]);
    expect(loc?.range.start.line).toBe(positionOf(text[AGENT], "extern io fn search").line);
    const refs = await client.request<Location[]>("textDocument/references", { ...at(AGENT, "fn search", 3), context: { includeDeclaration: false } });
    expect(refs.map((r) => r.range.start)).toContainEqual(positionOf(text[AGENT], "search]"));
  });

  it("lists the extern as an `extern io fn` symbol", async () => {
    const list = await client.request<DocumentSymbol[]>("textDocument/documentSymbol", { textDocument: { uri: uri[AGENT] } });
    expect(list.map((s) => s.name)).toEqual(["gpt", "search", "Hit", "agent", "main", "search_reads_the_index"]);
    expect(list.find((s) => s.name === "search")?.detail).toBe("extern io fn");
  });
});

describe("messages sections", () => {
  it("hovers the history a `messages` section sends, typed with the builtin Message", async () => {
    expect(await hover(ROUTER, "c.history\n  user", 2)).toContain("Conversation.history: Message[]");
    expect(await hover(ROUTER, "c.history\n  user", 0)).toContain("c: Conversation");
  });

  it("goes from a `messages` section to the field it sends", async () => {
    const loc = await definition(ROUTER, "c.history\n  user", 2, 1);
    expect(loc?.range.start).toEqual(positionOf(text[ROUTER], "history: Message[]"));
  });
});

describe("code lens", () => {
  const lenses = (f: File) => client.request<CodeLens[]>("textDocument/codeLens", { textDocument: { uri: uri[f] } });

  it("shows the plan of a fold, a loop and a tool-calling graph", async () => {
    const refine = await lenses(REFINE);
    expect(refine.map((l) => l.range.start.line)).toEqual([positionOf(text[REFINE], "graph main").line]);
    expect(refine[0].command?.title).toContain("clients: davinci");
    const critic = (await lenses(CRITIC)).map((l) => l.command?.title ?? "");
    expect(critic).toHaveLength(2);
    for (const title of critic) expect(title).toContain("clients: gpt");
    expect((await lenses(AGENT))[0].command?.title).toContain("clients: gpt");
  });
});
