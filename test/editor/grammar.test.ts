/**
 * The TextMate grammar of the VS Code extension (`editors/vscode`): it tokenizes every
 * example and valid parse sample without an `invalid` scope, gives keywords, types, strings,
 * comments and the inside of templates the scopes themes colour, and marks real mistakes.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as oniguruma from "vscode-oniguruma";
import * as textmate from "vscode-textmate";
import { beforeAll, describe, expect, it } from "vitest";
import { root } from "../support/cli.js";

const extension = join(root, "editors", "vscode");
const grammarPath = join(extension, "syntaxes", "feste.tmLanguage.json");
let grammar: textmate.IGrammar;

beforeAll(async () => {
  const wasm = readFileSync(join(root, "node_modules", "vscode-oniguruma", "release", "onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope: string) => (scope === "source.feste" ? textmate.parseRawGrammar(readFileSync(grammarPath, "utf8"), grammarPath) : null),
  });
  grammar = (await registry.loadGrammar("source.feste"))!;
});

interface Token {
  readonly line: number;
  readonly text: string;
  readonly scopes: readonly string[];
}

function tokenize(source: string): Token[] {
  let stack = textmate.INITIAL;
  const out: Token[] = [];
  source.split("\n").forEach((line, i) => {
    const r = grammar.tokenizeLine(line, stack);
    for (const t of r.tokens) out.push({ line: i + 1, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    stack = r.ruleStack;
  });
  return out;
}

/** The scopes of the `nth` token whose text is `text` (after trimming). */
function scopesOf(tokens: readonly Token[], text: string, nth = 0): readonly string[] {
  const found = tokens.filter((t) => t.text.trim() === text);
  expect(found.length, `a token \`${text}\``).toBeGreaterThan(nth);
  return found[nth].scopes;
}

function festeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".feste"))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

describe("the VS Code extension", () => {
  it("has a manifest VS Code can load and vsce can package", () => {
    const manifest = JSON.parse(readFileSync(join(extension, "package.json"), "utf8"));
    expect(manifest).toMatchObject({ name: "feste-vscode", publisher: expect.any(String), engines: { vscode: expect.stringMatching(/^\^1\.\d+\.\d+$/) } });
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.contributes.languages[0]).toMatchObject({ id: "feste", extensions: [".feste"] });
    const [g] = manifest.contributes.grammars;
    expect(g).toMatchObject({ language: "feste", scopeName: "source.feste" });
    expect(JSON.parse(readFileSync(join(extension, g.path), "utf8")).scopeName).toBe("source.feste");
    expect(JSON.parse(readFileSync(join(extension, manifest.contributes.languages[0].configuration), "utf8")).comments.lineComment).toBe("//");
  });

  const files = [...festeFiles(join(root, "examples")), ...festeFiles(join(root, "test", "parse", "samples"))];
  it(`tokenizes ${files.length} programs (the examples and the parse samples) with no invalid scope`, () => {
    expect(files.length).toBeGreaterThan(30);
    for (const file of files) {
      const bad = tokenize(readFileSync(file, "utf8")).filter((t) => t.scopes.some((s) => s.startsWith("invalid")));
      expect(bad.map((t) => `${file}:${t.line}: ${t.text}`)).toEqual([]);
    }
  });

  it("scopes declarations, types, strings and comments in support.feste", () => {
    const tokens = tokenize(readFileSync(join(root, "examples", "support.feste"), "utf8"));
    expect(scopesOf(tokens, "client")).toContain("storage.type.client.feste");
    expect(scopesOf(tokens, "openai")).toContain("support.class.provider.feste");
    expect(scopesOf(tokens, "classify")).toContain("entity.name.function.feste");
    expect(scopesOf(tokens, "Ticket")).toContain("entity.name.type.feste");
    expect(scopesOf(tokens, "int")).toContain("support.type.primitive.feste");
    expect(scopesOf(tokens, "for")).toContain("keyword.control.feste");
    expect(scopesOf(tokens, "let")).toContain("storage.type.let.feste");
    expect(scopesOf(tokens, "system")).toContain("keyword.other.role.feste");
    expect(scopesOf(tokens, "gpt-4o-mini")).toContain("string.quoted.double.feste");
    expect(scopesOf(tokens, "Sorts one ticket into a category. The declared output type makes model calls on this")).toContain("comment.line.documentation.feste");
    expect(scopesOf(tokens, "Urgent tickets and bugs go to a human before the reply is sent.")).toContain("comment.line.double-slash.feste");
  });

  it("marks fold, loop, until and max as keywords only where they start or shape a state form", () => {
    const tokens = tokenize(
      [
        "graph g(xs: string[]) -> int {",
        "  let a = fold acc = 0 for x in xs { acc + len(x) }",
        "  let b = loop s = a until s > 10 max 4 { s + 1 }",
        "  max([a, b])",
        "}",
      ].join("\n"),
    );
    const at = (line: number, text: string) => tokens.find((t) => t.line === line && t.text === text)!.scopes;
    expect(at(2, "fold")).toContain("keyword.control.feste");
    expect(at(3, "loop")).toContain("keyword.control.feste");
    expect(at(3, "until")).toContain("keyword.control.feste");
    expect(at(3, "max")).toContain("keyword.control.feste");
    expect(at(4, "max")).not.toContain("keyword.control.feste");
  });

  it("tokenizes map types, map literals and the map builtins, with keys as strings", () => {
    const tokens = tokenize(
      [
        'const teams = { "billing": "refunds team", "bug": "eng" }',
        "graph g(m: {string: int[]}) -> string[] {",
        '  if has(m, "a") { keys(m) } else { values(teams) }',
        "}",
      ].join("\n"),
    );
    expect(tokens.filter((t) => t.scopes.some((s) => s.startsWith("invalid")))).toEqual([]);
    const at = (line: number, text: string) => tokens.find((t) => t.line === line && t.text === text)!.scopes;
    expect(at(2, "string")).toContain("support.type.primitive.feste");
    expect(at(3, "has")).toContain("support.function.builtin.feste");
    expect(at(3, "keys")).toContain("support.function.builtin.feste");
    expect(at(3, "values")).toContain("support.function.builtin.feste");
    expect(scopesOf(tokens, "billing").some((s) => s.startsWith("string.quoted"))).toBe(true);
  });

  it("highlights expressions and tags inside template strings, and leaves their text a string", () => {
    const source = readFileSync(join(root, "examples", "support.feste"), "utf8");
    const tokens = tokenize(source);
    const line = source.split("\n").findIndex((l) => l.includes("Ticket: {{ ticket }}")) + 1;
    const inside = scopesOf(tokens.filter((t) => t.line === line), "ticket");
    expect(inside).toEqual(expect.arrayContaining(["string.quoted.triple.feste", "meta.template.expression.feste", "variable.other.feste"]));
    expect(scopesOf(tokens, "{{")).toContain("punctuation.section.interpolation.begin.feste");
    expect(scopesOf(tokens, "-%}")).toContain("punctuation.section.tag.end.feste");
    const tag = tokens.find((t) => t.text === "if" && t.scopes.includes("meta.template.tag.feste"));
    expect(tag?.scopes).toContain("keyword.control.template.feste");
    expect(scopesOf(tokens, ">=")).toContain("keyword.operator.feste");
    expect(scopesOf(tokens, "none")).toEqual(expect.arrayContaining(["meta.template.expression.feste", "string.quoted.double.feste"]));
    const text = tokens.find((t) => t.text.includes("Apologise for the delay"))!;
    expect(text.scopes).toContain("string.quoted.triple.feste");
    expect(text.scopes).not.toContain("meta.template.expression.feste");
  });

  it("scopes filters, template comments and escapes", () => {
    const tokens = tokenize('prompt p(xs: string[]) """\n  {# a note #}{{ xs | join(", ") }}\\n\n  """\nconst tab = "a\\tb"\n');
    expect(scopesOf(tokens, "join")).toContain("support.function.filter.feste");
    expect(scopesOf(tokens, "a note")).toContain("comment.block.template.feste");
    expect(scopesOf(tokens, "\\t")).toContain("constant.character.escape.feste");
  });

  it("marks characters that start no token, unknown escapes and unclosed strings as invalid", () => {
    const invalid = (source: string) => tokenize(source).filter((t) => t.scopes.some((s) => s.startsWith("invalid"))).map((t) => t.text);
    expect(invalid("graph g() -> int { 1 @ 2 }")).toEqual(["@"]);
    expect(invalid('const s = "a\\qb"')).toEqual(["\\q"]);
    expect(invalid('const s = "abc')).toEqual(["c"]);
    expect(invalid('const s = "abc"')).toEqual([]);
  });
});
