/**
 * Open documents come from the editor's memory, never from disk: an unsaved edit to a used
 * module reaches the files that use it at once (they are re-checked), and closing the
 * module's editor brings back what the disk holds.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { CodeLens } from "vscode-languageserver";
import { ROOT, startClient, type LspClient } from "./support/lsp-client.js";

const COMMON = "examples/shared/common.feste";
const PIPELINE = "examples/pipeline.feste";
let client: LspClient;
const scratch = mkdtempSync(join(tmpdir(), "feste-lsp-"));

beforeAll(async () => {
  client = await startClient(resolve(ROOT, "examples"));
});

afterAll(async () => {
  await client?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

it("checks a file against the unsaved text of the module it uses", async () => {
  const pipeline = client.open(PIPELINE);
  expect(await client.waitForDiagnostics(pipeline)).toEqual([]);
  const disk = readFileSync(resolve(ROOT, COMMON), "utf8");
  // In the editor only: the prompt `headline` is renamed, the file on disk is unchanged.
  const common = client.open(COMMON, disk.replace("prompt headline(", "prompt title_for("));
  const broken = await client.waitForDiagnostics(pipeline, (d) => d.length > 0);
  expect(broken.map((d) => d.code)).toContain("FE2047");
  expect(broken.find((d) => d.code === "FE2047")?.message).toContain("unknown function `headline`");
  // Typing the old name back in the module's editor clears the user's file.
  client.change(common, disk);
  expect(await client.waitForDiagnostics(pipeline, (d) => d.length === 0)).toEqual([]);
  // A module broken in the editor is reported in its own file and through the user's.
  client.change(common, disk.replace("type Article {", "type Article {\n  title: string"));
  const own = await client.waitForDiagnostics(common, (d) => d.some((x) => x.code === "FE2016"));
  expect(own.filter((d) => d.code === "FE2016")).toHaveLength(1);
  // Closed, the module is read from disk again.
  await client.connection.sendNotification("textDocument/didClose", { textDocument: { uri: common } });
  client.change(pipeline, readFileSync(resolve(ROOT, PIPELINE), "utf8"));
  expect(await client.waitForDiagnostics(pipeline, (d) => d.length === 0)).toEqual([]);
  expect(await client.waitForDiagnostics(common, (d) => d.length === 0)).toEqual([]);
});

it("re-checks open files when a module they use changes on disk", async () => {
  const lib = join(scratch, "lib.feste");
  writeFileSync(lib, 'const greeting = "hello"\n');
  const main = client.open(pathToFileURL(join(scratch, "main.feste")).href, 'use "./lib.feste"\nprompt p() """{{ greeting }}"""\n');
  expect(await client.waitForDiagnostics(main)).toEqual([]);
  writeFileSync(lib, 'const salutation = "hello"\n');
  await client.connection.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: pathToFileURL(lib).href, type: 2 }] });
  const after = await client.waitForDiagnostics(main, (d) => d.length > 0);
  expect(after.map((d) => d.code)).toEqual(["FE2003"]);
});

it("updates the plan lens of a file when a module it uses changes, and tells the editor to ask again", async () => {
  const lensClient = await startClient(scratch, { workspace: { codeLens: { refreshSupport: true } } });
  try {
    let refreshes = 0;
    let refreshed: () => void = () => undefined;
    lensClient.connection.onRequest("workspace/codeLens/refresh", () => {
      refreshes++;
      refreshed();
      return null;
    });
    const nextRefresh = () => new Promise<void>((resolve) => (refreshed = resolve));
    const twice = 'client gpt: openai.chat { model: "gpt-4o-mini" }\nprompt p(x: string) """{{ x }}"""\ngraph twice(x: string) -> string {\n  gpt(p(gpt(p(x))))\n}\n';
    writeFileSync(join(scratch, "steps.feste"), twice);
    const main = lensClient.open(pathToFileURL(join(scratch, "plan.feste")).href, 'use "./steps.feste"\n\ngraph g(xs: string[]) -> string[] {\n  for x in xs { twice(x) }\n}\n');
    const lib = lensClient.open(pathToFileURL(join(scratch, "steps.feste")).href, twice);
    expect(await lensClient.waitForDiagnostics(main)).toEqual([]);
    const title = async () => (await lensClient.request<CodeLens[]>("textDocument/codeLens", { textDocument: { uri: main } }))[0].command?.title;
    expect(await title()).toBe("2 × len(xs) requests · clients: gpt · 2 model calls in sequence");
    // An unsaved edit of the module: one call instead of two.
    let refresh = nextRefresh();
    lensClient.change(lib, twice.replace("gpt(p(gpt(p(x))))", "gpt(p(x))"));
    await refresh;
    expect(await title()).toBe("len(xs) requests · clients: gpt");
    // The module breaks the user's file: its diagnostics and its lens say so.
    refresh = nextRefresh();
    lensClient.change(lib, twice.replace("graph twice(", "graph thrice("));
    await refresh;
    expect((await lensClient.waitForDiagnostics(main, (d) => d.length > 0)).map((d) => d.code)).toContain("FE2047");
    expect(await title()).toContain("fix the errors");
    expect(refreshes).toBeGreaterThanOrEqual(2);
  } finally {
    await lensClient.stop();
  }
});
