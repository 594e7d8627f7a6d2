/**
 * A `ModelBackend` that answers what it can from the cache and sends only the rest: the
 * misses of a request go to the inner backend as one request, and their answers are written
 * (one committed transaction) before any is returned. A run killed at any point, run again,
 * re-sends nothing that had finished.
 *
 * Calls at a temperature above 0 are cached too, so a re-run does not pay again: the cache
 * replays the samples the first run drew. Equal prompts of such calls stay apart: within one
 * backend the n-th equal prompt gets the n-th stored answer (so `for i in 1..5 { gpt(p) }`
 * keeps five different samples, and a re-run gets the same five). Make one caching backend
 * per run; a backend kept across runs draws new samples for repeated calls, as the model would.
 *
 * The cache never costs an answer: when a write fails mid-run (a full disk, a file made
 * read-only, a lock never given up), the cache warns once, stops writing and the run goes
 * on with every answer. A stored answer that does not fit the call's type (a tampered or
 * foreign row) is a miss, asked again, with a warning.
 */
import type { Data } from "../../ir/value.js";
import type { IrTypeDef } from "../../ir/nodes.js";
import type { Type } from "../../ir/types.js";
import { FesteRuntimeError } from "../../ir/errors.js";
import { coerce } from "../structured/coerce.js";
import type { CompleteRequest, EmbedRequest, ModelBackend, RerankRequest } from "../backend.js";
import type { AnswerCache } from "./open-cache.js";
import { itemKey, promptItem, requestScope, sampleKey, type Env, type RequestScope } from "./request-key.js";
import { SampleNumbers } from "./sample-numbers.js";

export interface CachingOptions {
  /** Where `{ env }` settings (a model named by a variable) are read for keys; default `process.env`. */
  readonly env?: Env;
  /** Told, for each request the scheduler makes, how many of its items the cache answered (for traces). */
  readonly onLookup?: (client: string, hits: number, items: number) => void;
}

/**
 * A stored answer as the value the call returns, or undefined when it does not have that
 * shape (it is then not used: read as a miss).
 */
type Check = (v: unknown) => { value: unknown } | undefined;
const anyData: Check = (value) => ({ value });
const isVector: Check = (v) => (Array.isArray(v) && v.every((x) => typeof x === "number" && Number.isFinite(x)) ? { value: v } : undefined);

/** A completion's answer must be a value of the call's declared type. */
function ofType(type: Type, types: Readonly<Record<string, IrTypeDef>>): Check {
  return (v) => {
    try {
      return { value: coerce(v as never, type, types) };
    } catch {
      return undefined;
    }
  };
}

/** Wraps `inner` so each item is answered from `cache` when it can be; see the module comment. */
export function cachingBackend(inner: ModelBackend, cache: AnswerCache, options: CachingOptions = {}): ModelBackend {
  const env = options.env ?? process.env;
  const samples = new SampleNumbers();
  let writing = true;
  let misfitsWarned = false;

  /** Keeps answers already paid for; the first failure is told once and writing stops. */
  async function keep(entries: readonly (readonly [Uint8Array, string])[]): Promise<void> {
    if (!writing) return;
    try {
      await cache.write(entries);
    } catch (e) {
      if (!writing) return;
      writing = false;
      const reason = e instanceof Error ? e.message : String(e);
      cache.warn(`answers are no longer kept in the cache file \`${cache.path}\`: ${reason}; this run goes on and returns every answer, but a run again pays for the ones not kept`);
    }
  }

  /** What the file holds for `keys`; a read that fails (a lock never given up) finds nothing. */
  async function stored(keys: readonly Uint8Array[]): Promise<(string | undefined)[]> {
    try {
      return await cache.read(keys);
    } catch (e) {
      if (e instanceof FesteRuntimeError) throw e;
      cache.warn(`the cache file \`${cache.path}\` could not be read (${e instanceof Error ? e.message : String(e)}); these calls are sent`);
      return keys.map(() => undefined);
    }
  }

  /** Stored text as an answer; one warning per run for values that do not fit their call. */
  function use(client: string, text: string | undefined, check: Check): { value: unknown } | undefined {
    const hit = decode(text, check);
    if (text !== undefined && !hit && !misfitsWarned) {
      misfitsWarned = true;
      cache.warn(`a cached answer for \`${client}\` in \`${cache.path}\` does not fit the call's type; it was not used and the call was sent again`);
    }
    return hit;
  }

  /**
   * Answers the items of one request: hits from the file, each distinct miss sent once
   * through `send` (given the positions to send), written, then all returned in order.
   */
  async function answer<T>(client: string, scope: RequestScope, items: readonly unknown[], check: Check, send: (positions: number[]) => Promise<T[]>): Promise<T[]> {
    const bases = items.map((item) => itemKey(scope, item));
    const drawn = scope.deterministic ? [] : bases.map((b) => samples.take(b));
    let done = false;
    try {
      const keys = scope.deterministic ? bases : bases.map((b, i) => sampleKey(b, drawn[i]));
      const found = (await stored(keys)).map((text) => use(client, text, check));
      // Misses by key: equal items of a deterministic request are sent once.
      const missing = new Map<string, number[]>();
      found.forEach((hit, i) => {
        if (hit) return;
        const id = keys[i].toString("hex");
        const same = missing.get(id);
        if (same) same.push(i);
        else missing.set(id, [i]);
      });
      const sent = [...missing.values()].map((positions) => positions[0]);
      const hits = found.filter((hit) => hit !== undefined).length;
      cache.stats.hits += hits;
      cache.stats.misses += items.length - hits;
      options.onLookup?.(client, hits, items.length);
      const out = found.map((hit) => hit?.value as T);
      if (sent.length > 0) {
        const answers = await send(sent);
        if (answers.length !== sent.length) throw new FesteRuntimeError("FE4004", `the model backend answered ${answers.length} of ${sent.length} items`);
        await keep(sent.map((i, j) => [keys[i], JSON.stringify(answers[j])] as const));
        [...missing.values()].forEach((positions, j) => {
          for (const i of positions) out[i] = answers[j];
        });
      }
      done = true;
      return out;
    } finally {
      // A failed request gives its sample numbers back, so a retry draws the same ones.
      if (!done) drawn.forEach((n, i) => samples.giveBack(bases[i], n));
    }
  }

  return {
    async complete(req: CompleteRequest): Promise<Data[]> {
      const scope = req.prompts.length === 0 ? undefined : scopeOrSkip(() => requestScope("complete", req.client, req.settings, env, { type: req.output, types: req.types }));
      if (!scope) return inner.complete(req);
      return answer(req.client.name, scope, req.prompts.map(promptItem), ofType(req.output, req.types), (ix) => inner.complete({ ...req, prompts: ix.map((i) => req.prompts[i]) }));
    },
    async embed(req: EmbedRequest): Promise<number[][]> {
      const scope = req.texts.length === 0 ? undefined : scopeOrSkip(() => requestScope("embed", req.client, req.settings, env));
      if (!scope) return inner.embed(req);
      return answer(req.client.name, scope, req.texts, isVector, (ix) => inner.embed({ ...req, texts: ix.map((i) => req.texts[i]) }));
    },
    async rerank(req: RerankRequest): Promise<Data> {
      const scope = req.documents.length === 0 ? undefined : scopeOrSkip(() => requestScope("rerank", req.client, req.settings, env));
      if (!scope) return inner.rerank(req);
      const [ranking] = await answer(req.client.name, scope, [[req.query, req.documents]], anyData, async () => [await inner.rerank(req)]);
      return ranking;
    },
  };
}

/** A request whose key cannot be made (a type without a definition) goes out uncached. */
function scopeOrSkip(make: () => RequestScope | undefined): RequestScope | undefined {
  try {
    return make();
  } catch {
    return undefined;
  }
}

/** A stored answer, or undefined when there is none or it cannot be read as one. */
function decode(text: string | undefined, check: Check): { value: unknown } | undefined {
  if (text === undefined) return undefined;
  try {
    return check(JSON.parse(text));
  } catch {
    return undefined;
  }
}
