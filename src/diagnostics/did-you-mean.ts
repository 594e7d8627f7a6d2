import type { Span, Suggestion } from "./diagnostic.js";

/**
 * Edit distance (Levenshtein, plus a swap of two neighbouring characters as one edit) with an early cut-off: returns `max + 1` as soon as the distance is
 * known to exceed `max`, so ranking many candidates stays cheap.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      // Two neighbours swapped (`gtp` for `gpt`) is one slip, not two.
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prevPrev[j - 2] + 1);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prevPrev = prev;
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The candidates close enough to `name` to be what the user meant, best first, at most three.
 * "Close" allows about one edit per three characters; a case-only difference and a shared
 * start of at least three characters always count.
 */
export function closestNames(name: string, candidates: Iterable<string>): string[] {
  const max = Math.max(1, Math.floor(name.length / 3));
  const scored: { name: string; d: number }[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (c === name || seen.has(c)) continue;
    seen.add(c);
    const d = c.toLowerCase() === name.toLowerCase() ? 0 : editDistance(name, c, max);
    // A misspelling that keeps the start of a short name (`lenght` for `len`) counts too.
    const prefix = Math.min(c.length, name.length) >= 3 && (name.startsWith(c) || c.startsWith(name));
    if (d <= max) scored.push({ name: c, d });
    else if (prefix) scored.push({ name: c, d: max + 1 });
  }
  scored.sort((x, y) => x.d - y.d || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return scored.slice(0, 3).map((s) => s.name);
}

/** Formats a did-you-mean hint from ranked names, or undefined when there is none. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const close = closestNames(name, candidates);
  if (close.length === 0) return undefined;
  if (close.length === 1) return `did you mean \`${close[0]}\`?`;
  return `these names seem close: ${close.map((n) => `\`${n}\``).join(", ")}`;
}

/**
 * The help and the structured suggestions for an unknown `name` written at `span`: the help
 * line a user reads and, for each close name, a replacement an editor can apply as a code
 * action. Both are empty when no candidate is close.
 */
export function suggestName(
  name: string,
  candidates: Iterable<string>,
  span: Span,
): { help?: string; suggestions?: Suggestion[] } {
  const close = closestNames(name, candidates);
  if (close.length === 0) return {};
  return { help: didYouMean(name, close), suggestions: close.map((text) => ({ span, text })) };
}
