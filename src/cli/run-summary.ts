/** The summary `feste exec` prints after a run: requests, tokens and cost by client, wall time. */
import type { IrProgram } from "../ir/nodes.js";
import { BATCH_API_PRICE, priceOf } from "../plan/plan.js";
import { PRICES_AS_OF } from "../plan/prices.js";
import type { RunStats } from "../runtime/run.js";

export interface TokenCount {
  inputTokens: number;
  outputTokens: number;
}

const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;

/** What the run would have cost at the price table's prices; undefined if a model has no price. */
function costOf(program: IrProgram, stats: RunStats, tokens: ReadonlyMap<string, TokenCount>, batchApi: boolean): number | undefined {
  let total = 0;
  for (const [name, n] of Object.entries(stats.byClient)) {
    const client = program.clients[name];
    const t = tokens.get(name) ?? { inputTokens: 0, outputTokens: 0 };
    const price = priceOf(client?.settings.model, n.items, t.inputTokens, t.outputTokens);
    if (price === undefined) return undefined;
    total += price * (batchApi && client?.provider === "openai" ? BATCH_API_PRICE : 1);
  }
  return total;
}

export function renderSummary(program: IrProgram, graph: string, stats: RunStats, tokens: ReadonlyMap<string, TokenCount>, fake: boolean, batchApi = false): string {
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
  const cost = costOf(program, stats, tokens, batchApi);
  if (cost !== undefined && stats.requests > 0) {
    const how = batchApi ? ", OpenAI calls at the Batch API's half price" : "";
    lines.push(`  cost at list prices (as of ${PRICES_AS_OF}${how}${fake ? "; nothing was charged" : ""}): $${cost < 0.01 ? cost.toFixed(5) : cost.toFixed(4)}`);
  }
  return lines.join("\n") + "\n";
}
