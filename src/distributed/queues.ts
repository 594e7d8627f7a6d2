/**
 * One BullMQ queue per concrete client, so the queue's limiter (global across workers) can
 * hold that client's `rpm`, plus one queue for extern calls. A queue's name is derived from
 * what identifies the account and its limits (provider, endpoint, server, the variable the
 * key is read from, rpm, tpm, the clock scale), never from a key itself: runs of different
 * programs that share a client share its queue and its limit.
 */
import { createHash } from "node:crypto";
import { concreteMembers } from "../ir/clients.js";
import type { IrClient, IrProgram, SettingValue } from "../ir/nodes.js";
import { canonicalJson } from "../runtime/cache/request-key.js";

/** What a worker needs to serve a queue. */
export interface QueueSpec {
  readonly name: string;
  readonly kind: "model" | "extern";
  /** BullMQ's limiter: at most `max` jobs start in a window of `duration` real ms. */
  readonly limiter?: { readonly max: number; readonly duration: number };
  /** A token budget kept in Redis: at most `budget` estimated tokens per window of `windowMs` real ms. */
  readonly tokens?: { readonly budget: number; readonly windowMs: number };
  /** Provider time over real time: divides the waits a server asks for. */
  readonly timeScale: number;
}

export const EXTERN_QUEUE: QueueSpec = { name: "feste-extern", kind: "extern", timeScale: 1 };

const MINUTE = 60_000;
/** At most this many windows a minute: shorter windows smooth bursts but cost Redis round trips. */
const MAX_WINDOWS_PER_MINUTE = 10;

/**
 * How many of `perMinute` may start in each of k fixed windows a minute is cut into, and how
 * long a window lasts in real ms. A fixed window counts from its own start, so a provider's
 * minute, which may begin anywhere, overlaps up to k+1 windows: allowing perMinute / (k+1) per
 * window never exceeds the limit. k is chosen to keep the most of the limit usable (54 of 60,
 * 18 of 20); a limit of 1 a minute gets 1 per two minutes.
 */
export function perWindow(perMinute: number, timeScale: number): { max: number; windowMs: number } {
  let best = { k: 1, max: 0 };
  for (let k = 1; k <= MAX_WINDOWS_PER_MINUTE; k++) {
    const max = Math.floor(perMinute / (k + 1));
    if (max * k > best.max * best.k) best = { k, max };
  }
  if (best.max === 0) return { max: 1, windowMs: (2 * MINUTE) / timeScale };
  return { max: best.max, windowMs: MINUTE / best.k / timeScale };
}

/** The queue of concrete client `client`. */
export function modelQueue(client: IrClient, timeScale: number): QueueSpec {
  const s = client.settings;
  const num = (v: SettingValue | undefined) => (typeof v === "number" && v > 0 ? v : undefined);
  const rpm = num(s.rpm);
  const tpm = num(s.tpm);
  // A key written into the source is never hashed into a name; a variable's name is fine.
  const key = typeof s.api_key === "object" && s.api_key !== null && !Array.isArray(s.api_key) ? s.api_key : s.api_key === undefined ? null : "literal";
  const identity = canonicalJson([client.provider, client.endpoint, s.base_url ?? null, key, rpm ?? null, tpm ?? null, timeScale]);
  const hash = createHash("sha256").update(identity).digest("hex").slice(0, 12);
  const safe = client.name.replace(/[^A-Za-z0-9_-]/g, "_");
  const limits = rpm ? perWindow(rpm, timeScale) : undefined;
  const budget = tpm ? perWindow(tpm, timeScale) : undefined;
  return {
    name: `feste-model-${safe}-${hash}`,
    kind: "model",
    timeScale,
    ...(limits ? { limiter: { max: limits.max, duration: limits.windowMs } } : {}),
    ...(budget ? { tokens: { budget: budget.max, windowMs: budget.windowMs } } : {}),
  };
}

/** Every queue a run of `program` may use: its concrete clients' and the extern queue. */
export function queuesOf(program: IrProgram, timeScale: number): Map<string, QueueSpec> {
  const specs = new Map<string, QueueSpec>();
  for (const name of Object.keys(program.clients).sort()) {
    const members = program.clients[name].combinator ? concreteMembers(program, name) : [program.clients[name]];
    for (const c of members) specs.set(c.name, modelQueue(c, timeScale));
  }
  specs.set("", EXTERN_QUEUE);
  return specs;
}

/**
 * The program the coordinator schedules: `rpm` and `tpm` removed from every client and model
 * node, because in a distributed run the queues pace each client across all workers, and a
 * coordinator pacing on its own as well would only slow the run down.
 */
export function withoutPacing(program: IrProgram): IrProgram {
  const strip = <T extends { readonly settings: Readonly<Record<string, SettingValue>> }>(x: T): T => {
    if (!("rpm" in x.settings) && !("tpm" in x.settings)) return x;
    const { rpm: _r, tpm: _t, ...settings } = x.settings;
    return { ...x, settings };
  };
  const clients = Object.fromEntries(Object.entries(program.clients).map(([n, c]) => [n, strip(c)]));
  // Nodes carry effective settings; JSON keeps the IR plain data, so a structural rewrite is enough.
  const graphs = JSON.parse(JSON.stringify(program.graphs), (k, v) => (k === "settings" && v && typeof v === "object" && !Array.isArray(v) ? dropPacing(v) : v));
  return { ...program, clients, graphs };
}

function dropPacing(settings: Record<string, unknown>): Record<string, unknown> {
  const { rpm: _r, tpm: _t, ...rest } = settings;
  return rest;
}
