/**
 * The stand-in's answers, shared by both providers. Each is a pure function of one item (the
 * model and that item's prompt or conversation), never of what else travelled in the same
 * request, so batching changes how many requests are sent and never what comes back.
 */
import { hash32 } from "../fake-answers.js";
import { schemaInInstruction } from "../../runtime/structured/instruction.js";
import { fakeFromSchema } from "./fake-from-schema.js";

/** A chat message reduced to what decides the answer. */
export interface SeedMessage {
  readonly role: string;
  readonly text: string;
}

/** The seed of a chat answer: the model, then one `role: text` line per message. */
export function chatSeed(model: string, messages: readonly SeedMessage[]): string {
  return `${model}\n` + messages.map((m) => `${m.role}: ${m.text}`).join("\n");
}

/**
 * The answer text for a seed: JSON satisfying `schema` when the call asked for one, a JSON
 * object when it asked for JSON without a schema, plain text otherwise.
 */
export function answerText(seed: string, format: { readonly schema?: unknown; readonly json?: boolean } = {}): string {
  if (format.schema !== undefined) return JSON.stringify(fakeFromSchema(format.schema, seed));
  const plain = `answer ${hash32(seed).toString(36)}`;
  return format.json ? JSON.stringify({ answer: plain }) : plain;
}

/** A completion endpoint's answer: structured when the prompt ends with the schema instruction. */
export function completionText(model: string, prompt: string): string {
  return answerText(`${model}\n${prompt}`, { schema: schemaInInstruction(prompt) });
}

/**
 * The text of a message's content in either provider's format: a string, or a list of parts
 * whose text parts count (images and the like carry no text to seed from).
 */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .filter((part) => typeof part === "object" && part !== null && typeof part.text === "string")
    .map((part) => part.text as string)
    .join("\n");
}

/** Tokens as the usage fields report them: about four characters a token, at least one. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/**
 * `entries` in a deterministic shuffled order (by a hash of each entry's key), or as given
 * when `outOfOrder` is off. Two or more entries never come back in their original order, so a
 * caller that ignores `index` fails every time rather than now and then.
 */
export function shuffled<T>(entries: readonly T[], key: (entry: T, i: number) => string, outOfOrder: boolean): T[] {
  if (!outOfOrder || entries.length < 2) return [...entries];
  const keyed = entries.map((entry, i) => ({ entry, i, h: hash32(`${i}\u0000${key(entry, i)}`) }));
  keyed.sort((a, b) => a.h - b.h || a.i - b.i);
  if (keyed.every((k, at) => k.i === at)) keyed.push(keyed.shift()!);
  return keyed.map((k) => k.entry);
}

/** An id in the provider's style that depends only on what was asked. */
export function stableId(prefix: string, body: unknown): string {
  return `${prefix}${hash32(JSON.stringify(body)).toString(36)}`;
}
