/**
 * A real LSP client for tests: starts `node dist/cli/main.js lsp --stdio` as a child
 * process and talks to it through vscode-jsonrpc's stream connection (Content-Length
 * framing, requests, notifications), never hand-written framing. `stop` ends the process by
 * its pid; call it in `afterAll` so it also runs when a test fails.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node";
import type { ClientCapabilities, Diagnostic, InitializeResult, Position, PublishDiagnosticsParams, Range } from "vscode-languageserver";

export const ROOT = resolve(fileURLToPath(import.meta.url), "../../../..");
export const CLI = resolve(ROOT, "dist/cli/main.js");

export const uriOf = (path: string) => pathToFileURL(resolve(ROOT, path)).href;

export interface LspClient {
  readonly connection: MessageConnection;
  readonly process: ChildProcess;
  readonly initialize: InitializeResult;
  /** The latest diagnostics published for each URI, and the document version they are for. */
  readonly diagnostics: Map<string, Diagnostic[]>;
  readonly versions: Map<string, number | undefined>;
  /** Error messages the server logged (a check that threw). */
  readonly errors: string[];
  open(path: string, text?: string): string;
  /** Sends a change (the whole text, or a range and its new text) and returns the document's new version. */
  change(uri: string, change: string | { range: Range; text: string }): number;
  /** Resolves with the next diagnostics published for `uri` that satisfy `ok` (default: any), or the latest if they already do. */
  waitForDiagnostics(uri: string, ok?: (d: Diagnostic[]) => boolean, fresh?: boolean): Promise<Diagnostic[]>;
  request<T>(method: string, params: unknown): Promise<T>;
  at(uri: string, position: Position): { textDocument: { uri: string }; position: Position };
  stop(): Promise<void>;
}

export async function startClient(workspace = ROOT, capabilities: ClientCapabilities = {}): Promise<LspClient> {
  const child = spawn(process.execPath, [CLI, "lsp", "--stdio"], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (b: Buffer) => (stderr += b.toString()));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const diagnostics = new Map<string, Diagnostic[]>();
  const published = new Map<string, number | undefined>();
  const errors: string[] = [];
  connection.onNotification("window/logMessage", (p: { type: number; message: string }) => {
    if (p.type === 1) errors.push(p.message);
  });
  const waiters: { uri: string; ok: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }[] = [];
  connection.onNotification("textDocument/publishDiagnostics", (p: PublishDiagnosticsParams) => {
    diagnostics.set(p.uri, p.diagnostics);
    published.set(p.uri, p.version);
    for (const w of [...waiters]) {
      if (w.uri === p.uri && w.ok(p.diagnostics)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p.diagnostics);
      }
    }
  });
  connection.listen();
  const versions = new Map<string, number>();
  const stop = async () => {
    if (child.exitCode === null && child.pid !== undefined) {
      try {
        process.kill(child.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    connection.dispose();
  };
  try {
    const initialize = await connection.sendRequest<InitializeResult>("initialize", {
      processId: process.pid,
      rootUri: pathToFileURL(workspace).href,
      workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: "feste" }],
      capabilities,
    });
    await connection.sendNotification("initialized", {});
    return {
      connection,
      process: child,
      initialize,
      diagnostics,
      versions: published,
      errors,
      open(path, text) {
        const uri = path.startsWith("file:") ? path : uriOf(path);
        versions.set(uri, 1);
        void connection.sendNotification("textDocument/didOpen", {
          textDocument: { uri, languageId: "feste", version: 1, text: text ?? readFileSync(resolve(ROOT, path), "utf8") },
        });
        return uri;
      },
      change(uri, change) {
        const version = (versions.get(uri) ?? 1) + 1;
        versions.set(uri, version);
        const contentChanges = [typeof change === "string" ? { text: change } : change];
        void connection.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges });
        return version;
      },
      waitForDiagnostics(uri, ok = () => true, fresh = false) {
        const now = diagnostics.get(uri);
        if (!fresh && now && ok(now)) return Promise.resolve(now);
        return new Promise((resolveWait, reject) => {
          const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within 20 s; server stderr: ${stderr}`)), 20_000);
          waiters.push({ uri, ok, resolve: (d) => (clearTimeout(timer), resolveWait(d)) });
        });
      },
      request: (method, params) => connection.sendRequest(method, params),
      at: (uri, position) => ({ textDocument: { uri }, position }),
      stop,
    };
  } catch (e) {
    await stop();
    throw new Error(`the server did not start: ${(e as Error).message}; stderr: ${stderr}`);
  }
}

/** The 0-based position of the `n`th (default first) occurrence of `needle` in `text`, plus `shift` characters. */
export function positionOf(text: string, needle: string, shift = 0, n = 0): Position {
  let at = -1;
  for (let i = 0; i <= n; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`\`${needle}\` not found`);
  }
  const offset = at + shift;
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  return { line, character: offset - (before.lastIndexOf("\n") + 1) };
}
