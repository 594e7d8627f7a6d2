/**
 * The JSON schema a model call sends for its declared output type. Schemas follow OpenAI's
 * strict mode (the strictest of the providers): every object lists all its properties as
 * required and forbids others, and an optional value is `anyOf` the value or null. The same
 * schema goes to Cohere and, as text, to completion endpoints.
 */
import type { IrTypeDef } from "./nodes.js";
import { showType, type Type } from "./types.js";

/** A JSON schema as plain data, ready for `JSON.stringify`. */
export type JsonSchema = { readonly [k: string]: unknown };

/**
 * How a call asks for its output type. `wrapped`: the type is not a record, so the schema is
 * `{ value: <schema of T> }` (OpenAI strict mode and Cohere need an object at the root) and
 * the answer is unwrapped.
 */
export interface OutputFormat {
  readonly name: string;
  readonly schema: JsonSchema;
  readonly wrapped: boolean;
  /**
   * Set when the type holds a map: a map is an object with `additionalProperties` (its value
   * schema), which OpenAI's strict mode does not allow, so such a schema is sent non-strict.
   */
  readonly open?: true;
}

type Types = Readonly<Record<string, IrTypeDef>>;
type RecordDef = Extract<IrTypeDef, { kind: "record" }>;

/** `Ranked` is defined by the language, so a program's table may not carry it. */
const RANKED_DEF: RecordDef = {
  kind: "record",
  name: "Ranked",
  fields: [
    { name: "index", type: { kind: "int" }, optional: false },
    { name: "score", type: { kind: "float" }, optional: false },
    { name: "document", type: { kind: "string" }, optional: false },
  ],
};

/** Whether answers of this type are plain text, used as they come. */
export function isPlainText(type: Type): boolean {
  return type.kind === "string" || type.kind === "unknown" || type.kind === "error" || type.kind === "prompt";
}

/** The definition of a record or enum type; a missing one is a compiler bug. */
export function typeDef(t: Type & { kind: "record" | "enum" }, types: Types): IrTypeDef {
  const def = Object.values(types).find((d) => d.name === t.name && d.kind === t.kind);
  if (def) return def;
  if (t.kind === "record" && t.name === "Ranked" && t.file === "<builtin>") return RANKED_DEF;
  throw new Error(`no definition for the ${t.kind} \`${t.name}\``);
}

/**
 * undefined when the answer is plain text: output type `string` (also `unknown`/`error`/
 * `prompt`). Everything else (int, float, bool, enum, record, list, optional...) is structured.
 */
export function outputFormat(type: Type, types: Types): OutputFormat | undefined {
  if (isPlainText(type)) return undefined;
  const wrapped = type.kind !== "record";
  const cx: Context = { types, recursive: recursiveRecords(type, types), defs: new Map(), root: wrapped ? undefined : (type as Type & { kind: "record" }).name };
  const root = wrapped ? objectSchema([["value", schemaOf(type, cx)]]) : recordSchema(typeDef(type, types) as RecordDef, cx);
  // Definitions are filled while building the root, so they are attached last.
  const defs = [...cx.defs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const schema = defs.length === 0 ? root : { ...root, $defs: Object.fromEntries(defs) };
  return { name: formatName(type), schema, wrapped, ...(holdsMap(type, types) ? { open: true as const } : {}) };
}

/**
 * The JSON schema of a function's parameters as one object (a tool's `parameters`): every
 * parameter required, optional ones nullable, recursive records under `$defs`.
 */
export function parametersSchema(params: readonly { readonly name: string; readonly type: Type }[], types: Types): JsonSchema {
  const recursive = new Set<string>();
  for (const p of params) for (const r of recursiveRecords(p.type, types)) recursive.add(r);
  const cx: Context = { types, recursive, defs: new Map(), root: undefined };
  const root = objectSchema(params.map((p) => [p.name, schemaOf(p.type, cx)]));
  const defs = [...cx.defs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return defs.length === 0 ? root : { ...root, $defs: Object.fromEntries(defs) };
}

interface Context {
  readonly types: Types;
  /** Records reachable from themselves: they are referenced, not inlined. */
  readonly recursive: ReadonlySet<string>;
  readonly defs: Map<string, JsonSchema>;
  /** The record at the root of the schema, which refers to itself as `#`. */
  readonly root: string | undefined;
}

function schemaOf(t: Type, cx: Context): JsonSchema {
  switch (t.kind) {
    case "string":
    case "prompt":
      return { type: "string" };
    case "int":
      return { type: "integer" };
    case "float":
      return { type: "number" };
    case "bool":
      return { type: "boolean" };
    case "null":
      return { type: "null" };
    case "list":
      return { type: "array", items: schemaOf(t.element, cx) };
    case "optional":
      return { anyOf: [schemaOf(t.inner, cx), { type: "null" }] };
    case "map":
      // A map's keys are the object's property names, in any number; its values share one schema.
      return { type: "object", additionalProperties: schemaOf(t.value, cx) };
    case "enum": {
      const def = typeDef(t, cx.types);
      if (def.kind !== "enum") return { type: "string", enum: [] };
      // JSON schema has no per-member description: the members' `///` comments go in one.
      const docs = def.descriptions ? def.members.filter((m) => def.descriptions![m] !== undefined).map((m) => `${m}: ${def.descriptions![m]}`) : [];
      return { type: "string", enum: [...def.members], ...(docs.length > 0 ? { description: docs.join("\n") } : {}) };
    }
    case "record": {
      const def = typeDef(t, cx.types) as RecordDef;
      if (!cx.recursive.has(def.name)) return recordSchema(def, cx);
      if (def.name === cx.root) return { $ref: "#" };
      const name = defName(def.name);
      // Reserve the slot before building, so a record that refers to itself stops here.
      if (!cx.defs.has(name)) {
        cx.defs.set(name, {});
        cx.defs.set(name, recordSchema(def, cx));
      }
      return { $ref: `#/$defs/${name}` };
    }
    case "unknown":
    case "error":
      // Never an output in a checked program; an empty schema accepts what the parser will.
      return {};
  }
}

function recordSchema(def: RecordDef, cx: Context): JsonSchema {
  const field = (f: RecordDef["fields"][number]): JsonSchema => {
    const schema = schemaOf(f.type, cx);
    const typed = f.optional && f.type.kind !== "optional" && f.type.kind !== "null" ? { anyOf: [schema, { type: "null" }] } : schema;
    // A `$ref` takes no siblings in strict mode, so a described reference is wrapped.
    if (f.description === undefined) return typed;
    return "$ref" in typed ? { allOf: [typed], description: f.description } : { ...typed, description: f.description };
  };
  return objectSchema(def.fields.map((f) => [f.name, field(f)]));
}

function objectSchema(props: readonly (readonly [string, JsonSchema])[]): JsonSchema {
  return { type: "object", properties: Object.fromEntries(props), required: props.map(([k]) => k), additionalProperties: false };
}

/** Names of the records reachable from themselves: only those need `$defs`. */
function recursiveRecords(root: Type, types: Types): ReadonlySet<string> {
  const found = new Set<string>();
  const done = new Set<string>();
  const visit = (t: Type, stack: readonly string[]): void => {
    if (t.kind === "list") return visit(t.element, stack);
    if (t.kind === "optional") return visit(t.inner, stack);
    if (t.kind === "map") return visit(t.value, stack);
    if (t.kind !== "record") return;
    if (stack.includes(t.name)) {
      found.add(t.name);
      return;
    }
    if (done.has(t.name)) return;
    done.add(t.name);
    const def = typeDef(t, types) as RecordDef;
    for (const f of def.fields) visit(f.type, [...stack, t.name]);
  };
  visit(root, []);
  return found;
}

/** Whether a map is reachable from `root` (through lists, optionals and record fields). */
function holdsMap(root: Type, types: Types): boolean {
  const seen = new Set<string>();
  const visit = (t: Type): boolean => {
    if (t.kind === "map") return true;
    if (t.kind === "list") return visit(t.element);
    if (t.kind === "optional") return visit(t.inner);
    if (t.kind !== "record" || seen.has(t.name)) return false;
    seen.add(t.name);
    return (typeDef(t, types) as RecordDef).fields.some((f) => visit(f.type));
  };
  return visit(root);
}

/** A name for `response_format`, which must match ^[a-zA-Z0-9_-]{1,64}$: `Ticket`, `Ticket_list`, `int`. */
function formatName(t: Type): string {
  const name = showType(t).replaceAll("[]", "_list").replaceAll("?", "_or_null");
  return defName(name);
}

function defName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 64) || "value";
}
