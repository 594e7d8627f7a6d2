/**
 * Names that reach generated TypeScript. A Feste name becomes an identifier unless it is a
 * reserved word, a name JavaScript gives a meaning to (`__proto__`, `constructor`) or one of
 * the generated module's own names; those get a trailing `_`, and the original name stays
 * in the data (graph names, record fields) where the runtime needs it.
 */

const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for function if " +
    "import in instanceof new null return super switch this throw true try typeof var void while with as implements interface " +
    "let package private protected public static yield any boolean number string symbol bigint type from of await async declare " +
    "module namespace never unknown object readonly keyof infer is asserts global require get set constructor __proto__ prototype " +
    "undefined NaN Infinity arguments eval accessor satisfies override out feste"
  ).split(" "),
);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A safe identifier for a Feste name. */
export function identifier(name: string): string {
  const base = IDENTIFIER.test(name) ? name : name.replace(/[^A-Za-z0-9_]/g, "_").replace(/^(?=\d)/, "_");
  return RESERVED.has(base) ? `${base}_` : base;
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
