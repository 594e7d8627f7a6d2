/**
 * Pure nodes compiled once into closures, for the interpreter (`feste exec`, `runGraph`,
 * `plan` dry runs, `feste test`). `evaluatePure` walks the IR for every element: it finds a
 * node's dependencies through a chain of frames, looks operations up by name and builds a
 * map of bindings per element. Here each node of a pure scope becomes a closure built once
 * per node object, reading its arguments from slots numbered at compile time
 * (`slot-layout.ts`), with the operation resolved and prompts turned into text only where
 * a type can hold one. No text is ever evaluated as code.
 *
 * The results, and the errors with the `.feste` location of the node that failed, are those
 * of `evaluatePure`, which stays the reference the tests compare against.
 */
import { FesteRuntimeError } from "./errors.js";
import { evalLocal, evaluatePure, holdsPrompts, neededOrder, NotPure, orderOf, ownField, type Frame } from "./evaluate-pure.js";
import { walkNodes } from "./graph.js";
import type { IrNode, IrProgram, NodeId, Subgraph } from "./nodes.js";
import { opFunction } from "./ops.js";
import { SlotLayout } from "./slot-layout.js";
import type { Type } from "./types.js";
import { asData, promptMessages, type Data, type PromptValue, type RenderedSection, type Value } from "./value.js";

/** One node's value from the slots of the scope it runs in. */
type Step = (s: Value[]) => Value;
type Node<K extends IrNode["kind"]> = Extract<IrNode, { kind: K }>;

export interface CompileOptions {
  /**
   * Compute every node of a scope, as the reference interpreter (eager mode) does, rather
   * than only what the scope's output needs, as `evaluatePure` does. It matters only for
   * errors in nodes nothing reads.
   */
  readonly everyNode?: boolean;
}

/** Whether a value of this type may be a prompt somewhere inside, so reading it as data must turn prompts into text. */
function mayHoldPrompt(t: Type): boolean {
  switch (t.kind) {
    case "prompt":
    case "unknown":
    case "error":
      return true;
    case "list":
      return mayHoldPrompt(t.element);
    case "optional":
      return mayHoldPrompt(t.inner);
    default:
      return false;
  }
}

/** Compiles the pure scopes of one program; prompts are compiled once and shared by every scope. */
class PureCompiler {
  private readonly prompts = new Map<string, (args: readonly Data[]) => PromptValue>();

  constructor(
    private readonly program: IrProgram,
    private readonly everyNode: boolean,
  ) {}

  /** A closure running scope `g` over slots laid out by `layout` (whose nodes it owns), giving its output. */
  block(g: Subgraph, layout: SlotLayout): (s: Value[]) => Value {
    // `input` nodes read their binding's slot (see `own`): nothing to compute.
    const ids = (this.everyNode ? orderOf(g) : neededOrder(g)).filter((id) => g.nodes[id].kind !== "input");
    const targets = ids.map((id) => layout.node(id));
    const steps = ids.map((id) => this.step(g.nodes[id], layout));
    const spans = ids.map((id) => g.nodes[id].span);
    const output = layout.node(g.output);
    const count = steps.length;
    return (s) => {
      let i = 0;
      try {
        for (; i < count; i++) s[targets[i]] = steps[i](s);
      } catch (e) {
        throw e instanceof FesteRuntimeError ? e.at(spans[i]) : e;
      }
      return s[output];
    };
  }

  /**
   * A reader of a node's value as the node reading it needs it: as data (prompts turned
   * into text), or as it is. A value whose type holds no prompt is data already.
   */
  private read(id: NodeId, layout: SlotLayout, raw: boolean): Step {
    const at = layout.node(id);
    const type = layout.typeOf(id);
    if (raw || (type !== undefined && !mayHoldPrompt(type))) return (s) => s[at];
    return (s) => asData(s[at]);
  }

  private step(n: IrNode, layout: SlotLayout): Step {
    const data = (id: NodeId) => this.read(id, layout, false);
    const raw = (id: NodeId) => this.read(id, layout, true);
    switch (n.kind) {
      case "input": {
        const at = layout.input(n.name);
        return (s) => s[at];
      }
      case "const": {
        const v = n.value;
        return () => v;
      }
      case "render": {
        const args = n.args.map(data);
        const render = this.prompt(n.prompt);
        return (s) => render(args.map((a) => a(s) as Data));
      }
      case "op":
        return this.op(n, n.args.map(data));
      case "record": {
        const keys = n.fields.map(([k]) => k);
        const values = n.fields.map(([, id]) => data(id));
        // fromEntries makes every field an own property, `__proto__` included.
        return (s) => Object.fromEntries(keys.map((k, i) => [k, values[i](s)])) as Data;
      }
      case "list": {
        const items = n.items.map(holdsPrompts(n.type) ? raw : data);
        return (s) => items.map((item) => item(s)) as Value as Data;
      }
      case "get":
        return this.get(n, data, raw);
      case "pick": {
        const batch = raw(n.batch);
        const index = n.index;
        return (s) => (batch(s) as Data[])[index];
      }
      case "map":
        return this.map(n, layout);
      case "cond":
        return this.cond(n, layout, data(n.condition));
      case "fuse": {
        const inner = new SlotLayout(layout);
        const run = this.scope(n.body, inner);
        return (s) => run(inner.enter(s));
      }
      case "fold":
        return this.fold(n, layout, raw(n.init), raw(n.list));
      case "loop":
        return this.loop(n, layout, raw(n.init));
      default:
        throw new NotPure(n.kind);
    }
  }

  /** `fold` as `runState` runs it: the body once per element, over the state so far. */
  private fold(n: Node<"fold">, layout: SlotLayout, init: Step, list: Step): Step {
    const inner = new SlotLayout(layout);
    const [state, element] = inner.bind([n.state, n.binding]);
    const body = this.scope(n.body, inner);
    return (s) => {
      let value = init(s);
      for (const x of list(s) as unknown as Value[]) {
        const t = inner.enter(s);
        t[state] = value;
        t[element] = x;
        value = body(t);
      }
      return value;
    };
  }

  /** `loop` as `runState` runs it: until `until` holds or `max` rounds have run. */
  private loop(n: Node<"loop">, layout: SlotLayout, init: Step): Step {
    const test = new SlotLayout(layout);
    const [testState] = test.bind([n.state]);
    const until = this.scope(n.until, test);
    const round = new SlotLayout(layout);
    const [roundState] = round.bind([n.state]);
    const body = this.scope(n.body, round);
    const max = n.max;
    return (s) => {
      let value = init(s);
      for (let k = 0; k < max; k++) {
        const t = test.enter(s);
        t[testState] = value;
        if (asData(until(t)) === true) break;
        const b = round.enter(s);
        b[roundState] = value;
        value = body(b);
      }
      return value;
    };
  }

  /** Compiles a subgraph as a scope of its own over `layout`, its nodes owned there. */
  private scope(g: Subgraph, layout: SlotLayout): (s: Value[]) => Value {
    this.own(g, layout);
    return this.block(g, layout);
  }

  /** Gives a subgraph's nodes their slots in `layout`; an `input` node reads its binding's slot. */
  own(g: Subgraph, layout: SlotLayout): void {
    for (const [id, n] of Object.entries(g.nodes)) {
      if (n.kind === "input") layout.alias(id, n.name, n.type);
      else layout.own(id, n.type);
    }
  }

  private op(n: Node<"op">, args: Step[]): Step {
    const f = opFunction(n.op);
    // An unknown operation fails when it runs, as in the reference, not when it is compiled.
    if (!f) return () => { throw new Error(`unknown IR operation \`${n.op}\``); };
    const [a, b, c] = args;
    switch (args.length) {
      case 0:
        return () => f();
      case 1:
        return (s) => f(a(s) as Data);
      case 2:
        return (s) => f(a(s) as Data, b(s) as Data);
      case 3:
        return (s) => f(a(s) as Data, b(s) as Data, c(s) as Data);
      default:
        return (s) => f(...args.map((x) => x(s) as Data));
    }
  }

  private get(n: Node<"get">, data: (id: NodeId) => Step, raw: (id: NodeId) => Step): Step {
    if (n.field !== undefined) {
      const target = data(n.target);
      const field = n.field;
      return (s) => ownField(target(s) as Data, field);
    }
    const list = raw(n.target);
    const index = data(n.index!);
    return (s) => {
      const xs = list(s) as unknown as Value[];
      const i = index(s) as number;
      if (!Number.isInteger(i) || i < 0 || i >= xs.length) throw new FesteRuntimeError("FE4003", `index ${i} is out of range for a list of ${xs.length}`);
      return xs[i];
    };
  }

  private cond(n: Node<"cond">, layout: SlotLayout, condition: Step): Step {
    const thenLayout = new SlotLayout(layout);
    const elseLayout = new SlotLayout(layout);
    const then = this.scope(n.then, thenLayout);
    const otherwise = this.scope(n.else, elseLayout);
    return (s) => (condition(s) === true ? then(thenLayout.enter(s)) : otherwise(elseLayout.enter(s)));
  }

  /** A `map`: its lists read as they are, then each element's filter and body in a scope of its own. */
  private map(n: Node<"map">, layout: SlotLayout): Step {
    const lists = n.lists.map((id) => this.read(id, layout, true));
    const element = this.element(n, layout);
    return (s) => {
      const values = lists.map((l) => l(s) as unknown as Value[]);
      const length = values[0]?.length ?? 0;
      const out: Value[] = [];
      const at: Value[] = new Array(values.length);
      for (let i = 0; i < length; i++) {
        for (let k = 0; k < values.length; k++) at[k] = values[k][i];
        const v = element(s, at);
        if (v !== undefined) out.push(v);
      }
      return out as unknown as Value;
    };
  }

  /**
   * One element of a `map`, given the enclosing scope's slots and the element of each list:
   * its body's value, or undefined when the filter drops it. The filter and the body share
   * one scope, as they share one frame in the reference: a node id names one computation.
   */
  element(n: Node<"map">, layout: SlotLayout): (outer: Value[], elements: readonly Value[]) => Value | undefined {
    const inner = new SlotLayout(layout);
    const bound = inner.bind(n.bindings);
    if (n.filter) this.own(n.filter, inner);
    this.own(n.body, inner);
    const filter = n.filter && this.block(n.filter, inner);
    const body = this.block(n.body, inner);
    const keepsPrompts = holdsPrompts(n.type);
    const asText = !keepsPrompts && mayHoldPrompt(n.body.nodes[n.body.output]?.type ?? { kind: "unknown" });
    const filterAsText = n.filter !== undefined && mayHoldPrompt(n.filter.nodes[n.filter.output]?.type ?? { kind: "unknown" });
    return (outer, elements) => {
      const s = inner.enter(outer);
      for (let k = 0; k < bound.length; k++) s[bound[k]] = elements[k];
      if (filter) {
        const keep = filter(s);
        if ((filterAsText ? asData(keep) : keep) !== true) return undefined;
      }
      const v = body(s);
      return asText ? asData(v) : v;
    };
  }

  /** A prompt's renderer: each role section's text over the arguments, compiled once. */
  prompt(key: string): (args: readonly Data[]) => PromptValue {
    // Sections always compute only what they need, as `renderPrompt` does in every mode.
    if (this.everyNode) return compilerFor(this.program, {}).prompt(key);
    const known = this.prompts.get(key);
    if (known) return known;
    const p = this.program.prompts[key];
    const sections = this as PureCompiler;
    const layout = new SlotLayout();
    const bound = layout.bind(p.params.map((param) => param.name));
    const texts = p.sections.map((section) => {
      const own = new SlotLayout(layout);
      const run = sections.scope(section.text, own);
      return { role: section.role, run, own };
    });
    const lang = p.lang;
    const render = (args: readonly Data[]): PromptValue => {
      const s: Value[] = new Array(layout.size);
      for (let k = 0; k < bound.length; k++) s[bound[k]] = args[k];
      const sections = texts.map((t) => [t.role, asData(t.run(t.own.enter(s)))] as RenderedSection);
      return { $prompt: { lang, messages: promptMessages(sections) } };
    };
    this.prompts.set(key, render);
    return render;
  }

  /** A single node compiled on its own, reading what it needs from around it through `layout`. */
  node(n: IrNode, layout: SlotLayout): Step {
    return this.step(n, layout);
  }
}

/** Compilers per program and mode, so each prompt, node and scope is compiled once per program. */
const compilers = new WeakMap<IrProgram, PureCompiler[]>();

function compilerFor(program: IrProgram, options: CompileOptions): PureCompiler {
  let pair = compilers.get(program);
  if (!pair) compilers.set(program, (pair = [new PureCompiler(program, false), new PureCompiler(program, true)]));
  return pair[options.everyNode ? 1 : 0];
}

/** What is compiled for a program in one mode, by the node or subgraph object it was compiled from. */
interface Compiled {
  readonly nodes: WeakMap<IrNode, (frame: Frame) => Value>;
  readonly elements: WeakMap<IrNode, (frame: Frame) => (elements: readonly Value[]) => Value | undefined>;
  readonly scopes: WeakMap<Subgraph, (frame: Frame) => Value>;
}
const compiled = new WeakMap<PureCompiler, Compiled>();

function cacheOf(c: PureCompiler): Compiled {
  let known = compiled.get(c);
  if (!known) compiled.set(c, (known = { nodes: new WeakMap(), elements: new WeakMap(), scopes: new WeakMap() }));
  return known;
}

/** Whether a node holds a `map`, so running it repeats work per element. */
function repeats(n: IrNode): boolean {
  let found = false;
  walkNodes({ nodes: { [n.id]: n }, output: n.id }, (inner) => {
    if (inner.kind === "map") found = true;
  });
  return found;
}

/**
 * A pure node compiled once (per node object, program and mode): computes its value from the
 * values around it in `frame`, as `evalLocal` (or `evaluatePure` for a `map` or `cond`)
 * would. Throws `NotPure` when the node or one of its subgraphs holds a model call, an
 * extern function or a batch.
 *
 * Compiling a node costs a few times what walking it once does, so straight-line code (no
 * `map` in it) is walked by the reference the first time it runs and compiled when it runs
 * again (a graph run twice, a body run per element); a node with a loop in it is compiled at
 * once, since its elements repeat the work.
 */
export function compiledNode(program: IrProgram, n: IrNode, options: CompileOptions = {}): (frame: Frame) => Value {
  const compiler = compilerFor(program, options);
  const cache = cacheOf(compiler).nodes;
  let run = cache.get(n);
  if (!run && !options.everyNode && n.kind !== "cond" && !repeats(n)) {
    const again = (frame: Frame) => {
      const compiled = compile();
      cache.set(n, compiled);
      return compiled(frame);
    };
    run = (frame) => {
      cache.set(n, again);
      return evalLocal(program, n, frame, (g, f) => evaluatePure(program, g, f));
    };
    cache.set(n, run);
    return run;
  }
  if (!run) {
    run = compile();
    cache.set(n, run);
  }
  return run;

  function compile(): (frame: Frame) => Value {
    const layout = new SlotLayout();
    const step = compiler.node(n, layout);
    const span = n.span;
    return (frame) => {
      try {
        return step(layout.start(frame));
      } catch (e) {
        throw e instanceof FesteRuntimeError ? e.at(span) : e;
      }
    };
  }
}

/**
 * A pure `map`'s element function, compiled once: given the frame the map runs in (read once
 * per run of the map), it computes one element from the element of each list, or undefined
 * when the filter drops it, as `pureElement` does.
 */
export function compiledElement(program: IrProgram, n: Node<"map">): (frame: Frame) => (elements: readonly Value[]) => Value | undefined {
  const compiler = compilerFor(program, {});
  const cache = cacheOf(compiler).elements;
  let run = cache.get(n);
  if (!run) {
    const layout = new SlotLayout();
    const element = compiler.element(n, layout);
    run = (frame) => {
      const outer = layout.start(frame);
      return (values) => element(outer, values);
    };
    cache.set(n, run);
  }
  return run;
}

/** A whole pure scope (a graph of pure nodes) compiled once, run over the values bound in `frame`, as `evaluatePure` runs it. */
export function compiledScope(program: IrProgram, g: Subgraph, options: CompileOptions = {}): (frame: Frame) => Value {
  const compiler = compilerFor(program, options);
  const cache = cacheOf(compiler).scopes;
  let run = cache.get(g);
  if (!run) {
    const layout = new SlotLayout();
    compiler.own(g, layout);
    const block = compiler.block(g, layout);
    run = (frame) => block(layout.start(frame));
    cache.set(g, run);
  }
  return run;
}
