/**
 * Clients as the runtime sees them: a `fallback(...)` or `round_robin(...)` client may hand a
 * call to any of its members, each with its own settings. So a batch must fit every member's
 * limits, and identical calls merge only if every member would answer them the same way.
 */
import type { IrClient, IrProgram, Settings } from "./nodes.js";
import { itemsPerRequest } from "./requests.js";

/** The endpoint clients behind a client, in order (itself, for a plain client). */
export function concreteMembers(program: IrProgram, name: string, seen = new Set<string>()): IrClient[] {
  const c = program.clients[name];
  if (!c || seen.has(name)) return [];
  seen.add(name);
  if (!c.combinator) return [c];
  return c.combinator.members.flatMap((m) => concreteMembers(program, m, seen));
}

/** Each member's effective settings for a call: the member's own, overridden by the call's. */
export function memberSettings(program: IrProgram, name: string, call: Settings): Settings[] {
  const c = program.clients[name];
  if (!c?.combinator) return [call];
  return concreteMembers(program, name).map((m) => ({ ...m.settings, ...call }));
}

/**
 * Whether identical calls with these effective settings may be answered once: embeddings and
 * rerankings always, chat and completion calls at temperature 0 or with `dedupe: true`. The
 * optimizer merges such call sites; the dispatcher asks such calls once per run.
 */
export function mergeable(kind: string, settings: Settings): boolean {
  if (kind === "embed" || kind === "rerank") return true;
  return settings.dedupe === true || settings.temperature === 0;
}

/** Whether every member behind `name` would answer identical calls alike (see `mergeable`). */
export function answersAlike(program: IrProgram, name: string, kind: string, call: Settings): boolean {
  return memberSettings(program, name, call).every((s) => mergeable(kind, s));
}

/** Prompts or texts one request may carry, whichever member sends it. */
export function requestLimit(program: IrProgram, name: string, call: Settings): number {
  const members = concreteMembers(program, name);
  const settings = memberSettings(program, name, call);
  return Math.min(...members.map((m, i) => itemsPerRequest(m, settings[i] ?? call)));
}
