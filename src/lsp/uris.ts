/** Document URIs to the paths the compiler uses, and back. Only `file:` URIs name files. */
import { fileURLToPath, pathToFileURL } from "node:url";

/** The file path of a `file:` URI, or undefined for other schemes (untitled buffers). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith("file:")) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function pathToUri(path: string): string {
  return pathToFileURL(path).href;
}
