/**
 * From answer texts to values, the same way for every provider: the structured-output module
 * reads each text as the call's output type, and a text that does not fit fails the request
 * with the reader's words and, in a multi-item request, the item's position. Completion
 * endpoints and multi-conversation chat answer with choices that may come in any order, so
 * `byIndex` places them and says which are missing.
 */
import type { CompleteRequest } from "../runtime/backend.js";
import { AnswerError, parseAnswer, type OutputFormat } from "../runtime/structured/index.js";
import type { Data } from "../ir/value.js";
import { fail, type Call } from "./call.js";

/** `text` read as the request's output type; `item` is its position when the request carried several. */
export function decodeAnswer(call: Call, req: CompleteRequest, format: OutputFormat | undefined, text: string, finishReason: string | null | undefined, item: number | undefined): Data {
  try {
    return parseAnswer(text, req.output, req.types, format, finishReason);
  } catch (e) {
    if (!(e instanceof AnswerError)) throw e;
    const where = item === undefined ? "" : `answer ${item + 1} of ${req.prompts.length}: `;
    throw fail(call, `${where}${e.message}`, { reason: "answer", item });
  }
}

/**
 * `count` answers placed by their `index` field. An index out of range, given twice or
 * missing fails the request, naming the first item concerned.
 */
export function byIndex<T extends { readonly index?: number | null }>(call: Call, answers: readonly T[] | null | undefined, count: number, what: string): T[] {
  if (!Array.isArray(answers) || answers.length === 0) throw fail(call, `the provider answered with no ${what}`, { reason: "answer" });
  const placed: (T | undefined)[] = new Array(count).fill(undefined);
  for (const a of answers) {
    const i = a?.index;
    if (typeof i !== "number" || !Number.isInteger(i) || i < 0 || i >= count) {
      throw fail(call, `the provider answered with a ${singular(what)} whose index is ${JSON.stringify(i ?? null)}, expected 0 to ${count - 1}`, { reason: "answer" });
    }
    if (placed[i] !== undefined) throw fail(call, `the provider answered twice for item ${i + 1} of ${count}`, { reason: "answer", item: itemOf(i, count) });
    placed[i] = a;
  }
  const missing = placed.findIndex((a) => a === undefined);
  if (missing >= 0) {
    throw fail(call, `the provider answered with ${answers.length} ${what} for ${count} items; item ${missing + 1} has none`, { reason: "answer", item: itemOf(missing, count) });
  }
  return placed as T[];
}

/** The position to report: only a request that carried several items has one worth naming. */
export function itemOf(i: number, count: number): number | undefined {
  return count > 1 ? i : undefined;
}

function singular(what: string): string {
  return what.endsWith("s") ? what.slice(0, -1) : what;
}
