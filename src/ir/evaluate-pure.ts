/**
 * Evaluation of pure nodes, shared by the interpreter and by constant folding: operators
 * and builtins, records, lists, field and index access, prompt rendering, and `map`, `cond`
 * and `fuse` over pure subgraphs. Model calls, extern functions and batches are not pure;
 * meeting one here throws `NotPure`.
 */
import { FesteRuntimeError } from "./errors.js";
import { reachable, topoOrder, walkNodes } from "./graph.js";
import { PURE_KINDS, type IrNode, type IrProgram, type NodeId, type Subgraph } from "./nodes.js";
import { applyOp } from "./ops.js";
import { asData, promptMessages, type Data, type PromptValue, type RenderedSection, type Value } from "./value.js";

export class NotPure extends Error {}

/** Values computed in one run of a scope, with the scopes around it. */
export class Frame {
  readonly values = new Map<NodeId, Value>();

  constructor(
    readonly inputs: ReadonlyMap<string, Value>,
    readonly parent?: Frame,
  ) {}

  get(id: NodeId): Value {
    const v = this.find(id);
    if (v === undefined) throw new Error(`IR invariant broken: node ${id} was read before it ran`);
    return v;
  }

  /** A node's value if it has been computed here or in a frame around this one. */
  find(id: NodeId): Value | undefined {
    for (let f: Frame | undefined = this; f; f = f.parent) {
      const v = f.values.get(id);
      if (v !== undefined || f.values.has(id)) return v;
    }
    return undefined;
  }

  input(name: string): Value {
    for (let f: Frame | undefined = this; f; f = f.parent) if (f.inputs.has(name)) return f.inputs.get(name)!;
    throw new Error(`IR invariant broken: no value bound to \`${name}\``);
  }

  data(id: NodeId): Data {
    return asData(this.get(id));
  }
}

const orders = new WeakMap<Subgraph, NodeId[]>();

/** A scope's topological order, computed once per subgraph. */
export function orderOf(g: Subgraph): NodeId[] {
  let o = orders.get(g);
  if (!o) orders.set(g, (o = topoOrder(g)));
  return o;
}

/** The value of a node whose kind needs no model, computed from values already in `frame`. */
export function evalLocal(program: IrProgram, n: IrNode, frame: Frame, scope: (g: Subgraph, f: Frame) => Value): Value {
  switch (n.kind) {
    case "input":
      return frame.input(n.name);
    case "const":
      return n.value;
    case "render":
      return renderPrompt(program, n.prompt, n.args.map((a) => frame.data(a)));
    case "op":
      return applyOp(n.op, n.args.map((a) => frame.data(a)));
    case "record":
      return Object.fromEntries(n.fields.map(([k, id]) => [k, frame.data(id)]));
    case "list":
      // Elements stay prompts only in a list of prompts; elsewhere a prompt is its text.
      return (holdsPrompts(n.type) ? n.items.map((id) => frame.get(id)) : n.items.map((id) => frame.data(id))) as Value as Data;
    case "get": {
      if (n.field !== undefined) return ownField(frame.data(n.target), n.field);
      const xs = frame.get(n.target) as unknown as Value[];
      const i = frame.data(n.index!) as number;
      if (!Number.isInteger(i) || i < 0 || i >= xs.length) throw new FesteRuntimeError("FE4003", `index ${i} is out of range for a list of ${xs.length}`);
      return xs[i];
    }
    case "pick":
      return (frame.get(n.batch) as Data[])[n.index];
    case "fuse":
      return scope(n.body, new Frame(new Map(), frame));
    default:
      throw new NotPure(n.kind);
  }
}

/** A record's own field, or null: never something inherited, whatever the field is called. */
export function ownField(record: Data, name: string): Data {
  const r = record as Record<string, Data>;
  return r !== null && typeof r === "object" && Object.hasOwn(r, name) ? (r[name] ?? null) : null;
}

/** Renders a prompt: each role section's text subgraph over the arguments. */
export function renderPrompt(program: IrProgram, key: string, args: readonly Data[]): PromptValue {
  const p = program.prompts[key];
  const inputs = new Map<string, Value>(p.params.map((param, i) => [param.name, args[i]]));
  const sections = p.sections.map((s) => [s.role, asData(evaluatePure(program, s.text, new Frame(inputs)))] as RenderedSection);
  return { $prompt: { lang: p.lang, messages: promptMessages(sections) } };
}

const needed = new WeakMap<Subgraph, NodeId[]>();

/** A scope's order restricted to what its output needs (for compile-time evaluation). */
export function neededOrder(g: Subgraph): NodeId[] {
  let o = needed.get(g);
  if (!o) {
    const keep = reachable(g);
    needed.set(g, (o = orderOf(g).filter((id) => keep.has(id))));
  }
  return o;
}

/**
 * Runs a pure scope synchronously, computing only what its output needs (this serves
 * constant folding, where a dead model call must not stop a loop from folding); throws
 * `NotPure` at the first needed node that is not pure.
 */
export function evaluatePure(program: IrProgram, g: Subgraph, frame: Frame): Value {
  const scope = (s: Subgraph, f: Frame) => evaluatePure(program, s, f);
  for (const id of neededOrder(g)) {
    const n = g.nodes[id];
    try {
      frame.values.set(id, n.kind === "map" ? pureMap(program, n, frame) : n.kind === "cond" ? pureCond(program, n, frame) : n.kind === "fold" || n.kind === "loop" ? runState(n, frame, scope) : evalLocal(program, n, frame, scope));
    } catch (e) {
      throw e instanceof FesteRuntimeError ? e.at(n.span) : e;
    }
  }
  return frame.get(g.output);
}

/**
 * Runs a `fold` or a `loop` with `scope` running its subgraphs one after the other: the one
 * definition of both forms, synchronous here and awaited in the interpreter and scheduler
 * (`runStateAsync`). Each round's subgraphs run in a frame of their own over the state.
 */
export function runState(n: Extract<IrNode, { kind: "fold" | "loop" }>, frame: Frame, scope: (g: Subgraph, f: Frame) => Value): Value {
  let state = frame.get(n.init);
  if (n.kind === "fold") {
    for (const x of frame.get(n.list) as unknown as Value[]) state = scope(n.body, foldFrame(n, state, x, frame));
    return state;
  }
  for (let round = 0; round < n.max; round++) {
    if (asData(scope(n.until, loopFrame(n, state, frame))) === true) break;
    state = scope(n.body, loopFrame(n, state, frame));
  }
  return state;
}

/** `runState` with subgraphs that are awaited; `step` runs before each round's subgraphs. */
export async function runStateAsync(
  n: Extract<IrNode, { kind: "fold" | "loop" }>,
  frame: Frame,
  scope: (g: Subgraph, f: Frame) => Promise<Value>,
  step: () => Promise<void> = async () => {},
): Promise<Value> {
  let state = frame.get(n.init);
  if (n.kind === "fold") {
    for (const x of frame.get(n.list) as unknown as Value[]) {
      await step();
      state = await scope(n.body, foldFrame(n, state, x, frame));
    }
    return state;
  }
  for (let round = 0; round < n.max; round++) {
    await step();
    if (asData(await scope(n.until, loopFrame(n, state, frame))) === true) break;
    await step();
    state = await scope(n.body, loopFrame(n, state, frame));
  }
  return state;
}

/** The frame of one step of a fold: the state so far and the element. */
export function foldFrame(n: Extract<IrNode, { kind: "fold" }>, state: Value, x: Value, frame: Frame): Frame {
  return new Frame(new Map([[n.state, state], [n.binding, x]]), frame);
}

/** The frame of one round of a loop: the state. */
export function loopFrame(n: Extract<IrNode, { kind: "loop" }>, state: Value, frame: Frame): Frame {
  return new Frame(new Map([[n.state, state]]), frame);
}

function pureCond(program: IrProgram, n: Extract<IrNode, { kind: "cond" }>, frame: Frame): Value {
  const branch = frame.data(n.condition) === true ? n.then : n.else;
  return evaluatePure(program, branch, new Frame(new Map(), frame));
}

function pureMap(program: IrProgram, n: Extract<IrNode, { kind: "map" }>, frame: Frame): Value {
  const lists = n.lists.map((id) => frame.get(id) as unknown as Value[]);
  const out: Value[] = [];
  for (let i = 0; i < (lists[0]?.length ?? 0); i++) {
    const v = pureElement(program, n, lists.map((l) => l[i]), frame);
    if (v !== undefined) out.push(v);
  }
  return out as unknown as Value;
}

/** One element of a `map` computed locally: its body's value, or undefined when its filter drops it. */
export function pureElement(program: IrProgram, n: Extract<IrNode, { kind: "map" }>, elements: readonly Value[], frame: Frame): Value | undefined {
  const inputs = new Map<string, Value>();
  for (let k = 0; k < n.bindings.length; k++) inputs.set(n.bindings[k], elements[k]);
  // The filter and the body share one frame: a node id names the same computation in both.
  const inner = new Frame(inputs, frame);
  if (n.filter && asData(evaluatePure(program, n.filter, inner)) !== true) return undefined;
  const v = evaluatePure(program, n.body, inner);
  return holdsPrompts(n.type) ? v : asData(v);
}

const local = new WeakMap<IrNode, boolean>();

/**
 * Whether a node and everything in its subgraphs is computed locally (no model call, no
 * extern, no batch), so `evaluatePure` can compute it at once instead of the scheduler
 * running it node by node.
 */
export function runsLocally(n: IrNode): boolean {
  let v = local.get(n);
  if (v === undefined) {
    v = true;
    walkNodes({ nodes: { [n.id]: n }, output: n.id }, (inner) => {
      if (!PURE_KINDS.has(inner.kind) || inner.kind === "pick") v = false;
    });
    local.set(n, v);
  }
  return v;
}

/** Whether a list type's elements are prompts, which then keep their roles. */
export function holdsPrompts(t: IrNode["type"]): boolean {
  return t.kind === "list" && t.element.kind === "prompt";
}
