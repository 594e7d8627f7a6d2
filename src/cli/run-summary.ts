/** The summary `feste exec` prints after a run: requests and tokens by client, wall time. */
import type { RunStats } from "../runtime/run.js";

export interface TokenCount {
  inputTokens: number;
  outputTokens: number;
}

const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;

export function renderSummary(graph: string, stats: RunStats, tokens: ReadonlyMap<string, TokenCount>, fake: boolean): string {
  const clients = Object.keys(stats.byClient).sort();
  const width = Math.max(0, ...clients.map((c) => c.length));
  const lines = [
    `${graph}: ${plural(stats.requests, "request")} in ${(stats.wallMs / 1000).toFixed(2)} s (${stats.mode} mode${fake ? ", stand-in server" : ""})`,
  ];
  if (stats.cache) lines.push(`  cache: ${plural(stats.cache.hits, "call")} answered from the cache, ${stats.cache.misses} sent`);
  for (const c of clients) {
    const n = stats.byClient[c];
    const t = tokens.get(c);
    const tok = t ? `, ${plural(t.inputTokens, "token")} in, ${t.outputTokens.toLocaleString("en-US")} out` : "";
    lines.push(`  ${c.padEnd(width)}  ${plural(n.requests, "request")}, ${plural(n.items, "item")}${tok}`);
  }
  return lines.join("\n") + "\n";
}
