/** `file:line` of a span, for plans and pictures; each file's line index is built once. */
import { LineIndex, type Span } from "../diagnostics/index.js";

export function lineLocator(sources: ReadonlyMap<string, string>): (span: Span | undefined) => { file: string; line: number } | undefined {
  const indexes = new Map<string, LineIndex>();
  return (span) => {
    if (!span) return undefined;
    const text = sources.get(span.file);
    if (text === undefined) return undefined;
    let idx = indexes.get(span.file);
    if (!idx) indexes.set(span.file, (idx = new LineIndex(text)));
    return { file: span.file, line: idx.position(span.start).line };
  };
}
