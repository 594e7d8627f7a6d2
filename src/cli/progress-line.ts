/**
 * The live progress line of `feste exec` on a terminal: nodes done out of those known so far,
 * requests sent and in flight, elapsed time. Redrawn at most ten times a second on stderr,
 * erased before anything else is printed.
 */
import type { Progress } from "../runtime/run.js";

export class ProgressLine {
  private last = 0;
  private shown = false;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  update(p: Progress): void {
    const now = performance.now();
    if (now - this.last < 100) return;
    this.last = now;
    const line = `  ${p.nodesDone}/${p.nodesTotal} nodes · ${p.requests} requests (${p.inFlight} in flight) · ${(p.elapsedMs / 1000).toFixed(1)} s`;
    this.stream.write(`\r\x1b[2K${line.slice(0, Math.max(20, (this.stream.columns ?? 80) - 1))}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.stream.write("\r\x1b[2K");
    this.shown = false;
  }
}
