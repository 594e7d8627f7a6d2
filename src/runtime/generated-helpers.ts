/**
 * What generated prompt renderers are built from: how a value renders in a template, the
 * interpreter's operations (`applyOp`) where TypeScript has no operator that means the same,
 * field and index access with the interpreter's rules, a `for` over lists of plain data, and
 * the prompt value itself. Generated code builds strings from these and from JSON literals;
 * no user text ever becomes code.
 */
import { renderValue } from "../ir/builtins.js";
import { FesteRuntimeError } from "../ir/errors.js";
import { ownField } from "../ir/evaluate-pure.js";
import { asData, type Data, type PromptValue, type Value } from "../ir/value.js";

/** Any value a renderer is given (records arrive as the generated interfaces, prompts as prompt values) as data. */
export function data(v: unknown): Data {
  return asData(v as Value);
}

/** How `{{ x }}` renders a value: null as nothing, a prompt as its text, lists and records as JSON. */
export function text(v: unknown): string {
  return renderValue(asData(v as Value));
}

/** `r.name` on data: null where the field is absent, as in the interpreter. */
export function field(record: Data, name: string): Data {
  return ownField(record, name);
}

/** `xs[i]`, with the interpreter's out-of-range error. */
export function at<T>(xs: readonly T[], i: number): T {
  if (!Number.isInteger(i) || i < 0 || i >= xs.length) throw new FesteRuntimeError("FE4003", `index ${i} is out of range for a list of ${xs.length}`);
  return xs[i];
}

/** `xs[i]` on data. */
export function index(list: Data, i: Data): Data {
  return at(list as readonly Data[], i as number);
}

/** A `for` over lists of data in lockstep, keeping the positions where `filter` holds. */
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
  for (const x of list as readonly Data[]) state = body(state, x);
  return state;
}

/** A `loop` in generated code: while `until(state)` is not true and fewer than `max` rounds ran, `state = body(state)`. */
export function loopState(init: Data, max: number, until: (state: Data) => Data, body: (state: Data) => Data): Data {
  let state = init;
  for (let round = 0; round < max && until(state) !== true; round++) state = body(state);
  return state;
}

/** Who speaks a chat turn (the language's builtin `Role`). */
export type Role = "system" | "user" | "assistant";

/** One turn of a chat conversation (the language's builtin `Message`). */
export interface Message {
  role: Role;
  content: string;
}

/**
 * A rendered prompt: its language and its messages, one per role section; a `messages`
 * section's turns are spread into the array in its place.
 */
export function prompt(lang: string, messages: readonly Message[]): PromptValue {
  return { $prompt: { lang, messages: messages.map(({ role, content }) => ({ role, content })) } };
}

/** What a rerank client returns for each document. */
export interface Ranked {
  index: number;
  score: number;
  document: string;
}

/** A `messages` section's value computed as data: its turns, each a role and its text. */
export function messages(value: Data): Message[] {
  return (value as readonly { role: Role; content: string }[]).map(({ role, content }) => ({ role, content }));
}
