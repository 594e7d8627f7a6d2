/**
 * A forgiving JSON reader for model answers. Models wrap JSON in markdown fences or prose and
 * write it loosely (trailing commas, unquoted keys, single quotes, Python's `True`), so this
 * reads what they mean and finds every candidate value in an answer; `parseAnswer` then keeps
 * the first that fits the type. An answer that stops inside a value is reported as cut off,
 * never read as a partial value.
 */

/** A JSON value as read. Objects have no prototype, so a key like `__proto__` is just a key. */
export type Json = null | boolean | number | string | readonly Json[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: Json;
}

/** What an answer holds: its complete JSON values in order, and whether one was cut off. */
export interface Candidates {
  readonly values: readonly Json[];
  /** Where a value starts that the answer ends inside of. */
  readonly truncatedAt?: number;
  /** Why the first value that starts with `{` or `[` does not read, if it does not. */
  readonly malformed?: { readonly at: number; readonly reason: string };
}

/** Deeper nesting than this is not an answer a model meant; it also keeps the stack safe. */
const MAX_DEPTH = 512;
const TOO_DEEP = "expected less nesting";

class ReadError {
  constructor(readonly at: number, readonly reason: string, readonly truncated: boolean) {}
}

/**
 * Every candidate value in `text`, most likely first: the whole answer when it is one value;
 * otherwise the contents of each markdown fence, then each object or array found in the prose.
 * Scanning stops at a value the answer ends inside of, since anything after its start is a
 * piece of it.
 */
export function jsonCandidates(text: string): Candidates {
  // A cut-off whole is not reported here: prose can open a quote it never closes, and a cut-off
  // object or array is found again by the scan below.
  const whole = tryRead(text, skipSpace(text, 0), /*toEnd*/ true);
  if (!(whole instanceof ReadError)) return { values: [whole.value] };
  const values: Json[] = [];
  // Where each fenced value ends, by where it starts, so the scan does not list it twice.
  const fenced = new Map<number, number>();
  for (const fence of text.matchAll(/```[\w-]*[^\S\n]*\n?/g)) {
    const start = skipSpace(text, fence.index + fence[0].length);
    const read = tryRead(text, start, /*toEnd*/ false);
    if (read instanceof ReadError) continue;
    // The fence's body must be this one value: what follows is its closing fence or nothing.
    const after = skipSpace(text, read.end);
    if (after !== text.length && !text.startsWith("```", after)) continue;
    values.push(read.value);
    fenced.set(start, read.end);
  }
  let malformed: Candidates["malformed"];
  const result = (extra: { truncatedAt?: number }): Candidates => ({ values, ...extra, ...(malformed ? { malformed } : {}) });
  for (let at = 0; at < text.length; at++) {
    const c = text[at];
    if (c !== "{" && c !== "[") continue;
    const known = fenced.get(at);
    const read = known === undefined ? tryRead(text, at, /*toEnd*/ false) : undefined;
    if (read instanceof ReadError) {
      if (read.truncated) return result({ truncatedAt: at });
      malformed ??= { at: read.at, reason: read.reason };
      // Past this depth every start inside would fail the same way, slowly.
      if (read.reason === TOO_DEEP) return result({});
      continue;
    }
    if (read) values.push(read.value);
    // Values nested in this one are parts of it, not answers of their own.
    at = (known ?? read!.end) - 1;
  }
  return result({});
}

function tryRead(text: string, start: number, toEnd: boolean): { value: Json; end: number } | ReadError {
  try {
    const r = new Reader(text, start);
    const value = r.value(0, /*topLevel*/ true);
    const end = r.at;
    if (toEnd && skipSpace(text, end) !== text.length) return new ReadError(end, "text after the value", false);
    return { value, end };
  } catch (e) {
    if (e instanceof ReadError) return e;
    throw e;
  }
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && /\s/.test(text[at]!)) at++;
  return at;
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', "'": "'", "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
const WORD = /[A-Za-z0-9_$-]/;
const LITERALS: ReadonlyMap<string, Json> = new Map([["true", true], ["false", false], ["null", null], ["none", null]]);

class Reader {
  constructor(readonly text: string, public at: number) {}

  value(depth: number, topLevel: boolean): Json {
    if (depth > MAX_DEPTH) throw new ReadError(this.at, TOO_DEEP, false);
    this.space();
    const c = this.peek();
    if (c === "{") return this.object(depth);
    if (c === "[") return this.array(depth);
    if (c === '"' || c === "'") return this.string(c);
    if (c !== undefined && /[-+.\d]/.test(c)) return this.number();
    const word = this.word();
    if (word === "") this.fail("a value");
    const literal = LITERALS.get(word.toLowerCase());
    if (literal !== undefined) return literal;
    // A bare word inside a value (`{category: billing}`) is a string; alone, it is prose.
    if (topLevel) this.fail("a value", { at: this.at - word.length, truncated: false });
    return word;
  }

  private object(depth: number): JsonObject {
    const out: Record<string, Json> = Object.create(null);
    this.at++;
    for (;;) {
      this.space();
      if (this.eat("}")) return out;
      const c = this.peek();
      const key = c === '"' || c === "'" ? this.string(c) : this.word();
      if (key === "") this.fail("a key or `}`");
      this.space();
      if (!this.eat(":")) this.fail("`:`");
      out[key] = this.value(depth + 1, false);
      this.space();
      // A comma before the closing brace is allowed: `{ "a": 1, }`.
      if (!this.eat(",") && this.peek() !== "}") this.fail("`,` or `}`");
    }
  }

  private array(depth: number): Json[] {
    const out: Json[] = [];
    this.at++;
    for (;;) {
      this.space();
      if (this.eat("]")) return out;
      out.push(this.value(depth + 1, false));
      this.space();
      if (!this.eat(",") && this.peek() !== "]") this.fail("`,` or `]`");
    }
  }

  private string(quote: string): string {
    let out = "";
    for (this.at++; ; ) {
      const c = this.peek();
      if (c === undefined) this.fail("the end of a string");
      this.at++;
      if (c === quote) return out;
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = this.peek();
      if (e === undefined) this.fail("an escape");
      this.at++;
      if (e === "u") {
        const hex = this.text.slice(this.at, this.at + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("four hex digits", { truncated: /^[0-9a-fA-F]{0,3}$/.test(hex) && this.at + hex.length === this.text.length });
        out += String.fromCharCode(parseInt(hex, 16));
        this.at += 4;
      } else out += ESCAPES[e] ?? e;
    }
  }

  private number(): number {
    const m = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(this.text.slice(this.at, this.at + 400));
    // A lone sign at the very end is a number that was cut off.
    if (!m) this.fail("a number", { truncated: this.at + 1 === this.text.length });
    this.at += m[0].length;
    return Number(m[0]);
  }

  private word(): string {
    const start = this.at;
    while (this.at < this.text.length && WORD.test(this.text[this.at]!)) this.at++;
    return this.text.slice(start, this.at);
  }

  private space(): void {
    for (;;) {
      this.at = skipSpace(this.text, this.at);
      // Comments are not JSON, but models write them.
      if (this.text.startsWith("//", this.at)) {
        const nl = this.text.indexOf("\n", this.at);
        this.at = nl < 0 ? this.text.length : nl;
      } else if (this.text.startsWith("/*", this.at)) {
        const end = this.text.indexOf("*/", this.at + 2);
        if (end < 0) this.fail("the end of a comment", { truncated: true });
        this.at = end + 2;
      } else return;
    }
  }

  private peek(): string | undefined {
    return this.text[this.at];
  }

  private eat(c: string): boolean {
    if (this.text[this.at] !== c) return false;
    this.at++;
    return true;
  }

  /** Throws; by default a failure at the end of the text means the value was cut off. */
  private fail(expected: string, o: { at?: number; truncated?: boolean } = {}): never {
    throw new ReadError(o.at ?? this.at, `expected ${expected}`, o.truncated ?? this.at >= this.text.length);
  }
}
