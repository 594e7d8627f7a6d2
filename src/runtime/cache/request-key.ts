/**
 * Cache keys: a sha256 of everything about one request item that can change its answer —
 * provider, endpoint, the settings that shape answers, the item itself and, for structured
 * calls, the output type's JSON schema. Settings that only shape transport (the key, the base
 * URL, pacing, batching) are left out, so the API key never reaches a key, and moving a client
 * behind a proxy or changing its rate limit still hits.
 */
import { createHash } from "node:crypto";
import type { IrClient, IrTypeDef, SettingValue, Settings } from "../../ir/nodes.js";
import type { Type } from "../../ir/types.js";
import type { PromptValue } from "../../ir/value.js";
import { outputFormat } from "../structured/index.js";

/** Environment variables by name, where `{ env }` settings are read. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Settings that cannot change an answer: left out of every key. */
export const TRANSPORT_SETTINGS: ReadonlySet<string> = new Set([
  "api_key",
  "base_url",
  "max_concurrency",
  "rpm",
  "tpm",
  "timeout",
  "retries",
  "max_batch",
  "dedupe",
  "batch_endpoint",
]);

/** Bumped whenever what goes into a key changes, so old rows are simply never hit again. */
const KEY_FORMAT = "feste-answer-key/1";

/** What a request's items have in common, ready to be hashed with each item. */
export interface RequestScope {
  /** Canonical JSON of the request without its items. */
  readonly text: string;
  /**
   * Whether two equal items may share one answer: embeddings and rerankings always, chat and
   * completion calls at temperature 0 or with `dedupe: true` (the optimizer's rule). Other
   * calls are samples: equal items get answers of their own (see `caching-backend.ts`).
   */
  readonly deterministic: boolean;
}

type Method = "complete" | "embed" | "rerank";

/**
 * The scope of a request, or undefined when it must not be cached: a combinator client (the
 * backend is given concrete clients only) or an `{ env }` setting whose variable is not set
 * (the inner backend then reports it, instead of the cache answering a request that fails).
 */
export function requestScope(
  method: Method,
  client: IrClient,
  requested: Settings,
  env: Env,
  output?: { readonly type: Type; readonly types: Readonly<Record<string, IrTypeDef>> },
): RequestScope | undefined {
  if (client.combinator || !client.provider || !client.endpoint) return undefined;
  const effective: Settings = { ...client.settings, ...requested };
  const settings: [string, SettingValue][] = [];
  for (const name of Object.keys(effective).sort()) {
    if (TRANSPORT_SETTINGS.has(name)) continue;
    const value = resolve(effective[name], env);
    if (value === undefined) return undefined;
    settings.push([name, value]);
  }
  const format = output ? outputFormat(output.type, output.types) : undefined;
  const schema = format ? { name: format.name, wrapped: format.wrapped, schema: format.schema } : null;
  const text = canonicalJson([KEY_FORMAT, method, client.provider, client.endpoint, settings, schema]);
  const temperature = resolve(effective.temperature ?? "unset", env);
  const deterministic = method !== "complete" || effective.dedupe === true || Number(temperature) === 0;
  return { text, deterministic };
}

/** The key of one item of a request in `scope`: 32 bytes. */
export function itemKey(scope: RequestScope, item: unknown): Buffer {
  return createHash("sha256").update(scope.text).update("\u0000").update(canonicalJson(item)).digest();
}

/** The key of the `n`-th sample of an item of a non-deterministic call. */
export function sampleKey(item: Buffer, n: number): Buffer {
  return createHash("sha256").update(item).update(`#${n}`).digest();
}

/** A prompt as an item: its language and its messages with their roles, in order. */
export function promptItem(p: PromptValue): unknown {
  return [p.$prompt.lang, p.$prompt.messages.map((m) => [m.role, m.content])];
}

function resolve(value: SettingValue, env: Env): SettingValue | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const name = (value as { readonly env: string }).env;
  const read = env[name];
  return read === undefined || read === "" ? undefined : read;
}

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const o = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
  });
}
