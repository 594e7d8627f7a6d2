/**
 * 200 random edits to examples/support.feste, sent as ranged changes the way an editor
 * sends keystrokes and pastes, many leaving the file broken. The server answers requests
 * throughout, logs no failure, and its final diagnostics equal `feste check --json` on the
 * final text.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, expect, it } from "vitest";
import { CLI, ROOT, startClient, type LspClient } from "./support/lsp-client.js";
import { random } from "./support/random.js";

const SUPPORT = "examples/support.feste";
/** Beside the original, so `use`s and paths resolve the same; a dot file, so no folder scan lists it. */
const FINAL = `examples/.lsp-random-edits-${process.pid}.feste`;

const SNIPPETS = ["{", "}", "(", ")", '"', '"""', "{{ ", " }}", "{% if x %}", "{% endfor %}", "let y = ", "label.", "Category.", "t.", "\n", " ", "gpt(", "for x in tickets { x }", "Ticket {", ",", "-> int", "é", "0", "// note\n", "prompt", "graph"];

let client: LspClient | undefined;

afterAll(async () => {
  await client?.stop();
  rmSync(resolve(ROOT, FINAL), { force: true });
});

it("survives 200 random edits and ends with feste check's diagnostics", async () => {
  client = await startClient(resolve(ROOT, "examples"));
  let text = readFileSync(resolve(ROOT, SUPPORT), "utf8");
  const original = text;
  const uri = client.open(SUPPORT, text);
  await client.waitForDiagnostics(uri);
  const next = random(19);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
  const position = (offset: number) => {
    const before = text.slice(0, offset);
    return { line: before.split("\n").length - 1, character: offset - (before.lastIndexOf("\n") + 1) };
  };
  let version = 1;
  let broken = 0;
  for (let i = 0; i < 200; i++) {
    const start = Math.floor(next() * (text.length + 1));
    const kind = next();
    const end = kind < 0.4 ? start : Math.min(text.length, start + 1 + Math.floor(next() * 20));
    const at = Math.floor(next() * original.length);
    const insert = kind < 0.4 || kind > 0.8 ? pick(SNIPPETS) : kind > 0.6 ? original.slice(at, at + Math.floor(next() * 40)) : "";
    version = client.change(uri, { range: { start: position(start), end: position(end) }, text: insert });
    text = text.slice(0, start) + insert + text.slice(end);
    // Now and then the editor asks for something while the server is still checking.
    if (i % 10 === 0) {
      const p = position(Math.floor(next() * text.length));
      await client.request("textDocument/hover", client.at(uri, p));
      await client.request("textDocument/completion", client.at(uri, p));
      await client.request("textDocument/codeLens", { textDocument: { uri } });
    }
    if (i % 25 === 0) {
      const d = await client.waitForDiagnostics(uri, () => client!.versions.get(uri) === version);
      if (d.some((x) => x.severity === 1)) broken++;
    }
  }
  const final = await client.waitForDiagnostics(uri, () => client!.versions.get(uri) === version);
  expect(broken, "some of the edits leave the file broken").toBeGreaterThan(0);
  expect(client.process.exitCode).toBeNull();
  expect(client.errors).toEqual([]);

  writeFileSync(resolve(ROOT, FINAL), text);
  let out: string;
  try {
    out = execFileSync(process.execPath, [CLI, "check", "--json", FINAL], { cwd: ROOT, encoding: "utf8" });
  } catch (e) {
    out = (e as { stdout: string }).stdout;
  }
  const expected = (JSON.parse(out) as { diagnostics: { code: string; severity: string; message: string; span: { file: string; line: number; column: number; endLine: number; endColumn: number } }[] }[])[0].diagnostics
    .filter((d) => d.span.file === FINAL)
    .map((d) => `${d.code} ${d.severity === "error" ? 1 : 2} ${d.span.line - 1}:${d.span.column - 1}-${d.span.endLine - 1}:${d.span.endColumn - 1} ${d.message}`);
  const got = final.map((d) => `${d.code} ${d.severity} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${String(d.message).split("\n")[0]}`);
  expect(got).toEqual(expected);
});
