/**
 * Diagnostics over the protocol equal `feste check --json`: every error sample and every
 * example is opened in one server, and for every file the check reports on, the published
 * diagnostics have the same codes, ranges and severities, in the same order.
 */
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, ROOT, startClient, uriOf, type LspClient } from "./support/lsp-client.js";

interface JsonDiagnostic {
  code: string;
  severity: string;
  span: { file: string; line: number; column: number; endLine: number; endColumn: number };
}

const SAMPLES = "test/errors/samples";
// Sample folders only: `.feste-test-skip` marks the folder for `feste test`, it is no sample.
const samples = readdirSync(resolve(ROOT, SAMPLES)).filter((s) => !s.startsWith(".")).sort();
const examples = readdirSync(resolve(ROOT, "examples")).filter((f) => f.endsWith(".feste")).map((f) => `examples/${f}`);

/** `feste check --json` on every file at once, as the CLI prints it, grouped by the file each diagnostic is in. */
function checkJson(files: string[]): Map<string, { code: string; severity: number; range: string }[]> {
  let out: string;
  try {
    out = execFileSync(process.execPath, [CLI, "check", "--json", ...files], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 });
  } catch (e) {
    out = (e as { stdout: string }).stdout;
  }
  const byFile = new Map<string, { code: string; severity: number; range: string }[]>();
  const seen = new Set<string>();
  for (const entry of JSON.parse(out) as { diagnostics: JsonDiagnostic[] }[]) {
    for (const d of entry.diagnostics) {
      const uri = uriOf(d.span.file);
      const range = `${d.span.line - 1}:${d.span.column - 1}-${d.span.endLine - 1}:${d.span.endColumn - 1}`;
      // A module used by several roots is reported by each; a file shows each problem once.
      const key = `${uri}|${d.code}|${range}|${JSON.stringify(d)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const list = byFile.get(uri) ?? [];
      list.push({ code: d.code, severity: d.severity === "error" ? 1 : 2, range });
      byFile.set(uri, list);
    }
  }
  return byFile;
}

let client: LspClient;
let expected: Map<string, { code: string; severity: number; range: string }[]>;

beforeAll(async () => {
  const roots = [...samples.map((s) => join(SAMPLES, s, "input.feste")), ...examples];
  expected = checkJson(roots);
  client = await startClient();
  for (const r of roots) client.open(r);
});

afterAll(async () => {
  await client?.stop();
});

describe("diagnostics over LSP equal feste check --json", () => {
  it.each(samples)("%s", async (sample) => {
    const input = uriOf(join(SAMPLES, sample, "input.feste"));
    await client.waitForDiagnostics(input);
    const files = [...expected.keys()].filter((u) => u.includes(`/${sample}/`));
    expect(files.length, "the sample has diagnostics").toBeGreaterThan(0);
    for (const uri of files) {
      const published = await client.waitForDiagnostics(uri);
      const got = published.map((d) => ({
        code: String(d.code),
        severity: d.severity,
        range: `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`,
      }));
      expect(got, uri).toEqual(expected.get(uri));
    }
  });

  it.each(examples)("%s is clean, like feste check says", async (example) => {
    const published = await client.waitForDiagnostics(uriOf(example));
    expect(published.map((d) => d.code)).toEqual((expected.get(uriOf(example)) ?? []).map((d) => d.code));
  });

  it("links each code to its explanation and says how to fix it", async () => {
    const published = await client.waitForDiagnostics(uriOf(join(SAMPLES, samples[0], "input.feste")));
    expect(published[0].codeDescription?.href).toBe(`feste-explain:${published[0].code}`);
    expect(published[0].message).toMatch(/\nhelp: /);
    const text = await client.request<string>("feste/explain", published[0].code);
    expect(text).toContain(String(published[0].code));
  });
});
