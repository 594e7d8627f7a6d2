/**
 * Structured output: the schema a call asks for (`outputFormat`) and the reading of what comes
 * back (`parseAnswer`). Reading is lenient about how JSON is written and strict about what it
 * says; a cut-off answer is always an error, never a partial value.
 */
import type { IrTypeDef } from "../../ir/nodes.js";
import type { Type } from "../../ir/types.js";
import type { Data } from "../../ir/value.js";
import { AnswerError, coerce, shorten } from "./coerce.js";
import { jsonCandidates, type Json, type JsonObject } from "./parse-json.js";
import { isPlainText, type OutputFormat } from "../../ir/schema.js";

export { AnswerError } from "./coerce.js";
export { jsonCandidates, type Candidates, type Json } from "./parse-json.js";
export { isPlainText, outputFormat, parametersSchema, type JsonSchema, type OutputFormat } from "../../ir/schema.js";

/** Finish reasons that mean the provider stopped at max_tokens: OpenAI, Anthropic, Cohere. */
const CUT_OFF = new Set(["length", "max_tokens"]);

/**
 * Turns an answer's text into a value of `type`; throws AnswerError. `finishReason` is the
 * provider's raw finish reason ("length" for OpenAI, "MAX_TOKENS" for Cohere mean the answer
 * was cut off). For plain text outputs the text is returned as is (even if cut off: max_tokens
 * is the user's choice). For structured outputs a cut-off answer is an error, never a partial
 * value.
 */
export function parseAnswer(text: string, type: Type, types: Readonly<Record<string, IrTypeDef>>, format: OutputFormat | undefined, finishReason?: string | null): Data {
  if (isPlainText(type)) return text;
  if (finishReason && CUT_OFF.has(finishReason.toLowerCase())) {
    throw new AnswerError(`the answer was cut off at max_tokens (finish reason \`${finishReason}\`) before its JSON ended`);
  }
  if (text.trim() === "") throw new AnswerError("the answer is empty");
  const wrapped = format?.wrapped ?? type.kind !== "record";
  const fit = (v: Json): Data => (wrapped ? unwrap(v, type, types) : coerce(v, type, types));
  const found = jsonCandidates(text);
  // The first value that fits wins; when none does, the first one's mistake is the likeliest.
  let firstError: AnswerError | undefined;
  for (const v of found.values) {
    const r = attempt(() => fit(v));
    if (!(r instanceof AnswerError)) return r;
    firstError ??= r;
  }
  if (found.truncatedAt !== undefined) throw new AnswerError(`the answer was cut off before its JSON ended: it ends with \`${tail(text)}\``);
  const word = bareWord(text);
  if (word !== undefined) {
    const r = attempt(() => fit(word));
    if (!(r instanceof AnswerError)) return r;
    // For a list or a record a lone word is prose, not a wrong value.
    if (isScalar(type)) firstError ??= r;
  }
  if (firstError) throw firstError;
  if (found.malformed && /^\s*(\{|\[|```)/.test(text)) {
    const { at, reason } = found.malformed;
    throw new AnswerError(`the answer is not valid JSON: ${reason} before \`${quote(text.slice(at))}\``);
  }
  throw new AnswerError(`the answer is not JSON: it starts with \`${quote(text.trimStart())}\``);
}

/** A wrapped type's value: `{ "value": X }` as asked, or a bare X, which models also send. */
function unwrap(v: Json, type: Type, types: Readonly<Record<string, IrTypeDef>>): Data {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return coerce(v, type, types);
  const object = v as JsonObject;
  const key = Object.keys(object).find((k) => k.toLowerCase() === "value");
  if (key === undefined) return coerce(v, type, types);
  const inner = attempt(() => coerce(object[key], type, types));
  if (!(inner instanceof AnswerError)) return inner;
  // A record with a field called `value` may have been sent bare.
  const bare = attempt(() => coerce(v, type, types));
  if (bare instanceof AnswerError) throw inner;
  return bare;
}

function isScalar(type: Type): boolean {
  return type.kind === "optional" ? isScalar(type.inner) : type.kind !== "list" && type.kind !== "record";
}

function attempt(f: () => Data): Data | AnswerError {
  try {
    return f();
  } catch (e) {
    if (e instanceof AnswerError) return e;
    throw e;
  }
}

/** An answer that is one word (`billing`, `BILLING.`, `"3"`): an enum member or a number without JSON around it. */
function bareWord(text: string): string | undefined {
  const word = text.trim().replace(/[.!]$/, "").replace(/^(["'`])(.*)\1$/s, "$2").replace(/[.!]$/, "");
  return /^[\w$+-][\w$.+-]*$/.test(word) ? word : undefined;
}

/** The start of a text as shown in a message: control characters and backticks escaped, at most 40 characters. */
function quote(text: string): string {
  return shorten(escape(text.slice(0, 80)), 40);
}

/** The end of a text as shown in a message. */
function tail(text: string): string {
  const end = escape(text.trimEnd().slice(-80));
  return end.length <= 40 ? end : `…${end.slice(-39)}`;
}

function escape(text: string): string {
  return text.replace(/[\u0000-\u001f`]/g, (c) => ({ "\n": "\\n", "\r": "\\r", "\t": "\\t", "`": "\\`" })[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
