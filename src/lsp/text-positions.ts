/**
 * LSP positions (0-based line, UTF-16 character) to and from the compiler's 0-based,
 * end-exclusive offsets. Both count UTF-16 units, so no re-encoding is needed; the line
 * table is the diagnostics renderer's.
 */
import type { Position, Range } from "vscode-languageserver";
import { LineIndex, type Span } from "../diagnostics/index.js";

/** Line starts of one text, computed once per text. */
export class TextPositions {
  private readonly index: LineIndex;

  constructor(readonly text: string) {
    this.index = new LineIndex(text);
  }

  position(offset: number): Position {
    const p = this.index.position(Math.max(0, Math.min(offset, this.text.length)));
    return { line: p.line - 1, character: p.column - 1 };
  }

  offset(p: Position): number {
    return this.index.offset(p.line + 1, p.character + 1);
  }

  range(span: Pick<Span, "start" | "end">): Range {
    return { start: this.position(span.start), end: this.position(span.end) };
  }
}
