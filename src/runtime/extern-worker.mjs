// @ts-check
/**
 * The piscina worker behind `extern-pool.ts`: imports an extern module (once per thread),
 * calls one of its functions and checks that the answer is JSON data before it crosses back.
 *
 * Plain JavaScript on purpose: worker threads run without a TypeScript loader, so this one
 * file serves both the sources under vitest and `dist/` (tsup copies it there unchanged).
 * The check happens here, not in the main thread, because structured cloning would quietly
 * turn a Date or a class instance into a plain object and would reject a function with an
 * unhelpful DataCloneError.
 *
 * A task is `{ url, label, fn, args }`; the reply is `{ value }` or `{ error }`, the error a
 * message in the CLI's voice (lowercase, no trailing period, no stack).
 */

/** @type {Map<string, Promise<Record<string, unknown>>>} */
const modules = new Map();

/**
 * @param {{ url: string, label: string, fn: string, args: unknown[] }} task
 * @returns {Promise<{ value: unknown } | { error: string }>}
 */
export default async function runTask({ url, label, fn, args }) {
  let mod = modules.get(url);
  if (!mod) modules.set(url, (mod = import(url)));
  let exports;
  try {
    exports = await mod;
  } catch (e) {
    return { error: `cannot load the extern module \`${label}\`: ${describeThrown(e)}` };
  }
  return callExtern(exports, label, fn, args);
}

/**
 * Calls `fn` of a loaded module and checks its answer, on this thread or (for generated
 * modules, which import their extern modules themselves) in the main thread: `runModule`
 * imports this function so both paths fail with the same messages.
 * @param {Readonly<Record<string, unknown>>} exports the module's exports
 * @param {string} label the module as the user named it
 * @param {string} fn
 * @param {readonly unknown[]} args
 * @returns {Promise<{ value: unknown } | { error: string }>}
 */
export async function callExtern(exports, label, fn, args) {
  const f = Object.hasOwn(exports, fn) ? exports[fn] : undefined;
  if (typeof f !== "function") return { error: `\`${label}\` does not export a function \`${fn}\`` };
  let result;
  try {
    result = await f(...args);
  } catch (e) {
    return { error: `\`${fn}\` threw ${describeThrown(e)}` };
  }
  try {
    return { value: toData(result, "", new Set()) };
  } catch (e) {
    if (!(e instanceof NotData)) return { error: `\`${fn}\` returned a value that cannot be read: ${describeThrown(e)}` };
    return { error: `\`${fn}\` returned ${e.what}${e.path ? ` at \`${e.path}\`` : ""}, which is not JSON data` };
  }
}

class NotData extends Error {
  /** @param {string} what @param {string} path */
  constructor(what, path) {
    super(what);
    this.what = what;
    this.path = path;
  }
}

/**
 * The value as JSON data, with JSON's treatment of `undefined`: null on its own or in a list,
 * left out as an object field.
 * @param {unknown} v
 * @param {string} path where `v` sits in the result, such as `[0].tags`
 * @param {Set<object>} open the objects `v` is inside of, to catch cycles
 * @returns {unknown}
 */
function toData(v, path, open) {
  switch (typeof v) {
    case "undefined":
      return null;
    case "string":
    case "boolean":
      return v;
    case "number":
      if (Number.isFinite(v)) return v;
      throw new NotData(String(v), path);
    case "bigint":
      throw new NotData(`the bigint ${v}n`, path);
    case "symbol":
      throw new NotData("a symbol", path);
    case "function":
      throw new NotData("a function", path);
  }
  if (v === null) return null;
  if (open.has(v)) throw new NotData("a circular reference", path);
  const proto = Object.getPrototypeOf(v);
  open.add(v);
  try {
    if (Array.isArray(v) && proto === Array.prototype) {
      return Array.from(v, (x, i) => toData(x, `${path}[${i}]`, open));
    }
    if (proto === Object.prototype || proto === null) {
      /** @type {Record<string, unknown>} */
      const out = {};
      for (const [k, x] of Object.entries(v)) {
        if (x !== undefined) out[k] = toData(x, /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`, open);
      }
      return out;
    }
  } finally {
    open.delete(v);
  }
  const name = typeof proto?.constructor === "function" ? proto.constructor.name : "";
  throw new NotData(name ? `an instance of ${name}` : "an object with a custom prototype", path);
}

/**
 * What a function threw, for a message: `TypeError: boom` for an error (no stack), the
 * value itself otherwise.
 * @param {unknown} e
 */
function describeThrown(e) {
  if (e instanceof Error || (typeof e === "object" && e !== null && typeof (/** @type {any} */ (e).message) === "string")) {
    const { name, message } = /** @type {Error} */ (e);
    return `${typeof name === "string" && name ? name : "Error"}: ${message}`;
  }
  if (typeof e === "string") return JSON.stringify(e);
  try {
    return String(e);
  } catch {
    return "a value that cannot be shown";
  }
}
