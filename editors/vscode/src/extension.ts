/**
 * The Feste extension's client: starts `feste lsp --stdio` from the installed feste package
 * (the workspace's node_modules/.bin/feste, else `feste` on the PATH, or the path in the
 * `feste.server.path` setting) and connects it to VS Code through vscode-languageclient.
 * It also shows `feste explain CODE` pages, which the codes of diagnostics link to.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";

/** The scheme of the links on diagnostic codes (see src/lsp/diagnostics.ts). */
const EXPLAIN_SCHEME = "feste-explain";

let client: LanguageClient | undefined;

/** The feste executable: the setting, the workspace's installed package, or the PATH. */
function festeCommand(): string {
  const configured = vscode.workspace.getConfiguration("feste").get<string>("server.path");
  if (configured) return configured;
  const bin = process.platform === "win32" ? "feste.cmd" : "feste";
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const local = join(folder.uri.fsPath, "node_modules", ".bin", bin);
    if (existsSync(local)) return local;
  }
  return bin;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const command = festeCommand();
  const run = { command, args: ["lsp", "--stdio"], transport: TransportKind.stdio, options: { shell: process.platform === "win32" } };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: "file", language: "feste" }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.feste") },
  };
  client = new LanguageClient("feste", "Feste", serverOptions, clientOptions);
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, {
      provideTextDocumentContent: async (uri) => ((await client?.sendRequest<string | null>("feste/explain", uri.path)) ?? `no explanation for ${uri.path}`),
    }),
  );
  try {
    await client.start();
  } catch (e) {
    void vscode.window.showErrorMessage(`Feste: could not start \`${command} lsp --stdio\` (${(e as Error).message}). Install feste in this workspace (npm install feste) or set feste.server.path.`);
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
