/**
 * Colours for clients in pictures of a graph. Each client gets a fill (for its calls) and a
 * stronger line colour (for its batch clusters), by its position among the program's client
 * names sorted by code point, so a client keeps its colour from run to run and across the
 * graphs of one file.
 */
import { compareStrings } from "../diagnostics/diagnostic.js";

/** A client's colours, as `#rrggbb`. */
export interface ClientColor {
  readonly fill: string;
  readonly line: string;
}

// Light fills that stay readable under black text, each with a darker line of the same hue.
const PALETTE: readonly ClientColor[] = [
  { fill: "#dbeafe", line: "#2563eb" },
  { fill: "#fde68a", line: "#b45309" },
  { fill: "#bbf7d0", line: "#15803d" },
  { fill: "#fbcfe8", line: "#be185d" },
  { fill: "#ddd6fe", line: "#6d28d9" },
  { fill: "#fed7aa", line: "#c2410c" },
  { fill: "#a5f3fc", line: "#0e7490" },
  { fill: "#e5e7eb", line: "#4b5563" },
];

/** One colour per client name; past the palette's length colours repeat. */
export function clientColors(names: Iterable<string>): ReadonlyMap<string, ClientColor> {
  const sorted = [...new Set(names)].sort(compareStrings);
  return new Map(sorted.map((name, i) => [name, PALETTE[i % PALETTE.length]]));
}
