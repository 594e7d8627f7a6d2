/**
 * How the compiler reaches other files: `use "./x.feste"`, `from "./p.txt"` and extern
 * modules. The caller passes a host (the CLI reads the disk; tests keep files in memory), so
 * the compiler itself never touches the file system. Paths use `/` and are kept as given,
 * relative or absolute, so diagnostics name files the way the user wrote them.
 */
import type { ParseResult } from "./parse.js";

export interface CompilerHost {
  /** The file's text, or undefined when it cannot be read. */
  readFile(path: string): string | undefined;
  fileExists(path: string): boolean;
  /**
   * Parses one `.feste` file in place of `parse`; a long-lived caller (the language server)
   * passes one that reuses the parse of an earlier version of the text. Must give the result
   * `parse` gives.
   */
  parse?(text: string, file: string): Pick<ParseResult, "module" | "diagnostics">;
  /**
   * The names a JavaScript or TypeScript module exports, read without running it; undefined
   * when they cannot be known. Optional: without it, extern exports are checked at run time.
   */
  moduleExports?(path: string): ReadonlySet<string> | undefined;
}

/** A host over a fixed set of files, for tests and tools. */
export function memoryHost(files: Readonly<Record<string, string>>): CompilerHost {
  return {
    readFile: (path) => (Object.prototype.hasOwnProperty.call(files, path) ? files[path] : undefined),
    fileExists: (path) => Object.prototype.hasOwnProperty.call(files, path),
  };
}

/** Whether an import path is explicitly relative (`./` or `../`), the only kind Feste takes. */
export function isRelative(specifier: string): boolean {
  return specifier.startsWith("./") || specifier.startsWith("../");
}

/** Resolves `specifier` against the folder of `fromFile`, normalising `.` and `..`. */
export function resolveRelative(fromFile: string, specifier: string): string {
  const base = fromFile.includes("/") ? fromFile.slice(0, fromFile.lastIndexOf("/")) : "";
  const absolute = fromFile.startsWith("/");
  const parts: string[] = [];
  for (const seg of `${base}/${specifier}`.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === ".." && parts.length > 0 && parts[parts.length - 1] !== "..") parts.pop();
    else if (seg === ".." && absolute) continue;
    else parts.push(seg);
  }
  return (absolute ? "/" : "") + parts.join("/");
}
