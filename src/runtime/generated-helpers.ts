/**
 * What generated prompt renderers are built from: the same operations the interpreter uses
 * (`applyOp`), field and index access with the interpreter's rules, a `for` over lists, and
 * the prompt value itself. Generated code builds strings from these and from JSON literals;
 * no user text ever becomes code.
 */
import { FesteRuntimeError } from "../ir/errors.js";
import { ownField } from "../ir/evaluate-pure.js";
import { asData, promptMessages, type Data, type PromptValue, type RenderedSection, type Value } from "../ir/value.js";

/** Any value a renderer is given (records arrive as the generated interfaces) as data. */
export function data(v: unknown): Data {
  return asData(v as Value);
}

/** `r.name`: null where the field is absent, as in the interpreter. */
export function field(record: Data, name: string): Data {
  return ownField(record, name);
}

/** `xs[i]`, with the interpreter's out-of-range error. */
export function at(list: Data, index: Data): Data {
  const xs = list as Data[];
  const i = index as number;
  if (!Number.isInteger(i) || i < 0 || i >= xs.length) throw new FesteRuntimeError("FE4003", `index ${i} is out of range for a list of ${xs.length}`);
  return xs[i];
}

/** A `for` over lists in lockstep, keeping the positions where `filter` holds. */
export function mapList(lists: readonly Data[], body: (...elements: Data[]) => Data, filter?: (...elements: Data[]) => Data): Data[] {
  const ls = lists as Data[][];
  const out: Data[] = [];
  for (let i = 0; i < (ls[0]?.length ?? 0); i++) {
    const elements = ls.map((l) => l[i]);
    if (filter && filter(...elements) !== true) continue;
    out.push(body(...elements));
  }
  return out;
}

/** A `fold` in generated code: `body(state, element)` per element, in order; the last state. */
export function foldList(init: Data, list: Data, body: (state: Data, element: Data) => Data): Data {
  let state = init;
  for (const x of list as Data[]) state = body(state, x);
  return state;
}

/** A `loop` in generated code: while `until(state)` is not true and fewer than `max` rounds ran, `state = body(state)`. */
export function loopState(init: Data, max: number, until: (state: Data) => Data, body: (state: Data) => Data): Data {
  let state = init;
  for (let round = 0; round < max && until(state) !== true; round++) state = body(state);
  return state;
}

/** A rendered prompt: its language and role sections (a `messages` section inserts its turns). */
export function prompt(lang: string, sections: readonly RenderedSection[]): PromptValue {
  return { $prompt: { lang, messages: promptMessages(sections) } };
}

/** Who speaks a chat turn (the language's builtin `Role`). */
export type Role = "system" | "user" | "assistant";

/** One turn of a chat conversation (the language's builtin `Message`). */
export interface Message {
  role: Role;
  content: string;
}

/** What a rerank client returns for each document. */
export interface Ranked {
  index: number;
  score: number;
  document: string;
}
