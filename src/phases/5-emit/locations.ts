/**
 * `.feste` locations of a module's plan, kept in one table at the end of the module: nodes
 * refer to an entry by its index (`"at": 3`), and each entry is `file:line:col` with the
 * span's offsets for the runtime's errors. An edit to the `.feste` file that moves code
 * changes the table, not the code above it.
 */
import type { Span } from "../../diagnostics/diagnostic.js";
import type { IrProgram } from "../../ir/nodes.js";

/** One table entry: `file:line:col`, start offset, end offset. */
export type Location = readonly [string, number, number];

export class LocationTable {
  readonly entries: Location[] = [];
  private readonly index = new Map<string, number>();
  private readonly lineStarts = new Map<string, number[]>();

  constructor(private readonly sources: ReadonlyMap<string, string>) {}

  /** The index of a span's entry, added on first use. */
  at(span: Span): number {
    const key = `${span.file}\u0000${span.start}\u0000${span.end}`;
    let i = this.index.get(key);
    if (i === undefined) {
      this.index.set(key, (i = this.entries.length));
      this.entries.push([`${span.file}:${this.lineCol(span.file, span.start)}`, span.start, span.end]);
    }
    return i;
  }

  private lineCol(file: string, offset: number): string {
    let starts = this.lineStarts.get(file);
    if (!starts) {
      const text = this.sources.get(file) ?? "";
      starts = [0];
      for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
      this.lineStarts.set(file, starts);
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return `${lo + 1}:${offset - starts[lo] + 1}`;
  }
}

/**
 * The plan as the module writes it: every `span` replaced by `at`, its index in `table`;
 * node ids renamed `kind_N` in the order the literal is written and call sites (`file:offset`
 * strings that keep calls apart) renamed `site_N`. Ids are hashes over a node's content,
 * call sites included, so an edit that only moves code would otherwise change ids all over
 * the plan; renamed consistently, the plan means the same to the runtime, which compares ids
 * only with each other. Works on any node kind: whatever it holds is walked.
 */
export function stablePlan(plan: IrProgram, table: LocationTable): unknown {
  const ids = new Map<string, string>();
  const sites = new Map<string, string>();
  const collect = (v: unknown): void => {
    if (v === null || typeof v !== "object") return;
    if (Array.isArray(v)) return v.forEach(collect);
    const o = v as Record<string, unknown>;
    if (typeof o.id === "string" && typeof o.kind === "string" && !ids.has(o.id)) ids.set(o.id, `${o.kind}_${ids.size}`);
    for (const site of [o.site, ...(Array.isArray(o.sites) ? o.sites : [])]) {
      if (typeof site === "string" && site !== "" && !sites.has(site)) sites.set(site, `site_${sites.size}`);
    }
    Object.values(o).forEach(collect);
  };
  collect(plan);
  const idPattern = /[a-z]+_[0-9a-z]+/g;
  const rename = (text: string): string => sites.get(text) ?? ids.get(text) ?? (text.includes("_") ? text.replace(idPattern, (m) => ids.get(m) ?? m) : text);
  const walk = (v: unknown, isNode = false): unknown => {
    if (typeof v === "string") return rename(v);
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map((x) => walk(x));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k === "span" && x && typeof x === "object" && "start" in x) out.at = table.at(x as Span);
      // A node's id is its key in the table of nodes: written once there (the runtime puts it back).
      else if (k === "nodes" && x && typeof x === "object") out.nodes = Object.fromEntries(Object.entries(x).map(([id, n]) => [ids.get(id) ?? id, walk(n, true)]));
      else if (!(isNode && k === "id")) out[k] = walk(x);
    }
    return out;
  };
  return walk(plan);
}
