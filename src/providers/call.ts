/**
 * One request as the adapters see it: the concrete client, its settings with `{ env }` values
 * read, where it goes and with which key, and the hooks a successful request reports to. The
 * adapters build SDK requests from it and turn every failure into a `ProviderError` through
 * `fail`, which names the client and endpoint and keeps the key out of the message.
 */
import type { IrClient } from "../ir/nodes.js";
import type { PlainSettings } from "./api-keys.js";
import { ProviderError, redact, type FailureFacts } from "./errors.js";

/** Tokens one request used, as the provider counted them (0 where it did not say). */
export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** One request to send: see the module comment. */
export interface Call {
  readonly client: IrClient;
  /** `client.endpoint`, e.g. `openai.chat`. */
  readonly endpoint: string;
  readonly settings: PlainSettings;
  /** The base URL requests go to, named in network errors. */
  readonly baseURL: string;
  /** Kept only to mask it in messages. */
  readonly apiKey: string;
  readonly signal?: AbortSignal;
  /** From the `timeout` setting (seconds), in milliseconds. */
  readonly timeoutMs?: number;
  readonly onUsage: (usage: Usage) => void;
  readonly onHeaders: (headers: Headers) => void;
}

/** The failure `detail` of `call`, e.g. "client `gpt` (openai.chat): the provider answered HTTP 400: …". */
export function fail(call: Call, detail: string, facts: FailureFacts): ProviderError {
  const message = `client \`${call.client.name}\` (${call.endpoint}): ${detail}`;
  return new ProviderError("FE4004", redact(message, call.apiKey), facts);
}

/** The `model` setting; every endpoint the providers serve needs one. */
export function modelOf(call: Call): string {
  const model = call.settings.model;
  if (typeof model !== "string" || model === "") throw fail(call, "no `model` setting", { reason: "config" });
  return model;
}

/** A numeric setting, if set. */
export function numberSetting(call: Call, key: string): number | undefined {
  const v = call.settings[key];
  return typeof v === "number" ? v : undefined;
}

/** A string setting, if set. */
export function stringSetting(call: Call, key: string): string | undefined {
  const v = call.settings[key];
  return typeof v === "string" ? v : undefined;
}

/** A list-of-strings setting (a lone string is a list of one), if set. */
export function stringsSetting(call: Call, key: string): string[] | undefined {
  const v = call.settings[key];
  if (typeof v === "string") return [v];
  return Array.isArray(v) ? [...(v as readonly string[])] : undefined;
}

/** The request carries at most `max` items (the dispatcher's promise); a bigger one is a bug upstream. */
export function checkItems(call: Call, count: number, max: number, what: string): void {
  if (count > max) throw fail(call, `${count} ${what} in one request, but this endpoint takes at most ${max}`, { reason: "request" });
}

/** Token counts that may be missing from an answer, as a `Usage`. */
export function usage(input: number | null | undefined, output: number | null | undefined): Usage {
  return { inputTokens: finite(input), outputTokens: finite(output) };
}

function finite(n: number | null | undefined): number {
  return typeof n === "number" && Number.isFinite(n) ? n : 0;
}
