/**
 * A small, dated price table for cost estimates in `feste plan` (USD per million tokens; rerank
 * per thousand searches). Prices change: the date is printed with every estimate, and models
 * not listed get no cost, rather than a guess.
 */
export const PRICES_AS_OF = "2025-06-01";

export interface Price {
  readonly input: number;
  readonly output?: number;
  /** Rerank: per 1,000 searches (one query over up to 100 documents). */
  readonly perThousandSearches?: number;
}

export const PRICES: Readonly<Record<string, Price>> = {
  "gpt-4o": { input: 2.5, output: 10 },
  "gpt-4o-mini": { input: 0.15, output: 0.6 },
  "gpt-4.1": { input: 2, output: 8 },
  "gpt-4.1-mini": { input: 0.4, output: 1.6 },
  "gpt-4.1-nano": { input: 0.1, output: 0.4 },
  "gpt-3.5-turbo": { input: 0.5, output: 1.5 },
  "gpt-3.5-turbo-instruct": { input: 1.5, output: 2 },
  "text-embedding-3-small": { input: 0.02 },
  "text-embedding-3-large": { input: 0.13 },
  "text-embedding-ada-002": { input: 0.1 },
  "command-a-03-2025": { input: 2.5, output: 10 },
  "command-r-plus": { input: 2.5, output: 10 },
  "command-r": { input: 0.15, output: 0.6 },
  "command-r7b-12-2024": { input: 0.0375, output: 0.15 },
  command: { input: 1, output: 2 },
  "embed-english-v3.0": { input: 0.1 },
  "embed-multilingual-v3.0": { input: 0.1 },
  "embed-v4.0": { input: 0.12 },
  "rerank-v3.5": { input: 0, perThousandSearches: 2 },
  "rerank-english-v3.0": { input: 0, perThousandSearches: 2 },
};
