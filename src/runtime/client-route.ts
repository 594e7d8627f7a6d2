/**
 * Which concrete client answers a call. A `fallback(a, b)` client sends to its first member
 * (the reliability layer hands failed calls on to the next). A `round_robin(a, b)` client
 * spreads calls over its members by a hash of each call's content rather than by turn, so
 * a call goes to the same member in graph and eager mode, optimized or not, however it is
 * batched: one program, one meaning, even when members are different models. The settings
 * sent are the member's own, overridden by the call's.
 */
import { concreteMembers, memberSettings } from "../ir/clients.js";
import { cyrb53 } from "../ir/ids.js";
import type { IrClient, IrProgram, Settings } from "../ir/nodes.js";
import { isPrompt, type PromptValue } from "../ir/value.js";

export interface Route {
  readonly client: IrClient;
  readonly settings: Settings;
}

/** The member of client `name` (0 for a plain client) that answers a call carrying `item`. */
export function memberFor(program: IrProgram, name: string, item: PromptValue | string): number {
  const c = program.clients[name];
  if (c?.combinator?.name !== "round_robin") return 0;
  const text = isPrompt(item) ? item.$prompt.messages.map((m) => `${m.role}\u0000${m.content}`).join("\u0001") : item;
  return cyrb53(text) % concreteMembers(program, name).length;
}

/** Where a request for member `member` of client `name` goes, and with which settings. */
export function routeTo(program: IrProgram, name: string, settings: Settings, member: number): Route {
  const c = program.clients[name];
  if (!c?.combinator) return { client: c, settings };
  return { client: concreteMembers(program, name)[member], settings: memberSettings(program, name, settings)[member] };
}
