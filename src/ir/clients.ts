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

/** Prompts or texts one request may carry, whichever member sends it. */
export function requestLimit(program: IrProgram, name: string, call: Settings): number {
  const members = concreteMembers(program, name);
  const settings = memberSettings(program, name, call);
  return Math.min(...members.map((m, i) => itemsPerRequest(m, settings[i] ?? call)));
}
