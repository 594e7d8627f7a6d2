/**
 * LSP positions (0-based line, UTF-16 character) to and from the compiler's 0-based,
 * end-exclusive offsets. Both count UTF-16 units, so no re-encoding is needed.
 */
import type { Position, Range } from "vscode-languageserver";
import type { Span } from "../diagnostics/index.js";

/** Line starts of one text, computed once per text. */
export class TextPositions {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  position(offset: number): Position {
    const at = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: at - this.starts[lo] };
  }

  offset(p: Position): number {
    if (p.line >= this.starts.length) return this.text.length;
    const start = this.starts[Math.max(0, p.line)];
    const next = this.starts[p.line + 1] ?? this.text.length + 1;
    return Math.min(start + p.character, next - 1, this.text.length);
  }

  range(span: Pick<Span, "start" | "end">): Range {
    return { start: this.position(span.start), end: this.position(span.end) };
  }
}
