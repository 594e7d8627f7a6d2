/**
 * Sends model calls in as few requests as the endpoints allow, without making anything wait
 * for unrelated work. Calls that become ready together for the same batch key (client,
 * effective settings, kind of call and answer type) wait in an open group; the group is
 * flushed when it is full, or once the scheduler has run everything that was ready (a
 * macrotask boundary: every answer that arrived and all local work it unlocked have been
 * handled, so nothing more can join now), or, while extern functions are still running and
 * might add calls, when the batch window (a short backstop) runs out. Requests are even
 * shares of what waits, the fewest the limit allows. Flushed items wait in
 * the client's queue until a `max_concurrency` slot is free; the request is formed only then,
 * so calls that pile up behind a busy client travel together.
 *
 * At temperature 0 (or with `dedupe: true`) identical calls are asked once per run, however
 * they arise (`SharedCalls`).
 *
 * `send` is the one place a request leaves. It waits for the client's pacer (`rpm`, `tpm`,
 * the server's rate-limit headers), retries what can succeed on a second try with backoff,
 * and hands a call that still fails to the next member of a `fallback` or `round_robin`
 * client.
 */
import { requestLimit } from "../ir/clients.js";
import { FesteRuntimeError } from "../ir/errors.js";
import type { IrProgram, Settings } from "../ir/nodes.js";
import { evenShare, splitRequests, tokensPerRequest } from "../ir/requests.js";
import type { Type } from "../ir/types.js";
import type { Data, PromptValue } from "../ir/value.js";
import { CallQueue, itemsIn, payloadsOf, type CallKind, type Payload, type Run, type Submission } from "./call-queue.js";
import type { ModelBackend } from "./backend.js";
import { memberFor, routeTo, type Route } from "./client-route.js";
import { endpointClient } from "./evaluate.js";
import { answersAlike, concreteMembers } from "../ir/clients.js";
import { SharedCalls } from "./shared-calls.js";
import type { IrClient } from "../ir/nodes.js";
import { DEFAULT_ANSWER_TOKENS, tokensAtMost } from "./tokens.js";
import type { Clock } from "./reliability/clock.js";
import { Health } from "./reliability/health.js";
import { Pacer } from "./reliability/pacer.js";
import { ConcurrencyLimit, DEFAULT_CONCURRENCY_CEILING } from "./reliability/concurrency-limit.js";
import { DEFAULT_RETRIES, RATE_LIMIT_RETRIES, rateLimited, retryable, retryDelay } from "./reliability/retry.js";

export interface DispatcherOptions {
  readonly countTokens: (text: string) => number;
  readonly signal: AbortSignal;
  /** The backstop: how long a call may wait for others to join while externs still run. */
  readonly windowMs: number;
  /** Whether work is running that could still add calls (extern functions in flight). */
  readonly busy: () => boolean;
  readonly clock: Clock;
}

/** A call site: what every item of a submission shares. */
export interface CallSite {
  readonly kind: CallKind;
  readonly client: string;
  readonly settings: Settings;
  /** The answer's type (completions only). */
  readonly output?: Type;
}

interface Group {
  readonly key: string;
  readonly site: CallSite;
  /** Which member of a combined client the group's calls go to. */
  readonly member: number;
  readonly limit: number;
  readonly queue: CallQueue;
}

/** A client's requests in flight and the flushed calls waiting for a slot. */
interface Lane {
  active: number;
  readonly limit: ConcurrencyLimit;
  readonly queue: Group[];
}

export class Dispatcher {
  private readonly open = new Map<string, Group>();
  private readonly lanes = new Map<string, Lane>();
  private readonly pacers = new Map<string, Pacer>();
  private readonly health: Health;
  private readonly shared = new SharedCalls();
  /** The flush check to come: at the next macrotask, or when the backstop window ends. */
  private flushAt: NodeJS.Immediate | undefined;
  private backstop: NodeJS.Timeout | undefined;
  private oldest = 0;

  constructor(
    private readonly program: IrProgram,
    private readonly backend: ModelBackend,
    private readonly options: DispatcherOptions,
  ) {
    options.signal.addEventListener("abort", () => this.abandon(), { once: true });
    this.health = new Health(options.clock);
  }

  complete(client: string, settings: Settings, prompt: PromptValue, output: Type): Promise<Data> {
    return this.one({ kind: "complete", client, settings, output }, prompt);
  }

  async embed(client: string, settings: Settings, text: string): Promise<number[]> {
    return (await this.one({ kind: "embed", client, settings }, text)) as number[];
  }

  rerank(client: string, settings: Settings, query: string, documents: readonly string[]): Promise<Data> {
    return this.one({ kind: "rerank", client, settings }, { query, documents });
  }

  /** Called when work that could add calls has finished: open groups may go now. */
  nudge(): void {
    if (this.open.size === 0) return;
    clearTimeout(this.backstop);
    this.backstop = undefined;
    this.scheduleFlush();
  }

  /** One call, as a submission of one item whose answer settles the promise. */
  private one(site: CallSite, payload: Payload): Promise<Data> {
    return new Promise<Data>((resolve, reject) => this.submit(site, { payloads: [payload], answer: (_, v) => resolve(v), fail: (_, e) => reject(e) }, 0, 1));
  }

  /**
   * Items `from` to `to` of `calls` (whose payloads there are filled in) are ready: they join
   * the open group of their batch key, and full requests leave at once. Each item is answered
   * or failed through `calls`, never synchronously from here.
   */
  submit(site: CallSite, calls: Submission, from: number, to: number): void {
    if (to <= from) return;
    if (this.options.signal.aborted) {
      const e = abortError();
      return void queueMicrotask(() => {
        for (let i = from; i < to; i++) calls.fail(i, e);
      });
    }
    if (answersAlike(this.program, site.client, site.kind, site.settings)) {
      // Identical calls are asked once per run: only the first of each goes on.
      const first = this.shared.share(batchKey(site.kind, site.client, 0, site.settings, site.output), calls, from, to);
      [calls, from, to] = [first.calls, 0, first.count];
      if (to === 0) return;
    }
    if (this.program.clients[site.client]?.combinator?.name !== "round_robin") return this.join(site, 0, calls, from, to);
    // Each call of a round_robin client goes to the member its content picks.
    for (let i = from; i < to; i++) this.join(site, memberFor(this.program, site.client, memberText(site.kind, calls.payloads[i])), calls, i, i + 1);
  }

  private join(site: CallSite, member: number, calls: Submission, from: number, to: number): void {
    const key = batchKey(site.kind, site.client, member, site.settings, site.output);
    let g = this.open.get(key);
    if (!g) {
      const limit = site.kind === "rerank" ? 1 : requestLimit(this.program, site.client, site.settings);
      g = { key, site, member, limit, queue: new CallQueue() };
      this.open.set(key, g);
      if (this.open.size === 1) this.oldest = performance.now();
    }
    g.queue.push(calls, from, to);
    // Full requests go at once, as even shares of what waits (5,000 at 2,048: two of 1,667
    // now); the last share keeps waiting for company unless it is full already.
    if (g.queue.size >= g.limit) {
      const k = Math.ceil(g.queue.size / g.limit);
      const per = Math.ceil(g.queue.size / k);
      const last = g.queue.size - per * (k - 1);
      const full = new CallQueue();
      full.pushRuns(g.queue.take(last >= g.limit ? g.queue.size : per * (k - 1)));
      this.enqueue({ ...g, queue: full });
      if (g.queue.size === 0) this.open.delete(key);
    }
    if (g.queue.size > 0) this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushAt || this.backstop) return;
    this.flushAt = setImmediate(() => this.tryFlush());
  }

  private tryFlush(): void {
    this.flushAt = undefined;
    this.backstop = undefined;
    const waited = performance.now() - this.oldest;
    if (this.options.busy() && waited < this.options.windowMs) {
      this.backstop = setTimeout(() => this.tryFlush(), Math.max(1, this.options.windowMs - waited));
      return;
    }
    const groups = [...this.open.values()];
    this.open.clear();
    for (const g of groups) this.enqueue(g);
  }

  /** The lane of the concrete client a group goes to: `max_concurrency` is that client's, however it is reached. */
  private lane(g: Group): Lane {
    const { client } = routeTo(this.program, g.site.client, g.site.settings, g.member);
    let lane = this.lanes.get(client.name);
    if (!lane) {
      const set = client.settings.max_concurrency;
      lane = { active: 0, limit: new ConcurrencyLimit(typeof set === "number" ? set : DEFAULT_CONCURRENCY_CEILING), queue: [] };
      this.lanes.set(client.name, lane);
    }
    return lane;
  }

  private enqueue(g: Group): void {
    const lane = this.lane(g);
    const same = lane.queue.find((q) => q.key === g.key);
    if (same) same.queue.append(g.queue);
    else lane.queue.push(g);
    this.pump(lane);
  }

  /** Sends from the lane's queue while it has free slots. */
  private pump(lane: Lane): void {
    while (lane.active < lane.limit.current && lane.queue.length > 0 && !this.options.signal.aborted) {
      const g = lane.queue[0];
      const chunk = this.nextChunk(g);
      if (g.queue.size === 0) lane.queue.shift();
      lane.active++;
      void this.send(g, chunk).finally(() => {
        lane.active--;
        this.pump(lane);
      });
    }
  }

  /** The items of the next request: an even share of what waits, within the group's limit and the endpoint's token budget. */
  private nextChunk(g: Group): Run[] {
    const per = evenShare(g.queue.size, g.limit);
    if (g.site.kind !== "embed") return g.queue.take(per);
    const budget = tokensPerRequest(endpointClient(this.program, g.site.client));
    if (budget === undefined) return g.queue.take(per);
    const texts = g.queue.payloads(per) as string[];
    // Counting is exact but slow; most chunks are far inside the budget by the byte bound alone.
    if (texts.reduce((t, text) => t + tokensAtMost(text), 0) <= budget) return g.queue.take(per);
    const [first] = splitRequests(texts, per, budget, (text) => this.options.countTokens(text));
    return g.queue.take(first.length);
  }

  private async send(g: Group, chunk: Run[]): Promise<void> {
    const payloads = payloadsOf(chunk);
    let answers: Data[];
    try {
      answers = await this.withFailover(g, payloads);
      if (answers.length !== payloads.length) {
        throw new FesteRuntimeError("FE4004", `client \`${g.site.client}\` answered ${answers.length} of ${payloads.length} items`);
      }
    } catch (e) {
      // The item the provider blamed fails first, so the run reports its call.
      const blamed = typeof (e as { item?: unknown }).item === "number" ? (e as { item: number }).item : 0;
      return failRuns(chunk, e, blamed);
    }
    let k = 0;
    for (const r of chunk) for (let i = r.from; i < r.to; i++) r.of.answer(i, answers[k++]);
  }

  /** The group's member first; when it still fails after its retries, the combinator's other members in order. */
  private async withFailover(g: Group, chunk: Payload[]): Promise<Data[]> {
    const combined = this.program.clients[g.site.client]?.combinator !== undefined;
    const count = combined ? concreteMembers(this.program, g.site.client).length : 1;
    const routes = Array.from({ length: count }, (_, k) => routeTo(this.program, g.site.client, g.site.settings, (g.member + k) % count));
    // Members cooling down go last: asked only if every other member fails too.
    const order = combined ? [...routes.filter((r) => !this.health.cooling(r.client.name)), ...routes.filter((r) => this.health.cooling(r.client.name))] : routes;
    let failure: unknown;
    for (const [k, route] of order.entries()) {
      try {
        const answers = await this.withRetries(g, route, chunk);
        if (combined) this.health.record(route.client.name, true);
        return answers;
      } catch (e) {
        if (combined && retryable(e)) this.health.record(route.client.name, false);
        if (this.options.signal.aborted || k === order.length - 1) throw e;
        failure ??= e;
      }
    }
    throw failure;
  }

  /** One member's attempts: paced, retried with backoff while the failure may pass. */
  private async withRetries(g: Group, route: Route, chunk: Payload[]): Promise<Data[]> {
    const { clock, signal } = this.options;
    const pacer = this.pacer(route.client, route.settings);
    const retries = typeof route.settings.retries === "number" ? route.settings.retries : DEFAULT_RETRIES;
    const tokens = this.tokensOf(g, route, chunk);
    for (let attempt = 0; ; attempt++) {
      const turn = pacer.acquire(tokens, signal);
      if (turn) await turn;
      const limit = this.lanes.get(route.client.name)?.limit;
      const epoch = limit?.started() ?? 0;
      const sentAt = performance.now();
      try {
        const answers = await this.request(g, route, chunk, signal, (h) => pacer.observe(h));
        limit?.succeeded(performance.now() - sentAt);
        pacer.answered(sentAt);
        return answers;
      } catch (e) {
        // The provider pushing back (429, 5xx, timeouts, dropped connections) narrows the client's lane.
        if (retryable(e)) limit?.overloaded(epoch);
        if (signal.aborted || !retryable(e) || attempt >= (rateLimited(e) ? Math.max(retries, RATE_LIMIT_RETRIES) : retries)) throw e;
        const wait = retryDelay(attempt, e);
        if (rateLimited(e)) pacer.refused(wait, (e as { retryAfterMs?: number }).retryAfterMs !== undefined);
        await clock.sleep(clock.real(wait), signal);
      }
    }
  }

  private pacer(client: IrClient, settings: Settings): Pacer {
    let p = this.pacers.get(client.name);
    if (!p) {
      const limit = (k: string) => (typeof settings[k] === "number" ? (settings[k] as number) : typeof client.settings[k] === "number" ? (client.settings[k] as number) : undefined);
      const rpm = limit("rpm");
      const tpm = limit("tpm");
      this.pacers.set(client.name, (p = new Pacer({ ...(rpm ? { rpm } : {}), ...(tpm ? { tpm } : {}) }, this.options.clock)));
    }
    return p;
  }

  /** Tokens a request counts against `tpm`: its input, plus `max_tokens` per answer as the provider counts it. */
  private tokensOf(g: Group, route: Route, chunk: Payload[]): number {
    if (route.settings.tpm === undefined && route.client.settings.tpm === undefined) return 0;
    const count = this.options.countTokens;
    const input = chunk.reduce((t, v) => {
      if (typeof v === "string") return t + count(v);
      if ("$prompt" in v) return t + v.$prompt.messages.reduce((u, m) => u + count(m.content), 0);
      return t + count(v.query) + v.documents.reduce((u, d) => u + count(d), 0);
    }, 0);
    const answer = g.site.kind === "complete" ? (typeof route.settings.max_tokens === "number" ? route.settings.max_tokens : DEFAULT_ANSWER_TOKENS) * chunk.length : 0;
    return input + answer;
  }

  private async request(g: Group, route: Route, chunk: Payload[], signal: AbortSignal, onHeaders: (h: Headers) => void): Promise<Data[]> {
    const { client, settings } = route;
    switch (g.site.kind) {
      case "complete":
        return this.backend.complete({ client, settings, prompts: chunk as PromptValue[], output: g.site.output!, types: this.program.types, signal, onHeaders });
      case "embed":
        return this.backend.embed({ client, settings, texts: chunk as string[], signal, onHeaders });
      case "rerank": {
        const { query, documents } = chunk[0] as { query: string; documents: readonly string[] };
        return [await this.backend.rerank({ client, settings, query, documents, signal, onHeaders })];
      }
    }
  }

  /** After a failure or cancellation: nothing more is sent, and every waiting call fails. */
  private abandon(): void {
    const waiting = [...this.open.values(), ...[...this.lanes.values()].flatMap((l) => l.queue.splice(0))];
    this.open.clear();
    const e = abortError();
    // As a promise's rejection would: after the failure that aborted the run has been recorded.
    queueMicrotask(() => {
      for (const g of waiting) failRuns(g.queue.drain(), e);
    });
  }
}

/** Fails every item of `runs`, the one at position `first` among them before the others. */
function failRuns(runs: readonly Run[], e: unknown, first = 0): void {
  const blamed = first < itemsIn(runs) ? first : 0;
  let k = 0;
  for (const r of runs) for (let i = r.from; i < r.to; i++, k++) if (k === blamed) r.of.fail(i, e);
  k = 0;
  for (const r of runs) for (let i = r.from; i < r.to; i++, k++) if (k !== blamed) r.of.fail(i, e);
}

/** The text a round_robin client picks a call's member by. */
function memberText(kind: CallKind, payload: Payload): PromptValue | string {
  return kind === "rerank" ? (payload as { query: string }).query : (payload as PromptValue | string);
}

function abortError(): Error {
  return Object.assign(new Error("the run was cancelled"), { name: "AbortError" });
}

/** Calls with equal keys may share a request. Settings are keyed in sorted order. */
function batchKey(kind: CallKind, client: string, member: number, settings: Settings, output: Type | undefined): string {
  return `${kind}\u0000${client}\u0000${member}\u0000${settingsKey(settings)}\u0000${output === undefined ? "" : typeKey(output)}`;
}

/**
 * Keys of settings and types by object: the elements of a `for` share their call site's
 * objects, so a map of 5,000 calls serialises them once, not 5,000 times.
 */
const settingsKeys = new WeakMap<Settings, string>();
const typeKeys = new WeakMap<Type, string>();

function settingsKey(settings: Settings): string {
  let key = settingsKeys.get(settings);
  if (key === undefined) settingsKeys.set(settings, (key = JSON.stringify(Object.keys(settings).sort().map((k) => [k, settings[k]]))));
  return key;
}

function typeKey(type: Type): string {
  let key = typeKeys.get(type);
  if (key === undefined) typeKeys.set(type, (key = JSON.stringify(type)));
  return key;
}
