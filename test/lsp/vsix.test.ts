/**
 * `npm run package:vscode` makes an installable .vsix, offline: the manifest, the TextMate
 * grammar, and the bundled client that starts `feste lsp --stdio` from the installed feste
 * package. The package is built into a temporary folder and its contents listed with unzip.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./support/lsp-client.js";

const dir = mkdtempSync(join(tmpdir(), "feste-vsix-"));
const vsix = join(dir, "feste.vsix");
let entries: string[] = [];
const read = (entry: string) => execFileSync("unzip", ["-p", vsix, entry], { encoding: "utf8", maxBuffer: 16 << 20 });

beforeAll(() => {
  execFileSync(process.execPath, [resolve(ROOT, "node_modules/tsx/dist/cli.mjs"), "scripts/package-vscode.ts", "--out", vsix], { cwd: ROOT, stdio: "pipe" });
  entries = execFileSync("unzip", ["-Z1", vsix], { encoding: "utf8" }).trim().split("\n");
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("the VS Code extension package", () => {
  it("holds the manifest, the grammar, the language configuration and the client", () => {
    expect(entries).toEqual(
      expect.arrayContaining([
        "extension.vsixmanifest",
        "extension/package.json",
        "extension/syntaxes/feste.tmLanguage.json",
        "extension/language-configuration.json",
        "extension/out/extension.js",
      ]),
    );
    expect(entries.some((e) => e.startsWith("extension/src/") || e.startsWith("extension/node_modules/"))).toBe(false);
  });

  it("declares the language, its grammar and the client as the entry point", () => {
    const manifest = JSON.parse(read("extension/package.json")) as {
      main: string;
      activationEvents: string[];
      contributes: { grammars: { path: string; scopeName: string }[]; languages: { id: string; extensions: string[] }[] };
    };
    expect(manifest.main).toBe("./out/extension.js");
    expect(manifest.activationEvents).toContain("onLanguage:feste");
    expect(manifest.contributes.languages[0].extensions).toEqual([".feste"]);
    expect(manifest.contributes.grammars[0].scopeName).toBe("source.feste");
    expect(entries).toContain(`extension/${manifest.contributes.grammars[0].path.replace(/^\.\//, "")}`);
  });

  it("bundles vscode-languageclient and starts the server from the installed feste package", () => {
    const client = read("extension/out/extension.js");
    // The language client itself is inside: the package needs no node_modules.
    expect(client).toContain("textDocument/publishDiagnostics");
    expect(client).toContain('"lsp","--stdio"');
    expect(client).toContain('"node_modules",".bin"');
    expect(client).toContain("feste/explain");
  });
});
