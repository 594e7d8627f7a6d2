/**
 * The graph-mode runtime: everything whose inputs are ready runs at once. Each scope (the
 * graph, a `map` body per element, a branch) counts, per node, the events it waits for;
 * local pure nodes run inline the moment they are released, model calls go to the
 * dispatcher, extern functions to the worker pool. Lists produced by a `map` or a batch
 * arrive element by element, so the next stage starts on each element as soon as it is
 * there. `for` results keep input order whatever order calls finish in.
 *
 * A scope is done when every node in it is done (as in the reference interpreter, so an
 * unoptimized graph pays for what the optimizer would cull). By default the first failure
 * fails the run: it aborts the shared signal, so nothing more is sent. With `keepGoing`, a
 * failed node's value is `FAILED`; whatever depends on it is skipped (and `FAILED` too)
 * while every other branch runs to the end; a `for` element that failed becomes null in
 * its list, and the failures are listed beside the partial result.
 */
import { FesteRuntimeError } from "../ir/errors.js";
import { compiledElement, compiledNode } from "../ir/compile-pure.js";
import { evalLocal, evaluatePure, Frame, holdsPrompts, runsLocally, runState, runStateAsync } from "../ir/evaluate-pure.js";
import { Cohort } from "./cohort.js";
import type { IrNode, IrProgram, NodeId, Settings, Subgraph } from "../ir/nodes.js";
import { asData, type Data, type PromptValue, type Value } from "../ir/value.js";
import type { Payload, Submission } from "./call-queue.js";
import { Dispatcher, type CallSite } from "./dispatcher.js";
import { Clock } from "./reliability/clock.js";
import { ElementStream, wholeSource, type ElementSource } from "./element-stream.js";
import { asPrompt } from "./evaluate.js";
import { shapeOf } from "./scope-shape.js";
import { deps } from "../ir/graph.js";
import type { RunHooks } from "./run-hooks.js";
import { callExternNode } from "./extern-call.js";
import { runToolLoop } from "./tool-loop.js";

type Node<K extends IrNode["kind"]> = Extract<IrNode, { kind: K }>;

/** The value of a node that failed, or that depends on one, in a `keepGoing` run. */
export const FAILED = Symbol("failed") as unknown as Value;

export class Scheduler {
  private readonly dispatcher: Dispatcher;
  private externsInFlight = 0;
  private failure: unknown;
  /** Every failure of a `keepGoing` run, in the order they happened. */
  readonly failures: unknown[] = [];

  constructor(
    readonly program: IrProgram,
    private readonly hooks: RunHooks,
    private readonly abort: AbortController,
  ) {
    this.dispatcher = new Dispatcher(program, hooks.backend, {
      countTokens: hooks.countTokens,
      signal: abort.signal,
      windowMs: hooks.windowMs,
      busy: () => this.externsInFlight > 0,
      clock: new Clock(hooks.timeScale),
    });
  }

  async run(graphName: string, inputs: Readonly<Record<string, Data>>): Promise<Data> {
    const g = this.program.graphs[graphName];
    const bound = new Map<string, Value>(g.params.map((p) => [p.name, inputs[p.name] ?? null]));
    try {
      const v = await this.scope(g, new Frame(bound));
      return v === FAILED ? null : asData(v);
    } catch (e) {
      // The first failure is the one to report; later ones are its consequences.
      throw this.failure ?? e;
    }
  }

  /** Runs a scope; resolves with its output once every node in it is done. */
  scope(g: Subgraph, frame: Frame): Promise<Value> {
    return new Promise((resolve, reject) => new ScopeRun(this, g, frame, resolve, reject).start());
  }

  /** Whether failures are recorded and their dependants skipped, rather than ending the run. */
  get keepGoing(): boolean {
    return this.hooks.keepGoing === true;
  }

  /** Records the run's first failure and stops everything else (or, with `keepGoing`, records it). */
  fail(e: unknown): void {
    if (this.keepGoing && !this.abort.signal.aborted) {
      this.failures.push(e);
      return;
    }
    if (this.failure !== undefined) return;
    this.failure = e;
    this.abort.abort(e);
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get calls(): Dispatcher {
    return this.dispatcher;
  }

  async extern(n: Node<"extern">, args: Data[]): Promise<Data> {
    this.externsInFlight++;
    try {
      return await callExternNode(n, args, this.hooks.externs, this.program.types, this.abort.signal);
    } finally {
      this.externsInFlight--;
      this.dispatcher.nudge();
    }
  }

  /** A chat call with tools: its turns go through the dispatcher, so turn k of many calls batch. */
  toolLoop(n: Node<"call">, prompt: PromptValue): Promise<Value> {
    const send = (p: PromptValue, settings: Settings) => this.dispatcher.complete(n.client, settings, p, n.type);
    const call = { client: n.client, settings: n.settings, tools: n.tools!, maxSteps: n.maxSteps ?? 8 };
    return runToolLoop(call, prompt, send, this.hooks.externs, this.program.types, this.abort.signal);
  }

  nodeStarted(): void {
    this.hooks.onNode?.("start");
  }

  nodeDone(): void {
    this.hooks.onNode?.("done");
  }
}

/** One run of one scope: its frame of values, its countdowns and its element streams. */
class ScopeRun {
  private readonly waits: Map<NodeId, number>;
  private readonly streams = new Map<NodeId, ElementStream>();
  private readonly started = new Set<NodeId>();
  /** Fixed batches' submissions, and which items were sent. */
  private readonly fixed = new Map<NodeId, { calls: BatchCalls; sent: boolean[] }>();
  private left: number;
  private failed = false;

  constructor(
    private readonly s: Scheduler,
    private readonly g: Subgraph,
    private readonly frame: Frame,
    private readonly resolve: (v: Value) => void,
    private readonly reject: (e: unknown) => void,
  ) {
    this.waits = new Map(shapeOf(g).gates);
    this.left = shapeOf(g).ids.length;
  }

  start(): void {
    if (this.left === 0) return this.resolve(this.frame.get(this.g.output));
    // Collected first: launching one node may release (and launch) others.
    const ready = shapeOf(this.g).ids.filter((id) => this.waits.get(id) === 0);
    for (const id of ready) this.launch(id);
  }

  private release(ids: readonly NodeId[] | undefined): void {
    if (!ids) return;
    for (const id of ids) {
      const w = this.waits.get(id)! - 1;
      this.waits.set(id, w);
      if (w === 0) this.launch(id);
    }
  }

  private launch(id: NodeId): void {
    if (this.failed) return;
    const n = this.g.nodes[id];
    this.started.add(id);
    this.s.nodeStarted();
    if (this.s.keepGoing && this.dependsOnFailure(n)) return this.done(id, FAILED);
    try {
      this.begin(n);
    } catch (e) {
      this.fail(n, e);
    }
  }

  /** Starts a node: finishes it inline if it is local, or arranges for it to finish later. */
  private begin(n: IrNode): void {
    const f = this.frame;
    const later = (p: Promise<Value>) => p.then((v) => this.done(n.id, v), (e) => this.fail(n, e));
    switch (n.kind) {
      case "call":
        if (n.tools) return void later(this.s.toolLoop(n, asPrompt(f.get(n.prompt))));
        return void later(this.s.calls.complete(n.client, n.settings, asPrompt(f.get(n.prompt)), n.type));
      case "embed": {
        const input = f.data(n.input);
        if (typeof input === "string") return void later(this.s.calls.embed(n.client, n.settings, input));
        return void later(Promise.all((input as string[]).map((t) => this.s.calls.embed(n.client, n.settings, t))));
      }
      case "rerank":
        return void later(this.s.calls.rerank(n.client, n.settings, f.data(n.query) as string, f.data(n.documents) as string[]));
      case "extern":
        return void later(this.s.extern(n, n.args.map((a) => f.data(a))));
      case "cond": {
        const branch = f.data(n.condition) === true ? n.then : n.else;
        return void later(this.s.scope(branch, new Frame(new Map(), f)));
      }
      case "map":
        return this.map(n);
      case "fold":
      case "loop":
        return void later(this.state(n));
      case "batch":
        return this.batch(n);
      case "pick": {
        const stream = this.streams.get(n.batch);
        if (stream) return stream.on(n.index, (v) => this.done(n.id, v));
        return this.done(n.id, evalLocal(this.s.program, n, f, () => null));
      }
      default:
        return this.done(n.id, compiledNode(this.s.program, n)(f));
    }
  }

  private done(id: NodeId, v: Value): void {
    if (this.failed || this.frame.values.has(id)) return;
    this.frame.values.set(id, v);
    this.s.nodeDone();
    const shape = shapeOf(this.g);
    this.release(shape.onDone.get(id));
    for (const { batch, index } of shape.onItem.get(id) ?? []) if (this.started.has(batch)) this.sendItem(this.g.nodes[batch] as Node<"batch">, index);
    if (--this.left === 0) this.resolve(this.frame.get(this.g.output));
  }

  /** Whether a node reads a value that failed (only values already computed can have). */
  private dependsOnFailure(n: IrNode): boolean {
    return deps(n).some((d) => this.frame.find(d) === FAILED);
  }

  private fail(n: IrNode, e: unknown): void {
    if (this.s.keepGoing && !this.s.signal.aborted) {
      if (this.frame.values.has(n.id)) return;
      const located = e instanceof FesteRuntimeError ? e.at(n.span) : e;
      this.s.fail(located);
      // Its stream's elements that never came are failed too, so readers finish.
      return this.done(n.id, FAILED);
    }
    if (this.failed) return;
    this.failed = true;
    const located = e instanceof FesteRuntimeError ? e.at(n.span) : e;
    this.s.fail(located);
    this.reject(located);
  }

  /** A list this scope can read element by element: arriving, or complete. */
  private source(id: NodeId): ElementSource {
    return this.streams.get(id) ?? wholeSource(this.frame.get(id) as unknown as Value[]);
  }

  /** Opens a node's element stream and releases what reads it element by element. */
  private openStream(id: NodeId, length: number): ElementStream {
    const stream = new ElementStream(length);
    this.streams.set(id, stream);
    this.release(shapeOf(this.g).onStart.get(id));
    return stream;
  }

  private map(n: Node<"map">): void {
    const lists = n.lists.map((id) => this.source(id));
    const length = lists[0]?.length ?? 0;
    if (lists.some((l) => l.length !== length)) throw new Error("IR invariant broken: map over lists of different lengths");
    const out = n.filter ? undefined : this.openStream(n.id, length);
    const results: (Value | typeof SKIPPED)[] = new Array(length);
    let left = length;
    const finish = (i: number, v: Value | typeof SKIPPED) => {
      results[i] = v === FAILED ? null : v;
      if (v !== SKIPPED) out?.set(i, v);
      if (--left === 0) this.done(n.id, results.filter((r): r is Value => r !== SKIPPED) as unknown as Value);
    };
    if (length === 0) return this.done(n.id, [] as unknown as Value);
    // A body with no call in it is computed as each element arrives, with no scope to run,
    // by closures compiled once; what it reads from around it is read once, here.
    const local = runsLocally(n) ? compiledElement(this.s.program, n)(this.frame) : undefined;
    const cohort = local ? undefined : new Cohort(length);
    const ready = (i: number, elements: Value[]) => {
      if (!local) {
        return void this.element(n, elements, cohort!).then(
          (v) => (cohort!.leave(), finish(i, v)),
          (e) => (cohort!.leave(), this.fail(n, e)),
        );
      }
      let value: Value | typeof SKIPPED;
      try {
        value = elements.includes(FAILED) ? FAILED : (local(elements) ?? SKIPPED);
      } catch (e) {
        return this.fail(n, e);
      }
      finish(i, value);
    };
    if (lists.length === 1) return lists[0].each((i, v) => ready(i, [v]));
    for (let i = 0; i < length; i++) {
      const elements: Value[] = new Array(lists.length);
      let missing = lists.length;
      lists.forEach((list, k) =>
        list.on(i, (v) => {
          elements[k] = v;
          if (--missing === 0) ready(i, elements);
        }),
      );
    }
  }

  /**
   * A `fold` or `loop`. Inside a `map` element, each round first waits at the map's cohort
   * until every other element is also waiting or done, so round k of every element still
   * looping becomes ready at once and its calls go out together; one that stops drops out.
   */
  private async state(n: Node<"fold" | "loop">): Promise<Value> {
    if (runsLocally(n)) return runState(n, this.frame, (g, f) => evaluatePure(this.s.program, g, f));
    const cohort = Cohort.of(this.frame);
    const scope = async (g: Subgraph, f: Frame) => {
      const v = await this.s.scope(g, f);
      if (v === FAILED) throw STATE_FAILED;
      return v;
    };
    try {
      return await runStateAsync(n, this.frame, scope, cohort ? () => cohort.step() : undefined);
    } catch (e) {
      if (e === STATE_FAILED) return FAILED;
      throw e;
    }
  }

  /** One element of a `map`: its filter, then its body. */
  private async element(n: Node<"map">, elements: Value[], cohort: Cohort): Promise<Value | typeof SKIPPED> {
    if (elements.includes(FAILED)) return FAILED;
    const inputs = new Map<string, Value>(n.bindings.map((b, k) => [b, elements[k]]));
    if (n.filter) {
      const keep = await this.s.scope(n.filter, cohort.enter(new Frame(inputs, this.frame)));
      if (keep === FAILED) return FAILED;
      if (asData(keep) !== true) return SKIPPED;
    }
    const v = await this.s.scope(n.body, cohort.enter(new Frame(inputs, this.frame)));
    return v === FAILED || holdsPrompts(n.type) ? v : asData(v);
  }

  private batch(n: Node<"batch">): void {
    if (n.items) return this.fixedBatch(n);
    const list = this.source(n.list!);
    const out = this.openStream(n.id, list.length);
    if (list.length === 0) return this.done(n.id, [] as unknown as Value);
    const calls = this.submission(n, out, () => n);
    const site = siteOf(n);
    const isList = n.itemIsList === true;
    const whole = this.streams.has(n.list!) ? undefined : (this.frame.get(n.list!) as unknown as Value[]);
    if (!whole) {
      for (let i = 0; i < list.length; i++) list.on(i, (v) => this.prepared(n, calls, i, v, isList) && this.s.calls.submit(site, calls, i, i + 1));
      return;
    }
    // A list that is all there goes to the dispatcher in one piece, cut into requests there.
    let from = 0;
    for (let i = 0; i < whole.length && !this.failed; i++) {
      if (this.prepared(n, calls, i, whole[i], isList)) continue;
      this.s.calls.submit(site, calls, from, i);
      from = i + 1;
    }
    this.s.calls.submit(site, calls, from, whole.length);
  }

  /** A batch of calls from different places (the optimizer's fixed batch): each item goes once its value is there. */
  private fixedBatch(n: Node<"batch">): void {
    const items = n.items!;
    const out = this.openStream(n.id, items.length);
    if (items.length === 0) return this.done(n.id, [] as unknown as Value);
    // Blame the call the item came from (its `pick` keeps the call's span), not the batch.
    const calls = this.submission(n, out, (i) => this.pickOf(n, i) ?? n);
    this.fixed.set(n.id, { calls, sent: new Array(items.length).fill(false) });
    items.forEach((item, i) => (item in this.g.nodes ? this.frame.values.has(item) : true) && this.sendItem(n, i));
  }

  /** Sends item `i` of a fixed batch, once. */
  private sendItem(n: Node<"batch">, i: number): void {
    const state = this.fixed.get(n.id)!;
    if (state.sent[i] || this.failed) return;
    state.sent[i] = true;
    if (this.prepared(n, state.calls, i, this.frame.get(n.items![i]), n.listItems?.[i] === true)) this.s.calls.submit(siteOf(n), state.calls, i, i + 1);
  }

  /**
   * A batch's calls: each answer goes to its element of `out`, and the batch is done once every
   * element has one; a failure is blamed on `blame(i)`'s call.
   */
  private submission(n: Node<"batch">, out: ElementStream, blame: (i: number) => IrNode): BatchCalls {
    const answers: Value[] = new Array(out.length);
    let left = out.length;
    const answer = (i: number, a: Value) => {
      answers[i] = a === FAILED ? null : a;
      out.set(i, a);
      if (--left === 0) this.done(n.id, answers as unknown as Value);
    };
    return {
      payloads: [],
      answer,
      fail: (i, e) => {
        const a = this.itemFailed(n, blame(i), e);
        if (a !== undefined) answer(i, a);
      },
    };
  }

  /**
   * Item `i` of a batch has its value. True when its payload is in place for the dispatcher;
   * false when it was settled here instead: a failed value, a list of texts (each text a call
   * of its own), or a value the call cannot take.
   */
  private prepared(n: Node<"batch">, calls: BatchCalls, i: number, item: Value, isList: boolean): boolean {
    if (item === FAILED) {
      calls.answer(i, FAILED);
      return false;
    }
    try {
      if (isList) {
        const texts = asData(item) as string[];
        Promise.all(texts.map((t) => this.s.calls.embed(n.client, n.settings, t))).then((a) => calls.answer(i, a), (e: unknown) => calls.fail(i, e));
        return false;
      }
      calls.payloads[i] = n.endpoint === "call" ? asPrompt(item) : (asData(item) as string);
      return true;
    } catch (e) {
      calls.fail(i, e);
      return false;
    }
  }

  /**
   * One item of a batch failed. Normally that fails the run (undefined: nothing more to do);
   * with `keepGoing` the failure is recorded at `blame`'s call and the item's answer is `FAILED`.
   */
  private itemFailed(n: Node<"batch">, blame: IrNode, e: unknown): Value | undefined {
    if (!this.s.keepGoing || this.s.signal.aborted) {
      this.fail(blame, e);
      return undefined;
    }
    this.s.fail(e instanceof FesteRuntimeError ? e.at(blame.span) : e);
    return FAILED;
  }

  private pickOf(n: Node<"batch">, index: number): IrNode | undefined {
    return Object.values(this.g.nodes).find((p) => p.kind === "pick" && p.batch === n.id && p.index === index);
  }
}

/** A batch's calls as the dispatcher sees them; the scheduler also answers an item whose value failed, with FAILED. */
interface BatchCalls extends Submission {
  readonly payloads: Payload[];
  answer(index: number, value: Value): void;
}

/** What every call of a batch shares, as the dispatcher keys it (embeddings carry no answer type). */
function siteOf(n: Node<"batch">): CallSite {
  return n.endpoint === "call" ? { kind: "complete", client: n.client, settings: n.settings, output: n.element } : { kind: "embed", client: n.client, settings: n.settings };
}

const SKIPPED = Symbol("skipped");
/** Thrown out of a fold or loop whose round failed in a `keepGoing` run: the node is FAILED. */
const STATE_FAILED = Symbol("state failed");
