/**
 * Checks a value read from an answer against the declared output type and turns it into the
 * value the program sees. Lenient where the meaning is clear (a key or enum value in another
 * case, a number written as a string, `3.0` for an int, a missing optional field) and strict
 * where it is not (`3.5` for an int, a missing required field, an enum value that is no
 * member): a wrong value is reported, never guessed at.
 */
import type { IrTypeDef } from "../../ir/nodes.js";
import type { Type } from "../../ir/types.js";
import type { Data } from "../../ir/value.js";
import type { Json, JsonObject } from "./parse-json.js";
import { typeDef } from "../../ir/schema.js";

/** A model's answer that does not hold a value of the declared output type. */
export class AnswerError extends Error {
  override readonly name = "AnswerError";
}

type Types = Readonly<Record<string, IrTypeDef>>;

/**
 * `value` as a value of `type`; throws AnswerError naming the place (`tickets[0].urgency`,
 * empty for the whole answer) and quoting what was there. `undefined` is a missing value.
 */
export function coerce(value: Json | undefined, type: Type, types: Types, path = ""): Data {
  switch (type.kind) {
    case "string":
    case "prompt":
      if (typeof value === "string") return value;
      // A model that writes `"code": 42` for a string field means the text "42".
      if (typeof value === "number" || typeof value === "boolean") return String(value);
      return mismatch(path, "a string", value);
    case "int": {
      const n = asNumber(value);
      if (n !== undefined && Number.isInteger(n)) return n;
      return mismatch(path, "an int", value);
    }
    case "float": {
      const n = asNumber(value);
      return n !== undefined ? n : mismatch(path, "a number", value);
    }
    case "bool":
      if (typeof value === "boolean") return value;
      if (typeof value === "string" && /^\s*(true|false)\s*$/i.test(value)) return value.trim().toLowerCase() === "true";
      return mismatch(path, "true or false", value);
    case "null":
      return value === null || value === undefined ? null : mismatch(path, "null", value);
    case "optional":
      return value === null || value === undefined ? null : coerce(value, type.inner, types, path);
    case "list":
      if (!Array.isArray(value)) return mismatch(path, "a list", value);
      return (value as readonly Json[]).map((v, i) => coerce(v, type.element, types, `${path}[${i}]`));
    case "map": {
      if (value === null || value === undefined || typeof value !== "object" || Array.isArray(value)) return mismatch(path, "an object (a map)", value);
      // Entries keep the answer's key order; `fromEntries` makes own keys, `__proto__` too.
      return Object.fromEntries(Object.entries(value as JsonObject).map(([k, v]) => [k, coerce(v, type.value, types, `${path}[${JSON.stringify(k)}]`)]));
    }
    case "enum":
      return coerceEnum(value, type, types, path);
    case "record":
      return coerceRecord(value, type, types, path);
    case "unknown":
    case "error":
      return value === undefined ? null : toData(value);
  }
}

function coerceEnum(value: Json | undefined, type: Type & { kind: "enum" }, types: Types, path: string): Data {
  const def = typeDef(type, types);
  const members = def.kind === "enum" ? def.members : [];
  const expected = `one of ${members.map((m) => `\`${m}\``).join(", ")}`;
  if (typeof value !== "string") return mismatch(path, expected, value);
  const text = value.trim();
  const found =
    members.find((m) => m === text) ??
    unique(members.filter((m) => m.toLowerCase() === text.toLowerCase())) ??
    unique(members.filter((m) => loose(m) === loose(text)));
  return found ?? mismatch(path, expected, value);
}

function coerceRecord(value: Json | undefined, type: Type & { kind: "record" }, types: Types, path: string): Data {
  const def = typeDef(type, types);
  if (def.kind !== "record") throw new Error(`\`${type.name}\` is not a record`);
  if (value === null || value === undefined || typeof value !== "object" || Array.isArray(value)) return mismatch(path, `a \`${type.name}\` object`, value);
  const object = value as JsonObject;
  const keys = Object.keys(object);
  return Object.fromEntries(
    def.fields.map((f) => {
      const key = fieldKey(f.name, keys);
      const inner = key === undefined ? undefined : object[key];
      const at = path === "" ? f.name : `${path}.${f.name}`;
      if (inner === undefined && !f.optional && f.type.kind !== "optional" && f.type.kind !== "null") {
        throw new AnswerError(`the answer is missing the field \`${f.name}\` of \`${type.name}\`${path === "" ? "" : ` at \`${path}\``}`);
      }
      return [f.name, f.optional ? coerce(inner, { kind: "optional", inner: f.type }, types, at) : coerce(inner, f.type, types, at)];
    }),
  );
}

/** The key in an answer that stands for a field: the exact name, or one in another case or spelling (`Category`, `due-date`). */
function fieldKey(field: string, keys: readonly string[]): string | undefined {
  if (keys.includes(field)) return field;
  return unique(keys.filter((k) => k.toLowerCase() === field.toLowerCase())) ?? unique(keys.filter((k) => loose(k) === loose(field)));
}

/** The one element, or undefined when there is none or the choice would be a guess. */
function unique(xs: readonly string[]): string | undefined {
  return xs.length === 1 ? xs[0] : undefined;
}

/** A name with case and separators dropped: `Due_Date`, `due-date` and `dueDate` are all `duedate`. */
function loose(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

function asNumber(value: Json | undefined): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

/** Plain data from what was read: objects get their prototype back. */
function toData(value: Json): Data {
  if (Array.isArray(value)) return (value as readonly Json[]).map(toData);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value as JsonObject).map(([k, v]) => [k, toData(v)]));
  return value as Data;
}

function mismatch(path: string, expected: string, got: Json | undefined): never {
  const subject = path === "" ? "the answer" : `\`${path}\``;
  throw new AnswerError(`${subject} should be ${expected}, got ${describe(got)}`);
}

/** How a wrong value is shown: scalars as JSON, shortened; containers by their kind. */
function describe(value: Json | undefined): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (value !== null && typeof value === "object") return "an object";
  return shorten(JSON.stringify(value));
}

/** At most `max` characters of `text`, ending in `…` when cut. */
export function shorten(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
