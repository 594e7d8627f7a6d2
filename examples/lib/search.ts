// lib/search.ts: a search "API" for examples/agent.feste, standing in for a real one.
//
// It is an `extern io fn`: it reads a file on every call (the outside world may change between
// calls), so Feste never caches, merges or folds its calls, and runs it on the main event loop
// with the `timeout` and `retries` the declaration gives. The index is a JSON file of
// `{ title, url, text }` entries, `examples/data/search-index.json` from the current
// directory unless FESTE_SEARCH_INDEX names another.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";

interface Entry {
  title: string;
  url: string;
  text: string;
}

export interface Hit {
  title: string;
  url: string;
  snippet: string;
}

/** The entries sharing the most words with `query`, best first (at most 3; none share a word: none). */
export async function search(query: string): Promise<Hit[]> {
  const path = resolve(process.env.FESTE_SEARCH_INDEX ?? "examples/data/search-index.json");
  const entries = JSON.parse(await readFile(path, "utf8")) as Entry[];
  const words = new Set(query.toLowerCase().match(/[a-z0-9]+/g) ?? []);
  const scored = entries
    .map((e, i) => ({ e, i, score: (`${e.title} ${e.text}`.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => words.has(w)).length }))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.i - b.i);
  return scored.slice(0, 3).map(({ e }) => ({ title: e.title, url: e.url, snippet: e.text.slice(0, 200) }));
}
