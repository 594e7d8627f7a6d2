/**
 * `feste lsp`: the language server. Open documents live in memory; each is checked as a
 * root a short while after it stops changing, together with the open documents that `use`
 * it, and the diagnostics are published per file. Every feature answers from the same
 * cached check (see `workspace.ts`); one file per capability.
 */
import {
  CodeActionKind, CodeLensRefreshRequest, TextDocumentSyncKind, TextDocuments, type Connection, type InitializeResult, type Position,
} from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import { lookupCode } from "../diagnostics/index.js";
import { codeActions } from "./code-actions.js";
import { codeLenses } from "./code-lens.js";
import { completion } from "./completion.js";
import { DiagnosticOwners, toLspDiagnostic } from "./diagnostics.js";
import { documentSymbols } from "./document-symbols.js";
import { formatDocument } from "./formatting.js";
import { hover } from "./hover.js";
import { definition, references } from "./navigation.js";
import { prepareRename, rename } from "./rename.js";
import { TextPositions } from "./text-positions.js";
import { uriToPath } from "./uris.js";
import { Workspace, type DiskAccess } from "./workspace.js";

export interface ServerOptions {
  /** How long a document must stay unchanged before it is checked (default 10 ms; counted in the latency the user sees). */
  readonly debounceMs?: number;
}

/** The request that returns `feste explain CODE`'s text, for the extension's explain pages. */
export const EXPLAIN_REQUEST = "feste/explain";

export function startServer(connection: Connection, disk: DiskAccess, options: ServerOptions = {}): void {
  const ws = new Workspace(disk);
  const documents = new TextDocuments(TextDocument);
  const owners = new DiagnosticOwners();
  const timers = new Map<string, NodeJS.Timeout>();
  const debounce = options.debounceMs ?? 10;
  /** Roots re-checked because a module they use changed: their lenses changed with no edit of their own. */
  const lensesStale = new Set<string>();
  let canRefreshLenses = false;

  const publish = (file: string) => {
    const text = ws.text(file);
    if (text === undefined) return;
    const cache = new Map<string, TextPositions>();
    const positionsOf = (f: string) => {
      if (!cache.has(f)) {
        const t = ws.text(f);
        if (t !== undefined) cache.set(f, new TextPositions(t));
      }
      return cache.get(f);
    };
    const diagnostics = owners.of(file).map((d) => toLspDiagnostic(d, positionsOf(file)!, positionsOf, (f) => ws.uri(f)));
    const version = documents.get(ws.uri(file))?.version;
    void connection.sendDiagnostics({ uri: ws.uri(file), ...(version !== undefined ? { version } : {}), diagnostics });
  };

  const checkNow = (root: string) => {
    timers.delete(root);
    if (!ws.isOpen(root)) return;
    try {
      const result = ws.check(root);
      if (result) for (const f of owners.set(root, result.diagnostics)) publish(f);
      // The editor asks for the lenses of a document it edits; for the others it must be told.
      if (lensesStale.delete(root) && canRefreshLenses) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    } catch (e) {
      connection.console.error(`feste: checking ${root} failed: ${(e as Error).stack ?? e}`);
    }
  };

  const schedule = (root: string, dependent = false) => {
    if (dependent) lensesStale.add(root);
    clearTimeout(timers.get(root));
    timers.set(root, setTimeout(() => checkNow(root), debounce));
  };

  /** Runs a request handler at a position of a file; a handler that throws answers the request with an error (vscode-jsonrpc's doing). */
  const at = <T>(uri: string, position: Position | undefined, run: (file: string, offset: number) => T, empty: T): T => {
    const file = uriToPath(uri);
    if (file === undefined) return empty;
    const doc = documents.get(uri);
    const text = ws.text(file);
    if (text === undefined) return empty;
    const offset = position ? (doc ? doc.offsetAt(position) : new TextPositions(text).offset(position)) : 0;
    return run(file, offset);
  };

  connection.onInitialize((params): InitializeResult => {
    canRefreshLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    for (const f of params.workspaceFolders ?? []) {
      const p = uriToPath(f.uri);
      if (p) ws.folders.push(p);
    }
    if (ws.folders.length === 0 && params.rootUri) {
      const p = uriToPath(params.rootUri);
      if (p) ws.folders.push(p);
    }
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        completionProvider: { triggerCharacters: [".", "{", "%", " "] },
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        documentSymbolProvider: true,
        codeLensProvider: { resolveProvider: false },
      },
      serverInfo: { name: "feste" },
    };
  });

  documents.onDidChangeContent(({ document }) => {
    const path = ws.update(document);
    if (path === undefined) return;
    schedule(path);
    for (const d of ws.dependents(path)) schedule(d, true);
  });

  documents.onDidClose(({ document }) => {
    const path = ws.close(document.uri);
    if (path === undefined) return;
    clearTimeout(timers.get(path));
    timers.delete(path);
    lensesStale.delete(path);
    for (const f of owners.remove(path)) {
      if (f === path && !ws.isOpen(f)) void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
      else publish(f);
    }
    for (const d of ws.openPaths()) schedule(d, true);
  });

  // The client watches `*.feste` files (the extension asks it to): a used module saved or changed on disk.
  connection.onDidChangeWatchedFiles(() => {
    ws.diskChanged();
    for (const d of ws.openPaths()) schedule(d, true);
  });

  connection.onHover((p) => at(p.textDocument.uri, p.position, (f, o) => hover(ws, f, o), null));
  connection.onDefinition((p) => at(p.textDocument.uri, p.position, (f, o) => definition(ws, f, o), null));
  connection.onReferences((p) => at(p.textDocument.uri, p.position, (f, o) => references(ws, f, o, p.context.includeDeclaration), []));
  connection.onPrepareRename((p) => at(p.textDocument.uri, p.position, (f, o) => prepareRename(ws, f, o), null));
  connection.onRenameRequest((p) => at(p.textDocument.uri, p.position, (f, o) => rename(ws, f, o, p.newName), null));
  connection.onCompletion((p) => at(p.textDocument.uri, p.position, (f, o) => completion(ws, f, o), []));
  connection.onDocumentFormatting((p) => at(p.textDocument.uri, undefined, (f) => formatDocument(ws, f), []));
  connection.onCodeAction((p) => at(p.textDocument.uri, undefined, (f) => codeActions(ws, f, p.range, owners.of(f)), []));
  connection.onDocumentSymbol((p) => at(p.textDocument.uri, undefined, (f) => documentSymbols(ws, f), []));
  connection.onCodeLens((p) => at(p.textDocument.uri, undefined, (f) => codeLenses(ws, f), []));
  connection.onRequest(EXPLAIN_REQUEST, (code: string) => {
    const e = lookupCode(String(code));
    return e ? `${e.code} (${e.severity}): ${e.title}\n\n${e.explanation}\n` : null;
  });
  connection.onShutdown(() => {
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
    lensesStale.clear();
  });

  documents.listen(connection);
  connection.listen();
}
