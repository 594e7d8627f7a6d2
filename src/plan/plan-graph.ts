/**
 * The static plan of a graph: its model steps by level, each with its size and request count
 * as a formula in the lengths of the inputs, counted the way the scheduler and dispatcher send
 * them. Calls of one batch key that become ready together share requests (two batches over
 * inputs go in one request when they fit); calls that wait for answers arriving at different
 * times may each leave alone, so their count is a bound; so is a loop's, a branch's and a
 * tool conversation's. A plan says `≤` rather than undercount.
 */
import type { Span } from "../diagnostics/diagnostic.js";
import { answersAlike, requestLimit } from "../ir/clients.js";
import { orderOf } from "../ir/evaluate-pure.js";
import { deps, subgraphsOf, walkNodes } from "../ir/graph.js";
import type { IrNode, IrProgram, NodeId, Subgraph } from "../ir/nodes.js";
import { endpointClient } from "../runtime/evaluate.js";
import type { Plan, PlanEffect, PlanStep } from "./plan.js";
import { atMost, exact, mul, perRequest, sum, UNKNOWN, type Size } from "./size.js";

/** A tool conversation's turns when the call sets no `max_steps` (the checker's default). */
const DEFAULT_MAX_STEPS = 8;

type ModelNode = Extract<IrNode, { kind: "call" | "embed" | "rerank" | "batch" }>;

/**
 * Calls of one step that become ready together. `key` is set when they may share requests
 * with other steps' calls ready at the same moment (`moment`): the dispatcher merges calls of
 * one batch key that are waiting when it flushes.
 */
interface Parcel {
  readonly step: number;
  readonly key: string;
  readonly moment: string;
  readonly items: Size;
  readonly per: number;
}

const MODEL_KINDS = new Set(["call", "embed", "rerank", "batch", "extern"]);

class Planner {
  readonly steps: PlanStep[] = [];
  readonly effects: PlanEffect[] = [];
  /** Each step's requests not counted in a parcel. */
  readonly own: Size[][] = [];
  readonly parcels: Parcel[] = [];
  /** What an element binding of a `map` body waits for: what its list waits for. */
  private readonly bindingWaits = new Map<NodeId, ReadonlySet<NodeId>>();

  constructor(readonly program: IrProgram) {}

  /** The node with this id in the innermost scope that has it, and that scope's depth. */
  private find(id: NodeId, scopes: readonly Subgraph[]): { node: IrNode; depth: number } | undefined {
    for (let i = scopes.length - 1; i >= 0; i--) if (id in scopes[i].nodes) return { node: scopes[i].nodes[id], depth: i };
    return undefined;
  }

  /** The length of a list-valued node, as far as it can be told without running. */
  size(id: NodeId, scopes: readonly Subgraph[]): Size {
    const found = this.find(id, scopes);
    if (!found) return UNKNOWN;
    const n = found.node;
    switch (n.kind) {
      case "input":
        // A graph parameter; inside a body, an input is an element binding.
        return found.depth === 0 ? { text: `len(${n.name})` } : UNKNOWN;
      case "const":
        return Array.isArray(n.value) ? exact(n.value.length) : UNKNOWN;
      case "list":
        return exact(n.items.length);
      case "map": {
        const s = this.size(n.lists[0], scopes);
        return n.filter ? atMost(s) : s;
      }
      case "batch":
        return n.items ? exact(n.items.length) : this.size(n.list!, scopes);
      case "fuse":
        return this.size(n.body.output, [...scopes, n.body]);
      case "op": {
        if (n.op === "filter_mask") return atMost(this.size(n.args[0], scopes));
        // `range(len(xs))` has as many elements as `xs`.
        const arg = n.op === "range" && n.args.length === 1 ? this.find(n.args[0], scopes)?.node : undefined;
        return arg?.kind === "op" && arg.op === "len" ? this.size(arg.args[0], scopes) : UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }

  /**
   * The nodes whose results a value waits for (model calls, extern functions, or scopes
   * holding them): empty when it is there as the run starts.
   */
  private waitsFor(id: NodeId, scopes: readonly Subgraph[], seen = new Set<NodeId>()): Set<NodeId> {
    const out = new Set<NodeId>();
    if (seen.has(id)) return out;
    seen.add(id);
    const n = this.find(id, scopes)?.node;
    if (!n) return out;
    if (n.kind === "input") return new Set(this.bindingWaits.get(id) ?? []);
    if (n.kind === "pick") return new Set([n.batch]);
    if (MODEL_KINDS.has(n.kind) || subgraphsOf(n).some(holdsCalls)) return new Set([id]);
    for (const d of deps(n)) for (const w of this.waitsFor(d, scopes, seen)) out.add(w);
    return out;
  }

  /**
   * When a value's calls become ready: `""` as the run starts, a node id when they wait for
   * that one request's answer (so they arrive together), undefined when they may arrive at
   * different times.
   */
  private moment(ids: readonly NodeId[], scopes: readonly Subgraph[]): string | undefined {
    const waits = new Set<NodeId>();
    for (const id of ids) for (const w of this.waitsFor(id, scopes)) waits.add(w);
    if (waits.size === 0) return "";
    if (waits.size > 1) return undefined;
    const [only] = waits;
    const found = this.find(only, scopes);
    const single = found?.depth === 0 && (found.node.kind === "embed" || found.node.kind === "rerank" || (found.node.kind === "call" && !found.node.tools));
    return single ? only : undefined;
  }

  /**
   * Records the model steps of a scope; returns the scope's longest chain of model calls.
   * `base` is the level reached before the scope starts; `times` how often it runs.
   */
  scope(g: Subgraph, scopes: readonly Subgraph[], base: number, times: Size, conditional: boolean, rounds?: Size): number {
    const chain = [...scopes, g];
    const end = new Map<NodeId, number>();
    let longest = 0;
    for (const id of orderOf(g)) {
      const n = g.nodes[id];
      let start = 0;
      for (const d of deps(n)) start = Math.max(start, end.get(d) ?? 0);
      let weight = 0;
      if (n.kind === "call" || n.kind === "embed" || n.kind === "rerank" || n.kind === "batch") {
        weight = 1;
        this.step(n, chain, base + start + 1, times, conditional, rounds);
      } else if (n.kind === "extern" && n.io) {
        this.effects.push({ fn: n.fn, calls: conditional ? atMost(times) : times, conditional, ...(n.span ? { span: n.span } : {}), ...(n.span?.via ? { via: n.span.via } : {}) });
      } else if (n.kind === "map") {
        const each = this.size(n.lists[0], chain);
        const waits = this.waitsFor(n.lists[0], chain);
        for (const body of [n.body, ...(n.filter ? [n.filter] : [])]) for (const b of n.bindings) this.bindInputs(body, b, waits);
        const inner = [n.body, ...(n.filter ? [n.filter] : [])].map((s) => this.scope(s, chain, base + start, mul(times, each), conditional || !!n.filter, rounds));
        weight = Math.max(...inner);
      } else if (n.kind === "fold" || n.kind === "loop") {
        // Each round's calls, across the elements of the map around, go out together. A loop
        // may stop early: its rounds are a bound (and `until` runs once more than the body).
        const count = n.kind === "fold" ? this.size(n.list, chain) : atMost(exact(n.max));
        const outer = rounds ?? exact(1);
        let per = 0;
        if (n.kind === "loop") per += this.scope(n.until, chain, base + start, times, true, mul(outer, atMost(exact(n.max + 1))));
        per += this.scope(n.body, chain, base + start + per, times, conditional || n.kind === "loop", mul(outer, count));
        weight = per * (count.value ?? 1);
      } else if (n.kind === "cond") {
        weight = Math.max(this.scope(n.then, chain, base + start, times, true, rounds), this.scope(n.else, chain, base + start, times, true, rounds));
      }
      end.set(id, start + weight);
      longest = Math.max(longest, start + weight);
    }
    return longest;
  }

  /** The `input` nodes binding `name` in a body wait for what the list waits for. */
  private bindInputs(body: Subgraph, name: string, waits: ReadonlySet<NodeId>): void {
    for (const n of Object.values(body.nodes)) if (n.kind === "input" && n.name === name) this.bindingWaits.set(n.id, waits);
  }

  /** `rounds`: inside a `fold` or `loop`, how many rounds run; each round's calls of every element travel together. */
  private step(n: ModelNode, scopes: readonly Subgraph[], level: number, times: Size, conditional: boolean, rounds?: Size): void {
    const index = this.steps.length;
    const per = n.kind === "rerank" ? 1 : requestLimit(this.program, n.client, n.settings);
    const own: Size[] = [];
    // The step's calls, by the moment they become ready.
    const groups = new Map<string | undefined, Size[]>();
    const add = (ids: readonly NodeId[], items: Size) => {
      const at = this.moment(ids, scopes);
      groups.set(at, [...(groups.get(at) ?? []), items]);
    };
    if (n.kind === "batch" && n.items) n.items.forEach((id, i) => add([id], n.listItems?.[i] ? this.size(id, scopes) : exact(1)));
    else if (n.kind === "batch") add([n.list!], n.endpoint === "embed" && n.itemIsList ? UNKNOWN : this.size(n.list!, scopes));
    else if (n.kind === "embed") add([n.input], this.find(n.input, scopes)?.node.type.kind === "list" ? this.size(n.input, scopes) : exact(1));
    else if (n.kind === "call") add([n.prompt], exact(1));
    else add([n.query, n.documents], exact(1));
    let items = exact(0);
    for (const [at, sizes] of groups) {
      const count = mul(times, sum(sizes));
      items = sum([items, count]);
      if (n.kind === "call" && n.tools) own.push(atMost(mul(count, exact(n.maxSteps ?? DEFAULT_MAX_STEPS))));
      else if (rounds) own.push(mul(rounds, perRequest(count, per)));
      else if (per === 1) own.push(count);
      else if (at === undefined) own.push(atMost(count)); // each may leave alone
      else if (conditional) own.push(perRequest(count, per));
      else this.parcels.push({ step: index, key: mergeKey(n), moment: at, items: count, per });
    }
    if (rounds) items = mul(rounds, items);
    this.own.push(own);
    this.steps.push({
      level,
      kind: n.kind,
      client: n.client,
      endpoint: endpointClient(this.program, n.client).endpoint ?? "?",
      items,
      requests: sum([...own, ...this.parcels.filter((p) => p.step === index).map((p) => perRequest(p.items, p.per))]),
      conditional,
      ...(n.span ? { span: n.span } : {}),
      ...(n.span?.via ? { via: n.span.via } : {}),
    });
  }

  /** The run's requests: parcels of one key and moment travel together, as the dispatcher sends them. */
  total(): { requests: Size; shares: Map<number, Span[]>; bounded: Set<number> } {
    const terms: Size[] = this.steps.map((s, i) => (s.conditional ? atMost(sum(this.own[i])) : sum(this.own[i])));
    const together = new Map<string, Parcel[]>();
    for (const p of this.parcels) together.set(`${p.key}\u0000${p.moment}`, [...(together.get(`${p.key}\u0000${p.moment}`) ?? []), p]);
    // Calls of one key waiting for different answers may meet in one request or not.
    const lateMoments = new Map<string, Set<string>>();
    for (const p of this.parcels) if (p.moment !== "") lateMoments.set(p.key, (lateMoments.get(p.key) ?? new Set()).add(p.moment));
    const shares = new Map<number, Span[]>();
    const bounded = new Set<number>();
    for (const group of together.values()) {
      const requests = perRequest(sum(group.map((p) => p.items)), group[0].per);
      const meets = group[0].moment !== "" && lateMoments.get(group[0].key)!.size > 1;
      terms.push(meets ? atMost(requests) : requests);
      if (meets) for (const p of group) bounded.add(p.step);
      const steps = [...new Set(group.map((p) => p.step))];
      if (steps.length < 2) continue;
      for (const i of steps) shares.set(i, steps.filter((j) => j !== i).flatMap((j) => (this.steps[j].span ? [this.steps[j].span!] : [])));
    }
    return { requests: sum(terms), shares, bounded };
  }
}

/** Whether a scope computes model calls or extern functions (its value then arrives later). */
function holdsCalls(g: Subgraph): boolean {
  let found = false;
  walkNodes(g, (n) => void (found ||= MODEL_KINDS.has(n.kind)));
  return found;
}

/** What the dispatcher batches by: client, settings, kind of call and answer type. */
function mergeKey(n: ModelNode): string {
  const kind = n.kind === "batch" ? (n.endpoint === "call" ? "call" : "embed") : n.kind;
  const output = n.kind === "batch" ? (n.endpoint === "call" ? n.element : undefined) : n.kind === "call" ? n.type : undefined;
  return JSON.stringify([kind, n.client, Object.entries(n.settings).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)), output ?? null]);
}

/** The static plan of one graph. */
export function planGraph(program: IrProgram, graph: string): Plan {
  const g = program.graphs[graph];
  const planner = new Planner(program);
  const criticalPath = planner.scope(g, [], 0, exact(1), false);
  const { requests, shares, bounded } = planner.total();
  const withShares = planner.steps.map((s, i) => ({ ...s, ...(bounded.has(i) ? { requests: atMost(s.requests) } : {}), ...(shares.has(i) ? { sharesWith: shares.get(i)! } : {}) }));
  const steps = withShares.sort((a, b) => a.level - b.level || (a.span?.start ?? 0) - (b.span?.start ?? 0));
  const effects = [...planner.effects].sort((a, b) => (a.span?.start ?? 0) - (b.span?.start ?? 0));
  let dedupes = false;
  walkNodes(g, (n) => void (dedupes ||= (n.kind === "call" || n.kind === "batch") && answersAlike(program, n.client, n.kind === "batch" && n.endpoint === "embed" ? "embed" : "complete", n.settings)));
  return { graph, steps, effects, criticalPath, requests, ...(dedupes ? { dedupes: true as const } : {}) };
}
