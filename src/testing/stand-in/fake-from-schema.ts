/**
 * Values that satisfy a JSON schema, derived from a seed. The stand-in answers structured
 * calls with these, so a program's parsing and validation run against well-shaped JSON
 * without a model. Child seeds extend the parent's the way `fakeValue` does (`.field`,
 * `[i]`, `?`), so the same schema and seed always give the same value.
 */
import { hash32 } from "../fake-answers.js";

/** Past this depth arrays come back empty and optional values null, so recursive schemas end. */
const MAX_DEPTH = 6;

type Schema = Record<string, any>;

/** A value satisfying a JSON schema, derived deterministically from `seed` (objects, arrays, enums, anyOf with null, integer/number/boolean/string, $ref/$defs). */
export function fakeFromSchema(schema: unknown, seed: string): unknown {
  return fake(schema, seed, isSchema(schema) ? schema : {}, 0);
}

function fake(schema: unknown, seed: string, root: Schema, depth: number): unknown {
  // A schema that requires itself has no finite value; stop rather than overflow the stack.
  if (depth > 4 * MAX_DEPTH) return null;
  if (schema === true || !isSchema(schema)) return `answer ${hash32(seed).toString(36)}`;
  if (typeof schema.$ref === "string") return fake(resolve(schema.$ref, root), seed, root, depth + 1);
  const h = hash32(seed);
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[h % schema.enum.length];
  const options = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(options) && options.length > 0) return pickOption(options, seed, root, depth);
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) return fake(Object.assign({}, ...schema.allOf.map((s: unknown) => (isSchema(s) ? s : {}))), seed, root, depth);
  if (Array.isArray(schema.type)) return pickOption(schema.type.map((type: unknown) => ({ ...schema, type })), seed, root, depth);
  switch (schema.type ?? guessType(schema)) {
    case "null":
      return null;
    case "boolean":
      return h % 2 === 0;
    case "integer":
      return clamp(1 + (h % 5), schema);
    case "number":
      return clamp((h % 1000) / 1000, schema);
    case "array":
      return fakeArray(schema, seed, h, root, depth);
    case "object":
      return fakeObject(schema, seed, root, depth);
    default:
      return `answer ${h.toString(36)}`;
  }
}

/** Picks one branch; a nullable type (a `null` branch among others) is null one time in four, like `fakeValue`'s optionals. */
function pickOption(options: readonly unknown[], seed: string, root: Schema, depth: number): unknown {
  const isNull = (o: unknown) => isSchema(o) && o.type === "null";
  const nonNull = options.filter((o) => !isNull(o));
  const h = hash32(`${seed}?`);
  if (nonNull.length === 0) return null;
  if (nonNull.length < options.length && (h % 4 === 0 || depth >= MAX_DEPTH)) return null;
  return fake(nonNull[h % nonNull.length], seed, root, depth);
}

function fakeArray(schema: Schema, seed: string, h: number, root: Schema, depth: number): unknown[] {
  const min = typeof schema.minItems === "number" ? schema.minItems : 0;
  const max = typeof schema.maxItems === "number" ? schema.maxItems : Number.POSITIVE_INFINITY;
  const wanted = depth >= MAX_DEPTH ? 0 : 1 + (h % 3);
  const n = Math.min(max, Math.max(min, wanted));
  const prefix: unknown[] = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
  return Array.from({ length: n }, (_, i) => fake(i < prefix.length ? prefix[i] : schema.items, `${seed}[${i}]`, root, depth + 1));
}

/** Every declared property is filled: OpenAI's strict mode makes them all required anyway. */
function fakeObject(schema: Schema, seed: string, root: Schema, depth: number): Record<string, unknown> {
  const properties: Schema = isSchema(schema.properties) ? schema.properties : {};
  return Object.fromEntries(Object.entries(properties).map(([name, sub]) => [name, fake(sub, `${seed}.${name}`, root, depth + 1)]));
}

function guessType(schema: Schema): string {
  if (isSchema(schema.properties)) return "object";
  if (schema.items !== undefined || Array.isArray(schema.prefixItems)) return "array";
  return "string";
}

function clamp(value: number, schema: Schema): number {
  let v = value;
  if (typeof schema.minimum === "number") v = Math.max(v, schema.minimum);
  if (typeof schema.maximum === "number") v = Math.min(v, schema.maximum);
  return schema.type === "integer" ? Math.round(v) : v;
}

/** Local references only (`#/$defs/Name`, `#/definitions/Name`): what generated schemas use. */
function resolve(ref: string, root: Schema): unknown {
  if (!ref.startsWith("#")) return {};
  const parts = ref.slice(1).split("/").filter((p) => p !== "").map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  let at: unknown = root;
  for (const part of parts) at = isSchema(at) ? at[part] : undefined;
  return at ?? {};
}

function isSchema(x: unknown): x is Schema {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
