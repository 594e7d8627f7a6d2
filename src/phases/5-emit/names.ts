/**
 * Names that reach generated TypeScript. A Feste name becomes an identifier unless it is a
 * reserved word, a name JavaScript gives a meaning to (`__proto__`, `constructor`, `then`,
 * which would make the module's namespace look like a promise), a global the generated code
 * uses (`Promise`, `Record`) or one of the module's own names; those get a trailing `_` (more
 * until the name is free in the module), and the original name stays in the data (graph
 * names, record fields) where the runtime needs it.
 */
import type * as A from "../1-parse/ast.js";

const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for function if " +
    "import in instanceof new null return super switch this throw true try typeof var void while with as implements interface " +
    "let package private protected public static yield any boolean number string symbol bigint type from of await async declare " +
    "module namespace never unknown object readonly keyof infer is asserts global require get set constructor __proto__ prototype " +
    "undefined NaN Infinity arguments eval accessor satisfies override out feste then " +
    "Promise Record Readonly ReadonlyArray Array Object JSON String Number Boolean Symbol Error Map Set Date Math Function " +
    "RegExp Partial Required Pick Omit Exclude Extract NonNullable ReturnType Parameters Awaited PromiseLike globalThis"
  ).split(" "),
);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A safe identifier for a Feste name. */
export function identifier(name: string): string {
  const base = IDENTIFIER.test(name) ? name : name.replace(/[^A-Za-z0-9_]/g, "_").replace(/^(?=\d)/, "_");
  return RESERVED.has(base) ? `${base}_` : base;
}

/** Names the module itself exports, which no declaration may take. */
const MODULE_NAMES = ["clients"];

/**
 * The identifiers of one module's declarations and of what is derived from them (a prompt's
 * `xSchema` and `parseX`), unique within the module; the same for every module that imports
 * them, since it depends only on the declaring module.
 */
export class NameTable {
  private readonly used = new Set<string>(MODULE_NAMES);
  private readonly byName = new Map<string, string>();

  constructor(module: A.Module) {
    for (const d of module.declarations) if ("name" in d && d.kind !== "testDecl") this.byName.set((d.name as A.Name).text, this.claim((d.name as A.Name).text));
  }

  /** The identifier of a declaration of this module. */
  of(name: string): string {
    return this.byName.get(name) ?? identifier(name);
  }

  /** Whether `id` is the identifier of one of this module's declarations. */
  declares(id: string): boolean {
    for (const own of this.byName.values()) if (own === id) return true;
    return false;
  }

  /** Every identifier taken in the module so far, which a function's locals must not shadow. */
  all(): readonly string[] {
    return [...this.used];
  }

  /** A fresh identifier based on `name`, free in this module from now on. */
  claim(name: string): string {
    let id = identifier(name);
    while (this.used.has(id)) id += "_";
    this.used.add(id);
    return id;
  }
}

const tables = new WeakMap<A.Module, NameTable>();

/** The name table of a module, built once. */
export function namesOf(module: A.Module): NameTable {
  let t = tables.get(module);
  if (!t) tables.set(module, (t = new NameTable(module)));
  return t;
}

/** Values whose one-line form fits in this many characters are written on one line. */
const INLINE_WIDTH = 100;

/**
 * Data as a TypeScript literal, indented, small values on one line: JSON, except that a
 * `__proto__` key is written as a computed key, so it stays an ordinary property instead of
 * setting the prototype.
 */
export function dataLiteral(v: unknown, indent = ""): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  const flat = inline(v, INLINE_WIDTH - indent.length);
  if (flat !== undefined) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(v)) return `[\n${v.map((x) => inner + dataLiteral(x, inner)).join(",\n")},\n${indent}]`;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  return `{\n${entries.map(([k, x]) => `${inner}${objectKey(k)}: ${dataLiteral(x, inner)}`).join(",\n")},\n${indent}}`;
}

/**
 * The one-line form of a value if it fits in `budget` characters, else undefined. Gives up
 * as soon as the budget is spent, so laying out a large literal stays linear in its size.
 */
function inline(v: unknown, budget: number): string | undefined {
  if (v === null || typeof v !== "object") {
    const text = JSON.stringify(v) ?? "null";
    return text.length <= budget ? text : undefined;
  }
  const array = Array.isArray(v);
  const parts: string[] = [];
  // `[a, b]` or `{ a, b }`: the brackets, then each part and the separator before it.
  let length = array ? 2 : 4;
  const fits = (part: string | undefined): part is string => {
    if (part === undefined) return false;
    length += part.length + (parts.length > 0 ? 2 : 0);
    parts.push(part);
    return length <= budget;
  };
  const room = () => budget - length - (parts.length > 0 ? 2 : 0);
  if (array) {
    for (const x of v) if (!fits(inline(x, room()))) return undefined;
    return `[${parts.join(", ")}]`;
  }
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (x === undefined) continue;
    const key = objectKey(k);
    const value = inline(x, room() - key.length - 2);
    if (!fits(value === undefined ? undefined : `${key}: ${value}`)) return undefined;
  }
  return parts.length === 0 ? "{}" : `{ ${parts.join(", ")} }`;
}

/** A key in an object literal: quoted, and computed for `__proto__`. */
export function objectKey(name: string): string {
  return name === "__proto__" ? `[${JSON.stringify(name)}]` : JSON.stringify(name);
}

/** A property key: the name itself where it is a plain identifier, else a JSON string literal. */
export function propertyKey(name: string): string {
  return IDENTIFIER.test(name) && name !== "__proto__" ? name : JSON.stringify(name);
}

/** A string literal for any text: JSON escaping is valid TypeScript. */
export function literal(value: unknown): string {
  return JSON.stringify(value);
}

/** Text safe inside a JSDoc comment: nothing can close it. */
export function docText(text: string): string {
  return text.replace(/\*\//g, "*\\/").replace(/\r\n?/g, "\n");
}
