/**
 * Counts in `feste plan`: a number, a formula in the lengths of the inputs (`len(docs)`), or
 * `?`. A count the run may stay under (a loop that stops early, a branch not taken, calls
 * that may each leave alone) is a bound and reads `≤ ...`, so a plan never undercounts.
 */

/** A count known exactly, or only as a formula in input lengths (`len(docs)`), or not at all. */
export interface Size {
  /** As printed; a bound starts with `≤ `. */
  readonly text: string;
  /** The number, when the formula needs no input (for a bound, the bound). */
  readonly value?: number;
  /** The run may send fewer: the formula is an upper bound. */
  readonly bound?: true;
}

export const UNKNOWN: Size = { text: "?" };

const BOUND = "≤ ";

/** The formula without its `≤ `. */
function core(s: Size): string {
  return s.bound ? s.text.slice(BOUND.length) : s.text;
}

function make(text: string, value: number | undefined, bound: boolean): Size {
  return { text: bound ? BOUND + text : text, ...(value !== undefined ? { value } : {}), ...(bound ? { bound: true as const } : {}) };
}

export const exact = (n: number): Size => make(String(n), n, false);

/** The same count, as an upper bound. */
export function atMost(s: Size): Size {
  return s.bound ? s : make(s.text, s.value, true);
}

export function mul(a: Size, b: Size): Size {
  const bound = !!(a.bound || b.bound);
  if (a.value !== undefined && b.value !== undefined) return make(String(a.value * b.value), a.value * b.value, bound);
  if (a.value === 1) return make(core(b), b.value, bound);
  if (b.value === 1) return make(core(a), a.value, bound);
  // A number reads first: `4 × len(xs)`.
  return b.value !== undefined ? make(`${core(b)} × ${core(a)}`, undefined, bound) : make(`${core(a)} × ${core(b)}`, undefined, bound);
}

export function sum(xs: readonly Size[]): Size {
  const bound = xs.some((x) => x.bound);
  if (xs.length === 0) return exact(0);
  const known = xs.filter((x) => x.value !== undefined).reduce((t, x) => t + x.value!, 0);
  if (xs.every((x) => x.value !== undefined)) return make(String(known), known, bound);
  // Like terms combine: `len(xs) + len(xs)` is `2 × len(xs)`.
  const terms = new Map<string, number>();
  for (const x of xs) if (x.value === undefined) terms.set(core(x), (terms.get(core(x)) ?? 0) + 1);
  const parts = [...terms].map(([t, k]) => (k === 1 ? t : `${k} × ${t}`));
  return make([...parts, ...(known ? [String(known)] : [])].join(" + "), undefined, bound);
}

/** How many requests `items` calls take at `per` a request. */
export function perRequest(items: Size, per: number): Size {
  if (per === 1) return items;
  if (items.value !== undefined) return make(String(Math.ceil(items.value / per)), Math.ceil(items.value / per), !!items.bound);
  const t = core(items);
  return make(`ceil(${/\s/.test(t) ? `(${t})` : t} / ${per})`, undefined, !!items.bound);
}
