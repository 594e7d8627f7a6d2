/**
 * How many requests a group of model calls costs, by endpoint: the rule `feste plan`
 * predicts with, the optimizer splits batches by and the runtime sends by. Completion
 * endpoints take up to `max_batch` prompts a request (OpenAI: default 20, at most 128; Cohere's
 * generate takes one prompt); embeddings
 * take up to `max_batch` texts (default and ceiling: 2048 for OpenAI, 96 for Cohere); chat
 * has no multi-prompt request, so each call is a request unless the client opts into a
 * multi-conversation endpoint (`batch_endpoint`); rerank is one request per query.
 */
import type { IrClient, Settings } from "./nodes.js";

const DEFAULT_MAX: Record<string, number> = {
  "openai.completion": 20,
  "cohere.generate": 1,
  "openai.embedding": 2048,
  "cohere.embedding": 96,
  "openai.chat": 50,
  "cohere.chat": 1,
  "cohere.rerank": 1,
};

/** Items one request may carry for this client and settings. */
export function itemsPerRequest(client: IrClient, settings: Settings): number {
  if (client.kind === "rerank") return 1;
  if (client.kind === "chat" && settings.batch_endpoint !== true) return 1;
  const configured = typeof settings.max_batch === "number" ? settings.max_batch : undefined;
  return Math.max(1, configured ?? DEFAULT_MAX[client.endpoint ?? ""] ?? 1);
}

/** Requests needed for `items` prompts or texts sent together. */
export function requestCount(client: IrClient, settings: Settings, items: number): number {
  if (items === 0) return 0;
  return Math.ceil(items / itemsPerRequest(client, settings));
}

/** Tokens one request may carry, where the endpoint sets a budget (OpenAI embeddings: 300k). */
export function tokensPerRequest(client: IrClient): number | undefined {
  return client.endpoint === "openai.embedding" ? 300_000 : undefined;
}

/**
 * Items per request when `count` items are split evenly over the fewest requests of at most
 * `maxItems` each: 5,000 at 2,048 go as 1,667 + 1,667 + 1,666, not 2,048 + 2,048 + 904, which
 * matters where a request's latency grows with its items.
 */
export function evenShare(count: number, maxItems: number): number {
  if (count <= maxItems) return maxItems;
  return Math.ceil(count / Math.ceil(count / maxItems));
}

/**
 * Splits items into requests in order: a request closes when it holds its even share of
 * `maxItems` (see `evenShare`) or
 * when the next item would take it past `maxTokens`. An item larger than the budget goes
 * alone (the provider will say what is wrong with it).
 */
export function splitRequests<T>(items: readonly T[], maxItems: number, maxTokens: number | undefined, tokens: (item: T) => number): T[][] {
  maxItems = evenShare(items.length, maxItems);
  const out: T[][] = [];
  let current: T[] = [];
  let used = 0;
  for (const item of items) {
    const t = maxTokens === undefined ? 0 : tokens(item);
    if (current.length > 0 && (current.length >= maxItems || (maxTokens !== undefined && used + t > maxTokens))) {
      out.push(current);
      current = [];
      used = 0;
    }
    current.push(item);
    used += t;
  }
  if (current.length > 0) out.push(current);
  return out;
}
