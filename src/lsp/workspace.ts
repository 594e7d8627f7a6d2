/**
 * The server's view of the files: documents the editor holds open (their text in memory,
 * never read from disk) over the files on disk. Every check goes through `host`, so a
 * module `use`d by an open document is read from the editor's buffer when it is open.
 * Results are cached per root file until any open document changes; parses are cached per
 * file and redone only around an edit (see `incremental-parse.ts`), so a keystroke re-parses
 * one declaration and the modules it uses not at all.
 */
import type { TextDocument } from "vscode-languageserver-textdocument";
import { checkFile, type CheckResult, type CompileResult } from "../compile.js";
import type { CompilerHost } from "../phases/1-parse/index.js";
import { lower } from "../phases/3-lower/index.js";
import { optimize } from "../phases/4-optimize/index.js";
import { ParseCache } from "./incremental-parse.js";
import { pathToUri, uriToPath } from "./uris.js";

/** How the server reaches the disk; the CLI passes the real file system. */
export interface DiskAccess extends CompilerHost {
  /** Every `.feste` file under a folder, for references and rename across a workspace. */
  festeFilesUnder(dir: string): string[];
}

interface Cached<T> {
  readonly generation: number;
  readonly value: T;
}

export class Workspace {
  private readonly open = new Map<string, TextDocument>();
  private generation = 0;
  private readonly checks = new Map<string, Cached<CheckResult>>();
  private readonly compiles = new Map<string, Cached<CompileResult>>();
  /** The last result of each root that parsed, for features that need an AST while the text is broken. */
  private readonly lastParsed = new Map<string, CheckResult>();
  private readonly parses = new ParseCache();
  readonly folders: string[] = [];

  constructor(private readonly disk: DiskAccess) {}

  /** Reads open documents from memory, everything else from disk. */
  readonly host: CompilerHost = {
    readFile: (path) => this.open.get(path)?.getText() ?? this.disk.readFile(path),
    fileExists: (path) => this.open.has(path) || this.disk.fileExists(path),
    parse: this.parses.parse,
    // Extern modules are TypeScript, never documents this server holds: their exports come from disk.
    moduleExports: (path) => this.disk.moduleExports?.(path),
  };

  /** Records an opened or changed document; returns its path (undefined for non-file URIs). */
  update(doc: TextDocument): string | undefined {
    const path = uriToPath(doc.uri);
    if (path === undefined) return undefined;
    this.open.set(path, doc);
    this.generation++;
    return path;
  }

  close(uri: string): string | undefined {
    const path = uriToPath(uri);
    if (path === undefined) return undefined;
    this.open.delete(path);
    this.checks.delete(path);
    this.compiles.delete(path);
    this.lastParsed.delete(path);
    this.generation++;
    return path;
  }

  /** Files changed on disk: every cached check may have read one of them. */
  diskChanged(): void {
    this.generation++;
  }

  isOpen(path: string): boolean {
    return this.open.has(path);
  }

  openPaths(): string[] {
    return [...this.open.keys()].sort();
  }

  text(path: string): string | undefined {
    return this.host.readFile(path);
  }

  uri(path: string): string {
    return this.open.get(path)?.uri ?? pathToUri(path);
  }

  /** Phases 1 and 2 with `path` as the root, cached until a document changes. */
  check(path: string): CheckResult | undefined {
    const hit = this.checks.get(path);
    if (hit?.generation === this.generation) return hit.value;
    const text = this.host.readFile(path);
    if (text === undefined) return undefined;
    const value = checkFile(path, this.host, text);
    this.checks.set(path, { generation: this.generation, value });
    if (value.checked) this.lastParsed.set(path, value);
    return value;
  }

  /** The latest result of `path` that got as far as the checker, possibly older than the text. */
  lastChecked(path: string): CheckResult | undefined {
    const now = this.check(path);
    return now?.checked ? now : this.lastParsed.get(path);
  }

  /** Phases 1 to 4, for the plan lens: lowers and optimizes the cached check; cached like it. */
  compile(path: string): CompileResult | undefined {
    const hit = this.compiles.get(path);
    if (hit?.generation === this.generation) return hit.value;
    const checked = this.check(path);
    if (checked === undefined) return undefined;
    let value: CompileResult = checked;
    if (checked.ok && checked.checked) {
      const lowered = lower(checked.checked);
      value = { ...checked, lowered, optimized: optimize(lowered) };
    }
    this.compiles.set(path, { generation: this.generation, value });
    return value;
  }

  /** Open documents whose last check read `file`: they are re-checked when it changes. */
  dependents(file: string): string[] {
    return this.openPaths().filter((p) => p !== file && this.checks.get(p)?.value.program.sources.has(file));
  }

  /** Root files whose programs may mention a declaration: open documents and the workspace's files. */
  roots(): string[] {
    const all = new Set(this.openPaths());
    for (const dir of this.folders) for (const f of this.disk.festeFilesUnder(dir)) all.add(f);
    return [...all].sort();
  }
}
