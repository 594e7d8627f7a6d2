/**
 * A fast-check arbitrary of WELL-TYPED Feste programs, for the optimizer's equivalence
 * properties (`equivalence.test.ts`).
 *
 * Programs are built by an ordinary recursive generator that draws every decision from a
 * list of random numbers (a "choice sequence", as Hypothesis does). fast-check shrinks that
 * list (dropping entries, moving numbers towards 0), and a missing or zero choice always
 * picks the simplest option, so a failing program shrinks to a small one. Every expression
 * is built for a target type and returns its exact type, mirroring the checker's rules
 * (`src/phases/2-check/types.ts`: assignability and joins, string literals read as enum
 * members where an enum is expected, `??` only on optionals, no shadowing, no empty `[]`).
 *
 * What a program holds: a few clients (chat, completion, embedding, rerank; temperature 0 or
 * 0.7, sometimes `dedupe: true` or `max_batch`), an enum, a record type, a module constant,
 * prompts with templates (interpolations with filters, `{% for %}` with filters, `{% if %}`
 * / `{% elif %}` / `{% else %}`, trim markers, role sections, defaults, `lang`, structured
 * output `-> Item` / `-> Color` / `-> int` / ...), sometimes a helper graph that `main` calls,
 * and `graph main(xs: string[], n: int) -> T` whose body nests `let`s (some unused), `for`
 * with and without filters, `if`/`else`, `&&`/`||`/`??`, records, lists, builtins, model
 * calls at several depths (chains, calls in `if`s inside loops, repeated identical calls),
 * embeddings of a string and of a list, and reranking.
 *
 * Programs never fail at run time by construction: indexing is guarded by a length test,
 * divisors are non-zero literals, `min`/`max`/`mean` get non-empty list literals, `cosine`
 * only compares embedding vectors (all 8-dimensional on the fake backend), and nested loops
 * walk short lists so one evaluation stays in the milliseconds.
 */
import fc from "fast-check";

/**
 * Types as the checker would print them, plus `Vec`: a `float[]` known to come from an
 * embedding (so `cosine` of two of them cannot fail on lengths). `Ranked` is the rerank
 * element type, `Prompt` / `Prompt@pt` a rendered `Prompt<string>` in English / Portuguese
 * (it fits where a string does, but joins with an enum to nothing). `T[]` is a list, `T?` an
 * optional.
 */
export type Ty = string;

const isList = (t: Ty) => t.endsWith("[]");
const isPrompt = (t: Ty) => t === "Prompt" || t === "Prompt@pt";
const elem = (t: Ty) => t.slice(0, -2);
const isOpt = (t: Ty) => t.endsWith("?");
const inner = (t: Ty) => t.slice(0, -1);
const listOf = (t: Ty) => `${t}[]`;
const opt = (t: Ty) => (isOpt(t) ? t : `${t}?`);

/** How a type is written in a declaration (`Vec` is a plain `float[]` there). */
export const declType = (t: Ty): string => t.replace(/Vec/g, "float[]");

/** `from` fits where `to` is expected (the checker's `assignable`, prompts aside). */
export function assignable(from: Ty, to: Ty): boolean {
  if (from === to) return true;
  if (from === "Vec") return assignable("float[]", to);
  if (to === "Vec") return false;
  if (to === "float") return from === "int";
  if (to === "string") return from === "Color" || isPrompt(from);
  if (isOpt(to)) return from === "null" || assignable(isOpt(from) ? inner(from) : from, inner(to));
  if (isList(to)) return isList(from) && assignable(elem(from), elem(to));
  return false;
}

const isColor = (t: Ty) => t === "Color" || t === "Color?";

/**
 * Branches the checker would not join as the generator's `join` does: beside an enum value, a
 * string literal is read as a member (an error when it is not one), so the generator keeps
 * an enum branch from meeting any other string.
 */
export function mixesEnum(a: Ty, b: Ty): boolean {
  return isColor(a) !== isColor(b) && a !== "null" && b !== "null";
}

/** The least type both fit (the checker's `join`). */
export function join(a: Ty, b: Ty): Ty | undefined {
  if (a === b) return a;
  if (isPrompt(a) && isPrompt(b)) return "string";
  if (a === "Vec") return join("float[]", b);
  if (b === "Vec") return join(a, "float[]");
  if (a === "null") return opt(b);
  if (b === "null") return opt(a);
  if (isList(a) && isList(b)) {
    const e = join(elem(a), elem(b));
    return e && listOf(e);
  }
  if (isOpt(a) || isOpt(b)) {
    const i = join(isOpt(a) ? inner(a) : a, isOpt(b) ? inner(b) : b);
    return i && opt(i);
  }
  if (assignable(a, b)) return b;
  if (assignable(b, a)) return a;
  return undefined;
}

/** Reads decisions from the choice sequence; past its end every choice is 0. */
class Choices {
  private i = 0;
  constructor(private readonly xs: readonly number[]) {}
  int(n: number): number {
    if (n <= 1) return 0;
    const c = this.i < this.xs.length ? this.xs[this.i] : 0;
    this.i++;
    return c % n;
  }
  /** A number in [lo, hi], lo when the choice is 0. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(outOf: number): boolean {
    return this.int(outOf) === outOf - 1;
  }
  of<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  /** The first option is the simplest; weights bias the rest. */
  weighted<T>(options: readonly (readonly [number, T])[]): T {
    const total = options.reduce((a, [w]) => a + w, 0);
    let k = this.int(total);
    for (const [w, x] of options) {
      if (k < w) return x;
      k -= w;
    }
    return options[0][1];
  }
}

interface ClientInfo {
  readonly name: string;
  readonly kind: "chat" | "embedding" | "rerank";
  readonly decl: string;
}
interface Param {
  readonly name: string;
  readonly ty: Ty;
  readonly def?: string;
}
interface PromptInfo {
  readonly name: string;
  readonly params: readonly Param[];
  /** What a model call on it returns. */
  readonly output: Ty;
  readonly lang: string;
}
interface HelperInfo {
  readonly name: string;
  readonly params: readonly Param[];
  readonly output: Ty;
}

/** A lexical scope: bound names, and the model calls made in it (to be repeated verbatim). */
class Scope {
  readonly vars: { name: string; ty: Ty }[] = [];
  readonly calls: Expr[] = [];
  constructor(readonly parent?: Scope) {}
  *allVars(): Generator<{ name: string; ty: Ty }> {
    for (let s: Scope | undefined = this; s; s = s.parent) yield* s.vars;
  }
  /** The element of the innermost enclosing `for`, if any. */
  loopVar(): { name: string; ty: Ty } | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) if (s.loop) return s.loop;
    return undefined;
  }
  loop?: { name: string; ty: Ty };
  *allCalls(): Generator<Expr> {
    for (let s: Scope | undefined = this; s; s = s.parent) yield* s.calls;
  }
}

interface Expr {
  readonly src: string;
  readonly ty: Ty;
}

interface Opts {
  /** Model, graph and helper calls allowed (graph code, not templates). */
  readonly model: boolean;
  /** In a template: no template literals, no prompt renders. */
  readonly template: boolean;
  /** An enum is expected here, so a string literal may stand for a member. */
  readonly litEnum?: boolean;
  /** The exact type must not be the enum (the other side of `==` with a string). */
  readonly noEnum?: boolean;
  /** Loops around this point; nested loops walk only short lists. */
  readonly loops: number;
  /** Inside the helper graph (which must not call itself). */
  readonly inHelper?: boolean;
  /** A model call that reads the loop element (so fission has something to batch). */
  readonly forceLoop?: boolean;
}

const WORDS = ["a", "hello", "x y", "Bob", "red", "", "a,b", "line1\\nline2", "ünï", "42"];
const TEXT = ["Hello", "Answer briefly.", "Item:", "- ", ", ", "Note", "ok.", " ", "(", ")", ":"];
const MEMBERS = ["red", "green", "blue"];
/** Keys of generated map literals: "10" is a whole number, which JavaScript orders first. */
const MAP_KEYS = ["b", "a", "10", "c d", "__proto__"];
/** Types a `fold` or `loop` state is generated with. */
const STATE_TYPES: readonly Ty[] = ["string", "int", "float", "bool", "Item", "string[]"];

/** The parts of one generated program. */
export class Program {
  constructor(
    readonly source: string,
    readonly mainType: Ty,
    readonly hasHelper: boolean,
  ) {}
  /** fast-check prints counterexamples with this. */
  [fc.toStringMethod](): string {
    return `\n${this.source}`;
  }
}

class Gen {
  private counter = 0;
  budget = 0;
  clients: ClientInfo[] = [];
  prompts: PromptInfo[] = [];
  consts: { name: string; ty: Ty; src: string }[] = [];
  helper?: HelperInfo;

  constructor(
    readonly r: Choices,
    readonly shape: GenOptions = {},
  ) {}

  fresh(prefix: string): string {
    return `${prefix}${++this.counter}`;
  }

  chatClients() {
    return this.clients.filter((c) => c.kind === "chat");
  }
  embedClients() {
    return this.clients.filter((c) => c.kind === "embedding");
  }
  rerankClients() {
    return this.clients.filter((c) => c.kind === "rerank");
  }

  // ---------------------------------------------------------------- declarations

  genClients(): void {
    const r = this.r;
    const temp = () => r.of(["0", "0.7"]);
    const extra = (maxBatch: number) => [r.chance(3) ? "dedupe: true" : "", r.chance(3) ? `max_batch: ${r.range(1, maxBatch)}` : ""].filter(Boolean);
    const nChat = r.range(1, 3);
    for (let i = 0; i < nChat; i++) {
      const ep = r.of(["openai.chat", "openai.completion", "cohere.chat"]);
      const model = ep === "cohere.chat" ? "command-r" : ep === "openai.completion" ? "gpt-3.5-turbo-instruct" : "gpt-4o-mini";
      const settings = [`model: "${model}"`, `temperature: ${temp()}`, ...extra(4)];
      if (r.chance(4)) settings.push("max_tokens: 32");
      const name = this.fresh("llm");
      this.clients.push({ name, kind: "chat", decl: `client ${name}: ${ep} {\n  ${settings.join("\n  ")}\n}` });
    }
    const nEmb = r.range(0, 2);
    for (let i = 0; i < nEmb; i++) {
      const ep = r.of(["openai.embedding", "cohere.embedding"]);
      const model = ep === "openai.embedding" ? "text-embedding-3-small" : "embed-english-v3.0";
      const settings = [`model: "${model}"`, ...(r.chance(3) ? [`max_batch: ${r.range(1, 4)}`] : [])];
      const name = this.fresh("emb");
      this.clients.push({ name, kind: "embedding", decl: `client ${name}: ${ep} { ${settings.join(", ")} }` });
    }
    if (r.chance(2)) {
      const name = this.fresh("ranker");
      const settings = [`model: "rerank-v3.5"`, ...(r.chance(3) ? [`top_n: ${r.range(1, 3)}`] : [])];
      this.clients.push({ name, kind: "rerank", decl: `client ${name}: cohere.rerank { ${settings.join(", ")} }` });
    }
  }

  /** Prompt signatures first, so the graphs can call them; bodies come last. */
  genPromptSignatures(): void {
    const r = this.r;
    const n = r.range(1, 4);
    for (let i = 0; i < n; i++) {
      const name = this.fresh("p");
      const nParams = r.range(1, 3);
      const params: Param[] = [];
      for (let k = 0; k < nParams; k++) {
        const ty = r.weighted<Ty>([
          [6, "string"],
          [3, "int"],
          [3, "string[]"],
          [2, "Item"],
          [2, "Color"],
          [1, "bool"],
          [1, "float"],
          [1, "Item[]"],
        ]);
        // A default only on trailing parameters, so positional calls can leave them out.
        const defaultable = !ty.startsWith("Item");
        const def = k === nParams - 1 && k > 0 && defaultable && r.chance(4) ? this.terminal(ty, { model: false, template: true, loops: 0, litEnum: true }).src : undefined;
        params.push({ name: this.fresh("a"), ty, def });
      }
      const output = r.weighted<Ty>([
        [8, "string"],
        [4, "Item"],
        [2, "Color"],
        [1, "int"],
        [1, "bool"],
        [1, "string[]"],
      ]);
      this.prompts.push({ name, params, output, lang: r.chance(6) ? " lang pt" : "" });
    }
  }

  genPromptBodies(): string[] {
    const r = this.r;
    const out: string[] = [];
    for (const { name, params, output, lang } of this.prompts) {
      const scope = new Scope();
      for (const c of this.consts) scope.vars.push({ name: c.name, ty: c.ty });
      for (const p of params) scope.vars.push({ name: p.name, ty: p.ty });
      const o: Opts = { model: false, template: true, loops: 0 };
      this.budget = 12;
      const arrow = output === "string" ? "" : ` -> ${output}`;
      const head = `prompt ${name}(${params.map((p) => `${p.name}: ${declType(p.ty)}${p.def ? ` = ${p.def}` : ""}`).join(", ")})${arrow}${lang}`;
      let body: string;
      if (r.chance(3)) {
        const sections = [r.chance(2) ? "system" : "", "user", r.chance(4) ? "assistant" : ""].filter(Boolean);
        body = `{\n${sections.map((s) => `  ${s} ${this.templateLiteral(scope, o, "  ")}`).join("\n")}\n}`;
      } else body = this.templateLiteral(scope, o, "");
      out.push(`${head} ${body}`);
    }
    return out;
  }

  /** A `"""` template: one line, or several lines indented under the closing quotes. */
  templateLiteral(scope: Scope, o: Opts, indent: string): string {
    const parts = this.templateParts(scope, o, 2);
    if (this.r.chance(2)) return `"""${parts.replace(/\n/g, " ")}."""`;
    const lines = parts.split("\n").map((l) => `${indent}  ${l}`);
    return `"""\n${lines.join("\n")}\n${indent}  """`;
  }

  templateParts(scope: Scope, o: Opts, depth: number): string {
    const r = this.r;
    const n = r.range(1, 4);
    let out = "";
    for (let i = 0; i < n; i++) {
      const kind = r.weighted<string>([
        [3, "text"],
        [5, "interp"],
        [depth > 0 ? 2 : 0, "for"],
        [depth > 0 ? 2 : 0, "if"],
        [1, "newline"],
      ]);
      switch (kind) {
        case "text":
          out += r.of(TEXT);
          break;
        case "newline":
          out += "\n";
          break;
        case "interp":
          out += this.interpolation(scope, o);
          break;
        case "for": {
          const list = this.gen(listOf(this.elemChoice(o)), scope, 2, { ...o, loops: o.loops + 1 });
          const x = this.fresh("t");
          const s = new Scope(scope);
          s.vars.push({ name: x, ty: elem(list.ty) });
          const filter = r.chance(3) ? ` if ${this.gen("bool", s, 1, o).src}` : "";
          const [l, rt] = this.trims();
          out += `{%${l} for ${x} in ${list.src}${filter} ${rt}%}${this.templateParts(s, o, depth - 1)}{%${l} endfor ${rt}%}`;
          break;
        }
        case "if": {
          const [l, rt] = this.trims();
          out += `{%${l} if ${this.gen("bool", scope, 2, o).src} ${rt}%}${this.templateParts(scope, o, depth - 1)}`;
          if (r.chance(3)) out += `{% elif ${this.gen("bool", scope, 1, o).src} %}${this.templateParts(scope, o, depth - 1)}`;
          if (r.chance(2)) out += `{% else %}${this.templateParts(scope, o, depth - 1)}`;
          out += `{%${l} endif ${rt}%}`;
          break;
        }
      }
    }
    return out;
  }

  trims(): [string, string] {
    return this.r.chance(4) ? ["-", "-"] : ["", ""];
  }

  interpolation(scope: Scope, o: Opts): string {
    const r = this.r;
    const how = r.weighted<string>([
      [4, "plain"],
      [2, "case"],
      [2, "join"],
      [1, "json"],
      [1, "optional"],
    ]);
    switch (how) {
      case "case": {
        const filters = Array.from({ length: r.range(1, 2) }, () => r.of(["upper", "lower", "trim"]));
        return `{{ ${this.gen("string", scope, 2, o).src} | ${filters.join(" | ")} }}`;
      }
      case "join":
        return `{{ ${this.gen("string[]", scope, 2, o).src} | join(${r.of(['", "', '" "', '"/"'])})${r.chance(3) ? " | upper" : ""} }}`;
      case "json":
        return `{{ ${this.gen(this.letType(o), scope, 2, o).src} | json }}`;
      case "optional":
        // Not `gen("string?")`: a bare `null` does not render.
        return `{{ ${this.postfix(this.gen("Item", scope, 1, o))}.note }}`;
      default:
        return `{{ ${this.gen(r.of(["string", "int", "float", "bool", "Color"]), scope, 2, o).src} }}`;
    }
  }

  // ---------------------------------------------------------------- types to draw

  /** Element types for lists a loop may walk. */
  elemChoice(o: Opts): Ty {
    return this.r.weighted<Ty>([
      [6, "string"],
      [2, "int"],
      [2, "Item"],
      [1, "Color"],
      [1, "string[]"],
      [o.model && this.embedClients().length > 0 ? 1 : 0, "Vec"],
      [o.model && this.rerankClients().length > 0 ? 1 : 0, "Ranked"],
      [1, "bool"],
      [1, "float"],
    ]);
  }

  /** Types a `let` (or a `| json` interpolation) may have. */
  letType(o: Opts): Ty {
    const emb = o.model && this.embedClients().length > 0 ? 1 : 0;
    return this.r.weighted<Ty>([
      [6, "string"],
      [3, "int"],
      [1, "float"],
      [2, "bool"],
      [1, "Color"],
      [3, "Item"],
      [4, "string[]"],
      [1, "int[]"],
      [2, "Item[]"],
      [1, "string?"],
      [1, "string[][]"],
      [emb * 2, "Vec"],
      [emb, "Vec[]"],
      [o.model && this.rerankClients().length > 0 ? 1 : 0, "Ranked[]"],
      [1, "bool[]"],
      [1, "float[]"],
    ]);
  }

  // ---------------------------------------------------------------- expressions

  /** Whether some expression of type `t` can be built here. */
  can(t: Ty, o: Opts): boolean {
    if (t.includes("Vec")) return o.model && this.embedClients().length > 0;
    if (t.includes("Ranked")) return o.model && this.rerankClients().length > 0;
    return true;
  }

  /** The simplest expression of a type: no variables, calls only where nothing else fits. */
  terminal(t: Ty, o: Opts): Expr {
    const r = this.r;
    switch (t) {
      case "string":
        return { src: JSON.stringify(r.of(WORDS)).replace(/\\\\n/g, "\\n"), ty: "string" };
      case "int":
        return { src: String(r.range(1, 5)), ty: "int" };
      case "float":
        return { src: r.of(["0.5", "1.25", "2.0"]), ty: "float" };
      case "bool":
        return { src: r.of(["true", "false"]), ty: "bool" };
      case "Color":
        return o.litEnum && r.chance(2) ? { src: `"${r.of(MEMBERS)}"`, ty: "Color" } : { src: `Color.${r.of(MEMBERS)}`, ty: "Color" };
      case "Item":
        return { src: `Item { label: Color.${r.of(MEMBERS)}, score: ${r.range(0, 5)}, text: "${r.of(["t", "u"])}", tags: ["${r.of(["a", "b"])}"] }`, ty: "Item" };
      case "Vec":
        return { src: `${r.of(this.embedClients()).name}(${this.terminal("string", o).src})`, ty: "Vec" };
      case "Ranked[]":
        return { src: `${r.of(this.rerankClients()).name}("q", ["a", "b"])`, ty: "Ranked[]" };
      case "null":
        return { src: "null", ty: "null" };
    }
    if (isOpt(t)) return { src: "null", ty: "null" };
    if (isList(t)) {
      const e = this.terminal(elem(t), o);
      return { src: `[${e.src}]`, ty: listOf(e.ty) };
    }
    throw new Error(`generator: no terminal for ${t}`);
  }

  /** An expression whose exact type fits `t`. */
  gen(t: Ty, scope: Scope, depth: number, o: Opts): Expr {
    if (!this.can(t, o)) throw new Error(`generator: cannot build ${t} here`);
    const e = this.genInner(t, scope, depth, o);
    if (!assignable(e.ty, t)) throw new Error(`generator: built ${e.ty} for ${t}: ${e.src}`);
    if (o.noEnum && e.ty === "Color") return { src: `str(${e.src})`, ty: "string" };
    return e;
  }

  private genInner(t: Ty, scope: Scope, depth: number, o: Opts): Expr {
    this.budget--;
    const r = this.r;
    const options: [number, () => Expr | undefined][] = [[1, () => this.terminal(t, o)]];
    const vars = [...scope.allVars()].filter((v) => assignable(v.ty, t));
    if (vars.length > 0) {
      options.push([6, () => {
        // Innermost names (loop elements, fresh lets) half of the time: calls then read them.
        const v = r.chance(2) ? vars[r.int(Math.min(2, vars.length))] : r.of(vars);
        return { src: v.name, ty: v.ty };
      }]);
    }
    if (depth > 0 && this.budget > 0) {
      const d = depth - 1;
      const sub = { ...o, litEnum: false, noEnum: false };
      const calls = o.model ? [...scope.allCalls()].filter((c) => assignable(c.ty, t)) : [];
      if (calls.length > 0) options.push([3, () => r.of(calls)]);
      options.push([2, () => this.ifExpr(t, scope, d, o)]);
      if (!isList(t) && this.can(listOf(t), o)) options.push([1, () => this.guardedIndex(t, scope, d, sub)]);
      for (const [w, f] of this.productions(t, scope, d, sub)) options.push([w, f]);
      if (this.shape.maps) for (const [w, f] of this.mapReads(t, scope, d, sub)) options.push([w, f]);
      if (this.shape.stateForms && !o.template && STATE_TYPES.includes(t) && r.chance(3)) {
        options.push([1, () => this.foldExpr(t, scope, d, sub)]);
        options.push([1, () => this.loopExpr(t, scope, d, sub)]);
      }
    }
    for (let tries = 0; tries < 4; tries++) {
      const e = r.weighted(options)();
      if (e) return e;
    }
    return this.terminal(t, o);
  }

  /** Productions by target type (besides terminals, variables, `if` and indexing). */
  private productions(t: Ty, s: Scope, d: number, o: Opts): [number, () => Expr | undefined][] {
    const r = this.r;
    const g = (ty: Ty, oo: Opts = o) => this.gen(ty, s, d, oo);
    const model = o.model;
    const chat = this.chatClients();
    const out: [number, () => Expr | undefined][] = [];
    const add = (w: number, f: () => Expr | undefined) => out.push([w, f]);
    const structured = (ty: Ty) => this.prompts.filter((p) => assignable(p.output, ty));
    if (model) {
      if (structured(t).length > 0 || t === "string") add(5, () => this.modelCall(t, s, d, o));
      if (this.helper && !o.inHelper && assignable(this.helper.output, t)) add(2, () => this.helperCall(s, d, o));
    }
    switch (t) {
      case "string":
        add(2, () => ({ src: `${r.of(["upper", "lower", "trim"])}(${g("string").src})`, ty: "string" }));
        add(2, () => ({ src: `(${g("string").src} + ${g("string").src})`, ty: "string" }));
        add(2, () => ({ src: `str(${g(r.of(["int", "float", "bool", "Color"])).src})`, ty: "string" }));
        add(2, () => ({ src: `join(${g("string[]").src}${r.chance(2) ? `, "${r.of([", ", "-", ""])}"` : ""})`, ty: "string" }));
        add(2, () => ({ src: `${this.postfix(g("Item"))}.text`, ty: "string" }));
        add(2, () => {
          // `??` needs a left side that may be null, not just one that fits `string?`.
          let left = g("string?");
          if (!isOpt(left.ty) && left.ty !== "null") left = { src: `${this.postfix(g("Item"))}.note`, ty: "string?" };
          // The right side is checked against the left's inner type: an enum reads literals as members.
          const right = left.ty === "Color?" ? g("Color", { ...o, litEnum: true }) : g("string");
          return { src: `(${left.src} ?? ${right.src})`, ty: join(inner(opt(left.ty === "null" ? right.ty : left.ty)), right.ty) ?? "string" };
        });
        add(1, () => ({ src: `slice(${g("string").src}, ${r.range(0, 2)}, ${r.range(1, 4)})`, ty: "string" }));
        add(1, () => ({ src: `replace(${g("string").src}, "a", "${r.of(["b", ""])}")`, ty: "string" }));
        add(1, () => ({ src: `json(${g(this.letType(o)).src})`, ty: "string" }));
        if (model && chat.length > 0 && this.prompts.some((p) => p.output === "string") && !o.template) add(2, () => this.render(s, d, o));
        if (!o.template) add(1, () => ({ src: this.codeTemplate(s, d, o), ty: "string" }));
        if (this.can("Ranked[]", o)) add(1, () => this.rankedField("document", s, d, o));
        break;
      case "int":
        add(3, () => ({ src: `len(${g(r.of(["string[]", "string", "Item[]", "int[]"])).src})`, ty: "int" }));
        add(3, () => ({ src: `(${g("int").src} ${r.of(["+", "-", "*"])} ${g("int").src})`, ty: "int" }));
        add(1, () => ({ src: `(${g("int").src} % ${r.range(1, 3)})`, ty: "int" }));
        add(1, () => ({ src: `sum(${g("int[]").src})`, ty: "int" }));
        add(2, () => ({ src: `${this.postfix(g("Item"))}.score`, ty: "int" }));
        add(1, () => ({ src: `${r.of(["min", "max"])}([${g("int").src}, ${g("int").src}])`, ty: "int" }));
        if (this.can("Vec", o)) add(1, () => ({ src: `len(${g("Vec").src})`, ty: "int" }));
        if (this.can("Ranked[]", o)) add(1, () => this.rankedField("index", s, d, o));
        break;
      case "float": {
        add(2, () => g("int"));
        add(1, () => ({ src: `(${g("float").src} / ${r.of(["2", "4.0"])})`, ty: "float" }));
        add(1, () => ({ src: `(${g("float").src} + ${g("float").src})`, ty: "float" }));
        add(1, () => ({ src: `mean([${g("float").src}, ${g("int").src}])`, ty: "float" }));
        add(1, () => ({ src: `sum(${g("float[]").src})`, ty: "float" }));
        if (this.can("Vec", o)) add(3, () => ({ src: `cosine(${g("Vec").src}, ${g("Vec").src})`, ty: "float" }));
        if (this.can("Ranked[]", o)) add(1, () => this.rankedField("score", s, d, o));
        break;
      }
      case "bool":
        add(3, () => this.comparison(s, d, o));
        add(2, () => ({ src: `!${this.postfix(g("bool"))}`, ty: "bool" }));
        add(3, () => ({ src: `(${g("bool").src} ${r.of(["&&", "||"])} ${g("bool").src})`, ty: "bool" }));
        add(2, () => ({ src: `contains(${g("string").src}, ${g("string").src})`, ty: "bool" }));
        add(1, () => {
          const l = g("string[]");
          const x = g("string");
          // The item must fit the element type or the other way round.
          const fits = assignable(x.ty, elem(l.ty)) || assignable(elem(l.ty), x.ty);
          return { src: `contains(${l.src}, ${fits ? x.src : `str(${x.src})`})`, ty: "bool" };
        });
        add(1, () => ({ src: `${r.of(["starts_with", "ends_with"])}(${g("string").src}, "${r.of(["a", "h", ""])}")`, ty: "bool" }));
        add(2, () => ({ src: `(len(${g(r.of(["string[]", "string"])).src}) > ${r.range(0, 2)})`, ty: "bool" }));
        break;
      case "Color":
        add(3, () => ({ src: `${this.postfix(g("Item"))}.label`, ty: "Color" }));
        break;
      case "Item":
        add(4, () => this.record(s, d, o));
        break;
      case "string?":
        add(3, () => ({ src: `${this.postfix(g("Item"))}.note`, ty: "string?" }));
        add(2, () => g("string"));
        add(1, () => {
          const v = g("string");
          return { src: `(if ${g("bool").src} { ${v.src} } else { null })`, ty: opt(v.ty) };
        });
        break;
      case "Vec":
        if (model) add(4, () => this.embed("Vec", s, d, o));
        break;
      case "Vec[]":
        if (model) add(4, () => this.embed("Vec[]", s, d, o));
        add(2, () => this.forExpr("Vec", s, d, o));
        break;
      case "Ranked[]":
        add(4, () => this.rerank(s, d, o));
        break;
    }
    if (isList(t) && t !== "Vec[]" && t !== "Ranked[]") {
      const e = elem(t);
      add(4, () => this.forExpr(e, s, d, o));
      add(2, () => this.listLit(e, s, d, o));
      add(1, () => {
        const l = this.gen(t, s, d, o);
        return { src: `${r.of(["reverse", "unique"])}(${l.src})`, ty: l.ty };
      });
      add(1, () => {
        const l = this.gen(t, s, d, o);
        const end = r.chance(2) ? `, ${this.mainParams(s) && r.chance(2) ? "n" : "3"}` : "";
        return { src: `slice(${l.src}, ${r.range(0, 2)}${end})`, ty: l.ty };
      });
      if (["string", "int", "float"].includes(e)) add(1, () => { const l = this.gen(t, s, d, o); return { src: `sort(${l.src})`, ty: l.ty }; });
      if (isList(e) && this.can(e, o)) {
        add(1, () => { const l = this.gen(e, s, d, o); return { src: `chunk(${l.src}, ${r.range(1, 3)})`, ty: listOf(l.ty) }; });
        if (e === "string[]") {
          add(1, () => {
            const a = this.gen(e, s, d, o);
            const b = this.gen(e, s, d, o);
            const j = join(elem(a.ty), elem(b.ty));
            return j ? { src: `zip(${a.src}, ${b.src})`, ty: listOf(listOf(j)) } : undefined;
          });
        }
      }
      if (this.can(listOf(t), o)) add(1, () => { const l = this.gen(listOf(t), s, d, o); return { src: `flatten(${l.src})`, ty: elem(l.ty) }; });
      if (e === "string") {
        add(2, () => ({ src: `split(${g("string").src}, "${r.of([" ", ",", ""])}")`, ty: "string[]" }));
        add(1, () => ({ src: `lines(${g("string").src})`, ty: "string[]" }));
        add(2, () => ({ src: `${this.postfix(g("Item"))}.tags`, ty: "string[]" }));
      }
      if (e === "int") {
        add(2, () => ({ src: r.chance(2) ? `range(${r.of(["n", "3", "len(xs)"].filter((x) => x === "3" || this.mainParams(s)))})` : `range(${r.range(0, 2)}, ${r.range(1, 4)})`, ty: "int[]" }));
        add(1, () => ({ src: `top_k(${g(r.of(["int[]", "float[]"])).src}, ${r.range(0, 3)})`, ty: "int[]" }));
      }
    }
    return out;
  }

  /** Whether `n` and `xs` (main's parameters) are in scope. */
  mainParams(s: Scope): boolean {
    const names = new Set([...s.allVars()].map((v) => v.name));
    return names.has("n") && names.has("xs");
  }

  /** Wraps anything but a plain name in parentheses, for `.field` or `!`. */
  postfix(e: Expr): string {
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(e.src) ? e.src : `(${e.src})`;
  }

  ifExpr(t: Ty, s: Scope, d: number, o: Opts): Expr | undefined {
    const cond = this.gen("bool", s, d, { ...o, litEnum: false, noEnum: false });
    const a = this.block(t, new Scope(s), d, o);
    const b = this.r.chance(4) && d > 0 ? this.ifExpr(t, s, d - 1, o) : undefined;
    const other = b ? { src: b.src, ty: b.ty } : this.block(t, new Scope(s), d, o);
    const ty = join(a.ty, other.ty);
    if (!ty || !assignable(ty, t) || mixesEnum(a.ty, other.ty)) return undefined;
    return { src: `if ${cond.src} ${a.src} else ${b ? b.src : other.src}`, ty };
  }

  /** `{ let ...; value }`: some lets, sometimes unused, then a value of type `t`. */
  block(t: Ty, s: Scope, d: number, o: Opts, indent = "", top = false, prelude: string[] = []): Expr {
    // `top`: the graph's outermost block, which always binds a few names.
    const r = this.r;
    const lines: string[] = [...prelude];
    // Inside `{{ }}` there is no statement separator (newlines are whitespace, `;` is not a
    // token there), so template blocks hold just their value.
    const n = top ? r.range(1, 4) : d > 0 && this.budget > 0 && !o.template ? r.weighted([[4, 0], [2, 1], [1, 2]]) : 0;
    for (let i = 0; i < n; i++) {
      const ty = this.letType(o);
      const name = this.fresh("v");
      const e = this.gen(ty, s, d, { ...o, litEnum: false, noEnum: false });
      lines.push(`let ${name} = ${e.src}`);
      s.vars.push({ name, ty: e.ty });
    }
    const v = this.gen(t, s, d, o);
    lines.push(v.src);
    if (this.shape.noDeadLets) pruneUnusedLets(lines);
    if (lines.length === 1 && !v.src.includes("\n")) return { src: `{ ${v.src} }`, ty: v.ty };
    const body = lines.map((l) => l.split("\n").map((x) => `  ${indent}${x}`).join("\n")).join("\n");
    return { src: `{\n${body}\n${indent}}`, ty: v.ty };
  }

  guardedIndex(t: Ty, s: Scope, d: number, o: Opts): Expr | undefined {
    const r = this.r;
    // Prefer a name, so the list is computed once; otherwise the list is written twice.
    const names = [...s.allVars()].filter((v) => isList(v.ty) && assignable(elem(v.ty), t));
    const named = names.length > 0 && r.chance(2) ? r.of(names) : undefined;
    const list = named ? { src: named.name, ty: named.ty } : this.gen(listOf(t), s, d, o);
    // The list is written twice: keep that to short expressions.
    if (list.src.length > 120) return undefined;
    const at = r.chance(2) ? "0" : `len(${this.postfix(list)}) - 1`;
    const fallback = this.terminal(t, o);
    const ty = join(elem(list.ty), fallback.ty);
    if (!ty || !assignable(ty, t) || mixesEnum(elem(list.ty), fallback.ty)) return undefined;
    return { src: `(if len(${list.src}) > 0 { ${this.postfix(list)}[${at}] } else { ${fallback.src} })`, ty };
  }

  comparison(s: Scope, d: number, o: Opts): Expr {
    const r = this.r;
    const ty = r.weighted<Ty>([
      [3, "int"],
      [3, "string"],
      [2, "Color"],
      [1, "float"],
      [1, "bool"],
      [1, "Item"],
      [1, "string[]"],
    ]);
    const a = this.gen(ty, s, d, o);
    const numeric = a.ty === "int" || a.ty === "float";
    const op = numeric || a.ty === "string" ? r.of(["==", "!=", "<", "<=", ">", ">="]) : r.of(["==", "!="]);
    // A string literal compared with an enum value is read as a member: give it one.
    const other = numeric ? "float" : ty;
    const b = a.ty === "Color" ? this.gen("Color", s, d, { ...o, litEnum: true }) : this.gen(other, s, d, { ...o, noEnum: true });
    if (!join(a.ty, b.ty)) return { src: `(${a.src} == ${a.src})`, ty: "bool" };
    return { src: `(${a.src} ${op} ${b.src})`, ty: "bool" };
  }

  /**
   * `{ "k": v, ... }` with values of type `v` (text values never enum-typed, so a literal is
   * never read as a member) and distinct keys, in a random order; `{}` needs no type here
   * because it only stands where a map is expected (`keys(... ?? {})` is not generated).
   */
  mapLit(v: Ty, s: Scope, d: number, o: Opts): { src: string; ty: Ty; keys: string[] } | undefined {
    if (!this.can(v, o)) return undefined;
    const keys = [...MAP_KEYS].sort(() => (this.r.chance(2) ? 1 : -1)).slice(0, this.r.range(1, 3));
    const values = keys.map(() => this.gen(v, s, d, { ...o, noEnum: true }));
    let ty: Ty | undefined = values[0].ty;
    for (const x of values.slice(1)) ty = ty && join(ty, x.ty);
    if (!ty) return undefined;
    return { src: `{ ${keys.map((k, i) => `${JSON.stringify(k)}: ${values[i].src}`).join(", ")} }`, ty, keys };
  }

  /** Reads of a map literal that give a `t`: a lookup with a default, its keys, values or a key test. */
  private mapReads(t: Ty, s: Scope, d: number, o: Opts): [number, () => Expr | undefined][] {
    const r = this.r;
    const out: [number, () => Expr | undefined][] = [];
    // A key that is there, one that is not, or a computed one.
    const key = (keys: readonly string[]) => r.weighted<() => string>([[2, () => JSON.stringify(r.of(keys))], [1, () => JSON.stringify(r.of(["zz", "toString"]))], [1, () => this.gen("string", s, d, { ...o, noEnum: true }).src]])();
    if (!isList(t) && !isOpt(t) && t !== "null" && t !== "Vec" && !t.startsWith("Ranked")) {
      out.push([1, () => {
        const m = this.mapLit(t, s, d, o);
        if (!m || !assignable(m.ty, t)) return undefined;
        return { src: `(${m.src}[${key(m.keys)}] ?? ${this.gen(t, s, d, { ...o, litEnum: t === "Color" }).src})`, ty: t };
      }]);
    }
    if (t === "string[]") {
      out.push([1, () => {
        const m = this.mapLit(this.r.of(["int", "string", "Item"]), s, d, o);
        return m && { src: `keys(${m.src})`, ty: "string[]" };
      }]);
    }
    if (isList(t) && !t.startsWith("Vec") && !t.startsWith("Ranked") && elem(t) !== "null") {
      out.push([1, () => {
        const m = this.mapLit(elem(t), s, d, o);
        return m && assignable(listOf(m.ty), t) ? { src: `values(${m.src})`, ty: listOf(m.ty) } : undefined;
      }]);
    }
    if (t === "bool") {
      out.push([1, () => {
        const m = this.mapLit(this.r.of(["int", "string", "bool"]), s, d, o);
        return m && { src: `has(${m.src}, ${key(m.keys)})`, ty: "bool" };
      }]);
    }
    return out;
  }

  listLit(e: Ty, s: Scope, d: number, o: Opts): Expr | undefined {
    if (!this.can(e, o)) return undefined;
    const n = this.r.range(1, 3);
    let items = Array.from({ length: n }, () => this.gen(e, s, d, o));
    // The checker reads a string literal beside an enum element as a member (an error when it
    // is not one), so a list mixing the enum with other strings holds the enum as `str(...)`.
    if (items.some((i) => i.ty === "Color") && items.some((i) => i.ty !== "Color")) {
      if (items.some((i) => i.ty === "Color?")) return undefined;
      items = items.map((i) => (i.ty === "Color" ? { src: `str(${i.src})`, ty: "string" } : i));
    }
    let ty: Ty | undefined = items[0].ty;
    for (const it of items.slice(1)) ty = ty && join(ty, it.ty);
    if (!ty) return undefined;
    return { src: `[${items.map((i) => i.src).join(", ")}]`, ty: listOf(ty) };
  }

  /** `for x in list [if cond] { body }`: nested loops walk only short lists. */
  forExpr(e: Ty, s: Scope, d: number, o: Opts): Expr | undefined {
    const r = this.r;
    if (!this.can(e, o)) return undefined;
    if (this.shape.noConstantLoops && !o.template && !this.mainParams(s)) return undefined;
    const inner = { ...o, loops: o.loops + 1 };
    const iterElem = this.elemChoice(o);
    let list: Expr;
    if (o.loops > 0) {
      const short = this.gen(listOf(iterElem), s, Math.min(d, 1), inner);
      list = { src: `slice(${short.src}, 0, ${r.range(1, 3)})`, ty: short.ty };
    } else if (iterElem === "string" && this.mainParams(s) && r.int(5) < 2) list = { src: "xs", ty: "string[]" };
    else list = this.gen(listOf(iterElem), s, d, inner);
    if (this.shape.noConstantLoops && !o.template) list = { src: `slice(${list.src}, 0, len(xs) + 3)`, ty: list.ty };
    const x = this.fresh("x");
    const body = new Scope(s);
    body.vars.push({ name: x, ty: elem(list.ty) });
    body.loop = { name: x, ty: elem(list.ty) };
    const filter = r.chance(3) ? ` if ${this.gen("bool", body, d, inner).src}` : "";
    // Often the body starts with model calls on the element, sometimes two dependent ones.
    const prelude: string[] = [];
    if (o.model && r.chance(2)) {
      for (let k = r.range(1, 2); k > 0; k--) {
        const ty = r.of(["string", ...this.prompts.map((p) => p.output)]);
        const call = k === 1 || this.embedClients().length === 0 || r.chance(2) ? this.modelCall(ty, body, d, { ...inner, forceLoop: k === 2 || prelude.length === 0 }) : this.embed("Vec", body, d, { ...inner, forceLoop: true });
        const name = this.fresh("v");
        prelude.push(`let ${name} = ${call.src}`);
        body.vars.push({ name, ty: call.ty });
      }
    }
    const b = this.block(e, body, d + (r.chance(2) ? 1 : 0), inner, "", false, prelude);
    return { src: `for ${x} in ${list.src}${filter} ${b.src}`, ty: listOf(b.ty) };
  }

  /** A state's first value, of exactly type `t` (a prompt or an int made a string or a float). */
  stateInit(t: Ty, s: Scope, d: number, o: Opts): Expr {
    const e = this.gen(t, s, d, o);
    if (e.ty === t) return e;
    if (t === "string") return { src: `str(${e.src})`, ty: t };
    if (t === "float") return { src: `(${e.src} * 1.0)`, ty: t };
    const q = this.fresh("q");
    return { src: `for ${q} in ${e.src} { str(${q}) }`, ty: t };
  }

  /**
   * `let v = <state, cut short>` at the top of a fold or loop body, bound in `body` instead of
   * the state itself: a body like `s + s` would otherwise double the state every round, and
   * nested rounds would make it grow past what a test can evaluate.
   */
  stateView(state: string, ty: Ty, body: Scope): string {
    const v = this.fresh("t");
    const view =
      ty === "string" ? `slice(${state}, 0, 24)`
      : ty === "string[]" ? `slice(${state}, 0, 3)`
      : ty === "int" ? `(${state} % 1000)`
      : ty === "float" ? `(${state} / 4.0)`
      : ty === "Item" ? `Item { label: ${state}.label, score: (${state}.score % 1000), text: slice(${state}.text, 0, 24), tags: slice(${state}.tags, 0, 3) }`
      : state;
    body.vars.push({ name: v, ty });
    return `let ${v} = ${view}`;
  }

  /** `fold acc = INIT for x in list { BODY }`: the state has INIT's exact type, BODY fits it. */
  foldExpr(t: Ty, s: Scope, d: number, o: Opts): Expr | undefined {
    const r = this.r;
    if (this.shape.noConstantLoops && !this.mainParams(s)) return undefined;
    if (o.loops > 1) return undefined;
    const inner = { ...o, loops: o.loops + 1 };
    const init = this.stateInit(t, s, d, o);
    const iterElem = this.elemChoice(o);
    const short = this.gen(listOf(iterElem), s, Math.min(d, 1), inner);
    const list = { src: `slice(${short.src}, 0, ${r.range(1, 3)})`, ty: short.ty };
    const acc = this.fresh("acc");
    const x = this.fresh("x");
    const body = new Scope(s);
    body.vars.push({ name: x, ty: elem(list.ty) });
    body.loop = { name: x, ty: elem(list.ty) };
    const b = this.block(init.ty, body, d, inner, "", false, [this.stateView(acc, init.ty, body)]);
    return { src: `(fold ${acc} = ${init.src} for ${x} in ${list.src} ${b.src})`, ty: init.ty };
  }

  /** `loop s = INIT until COND max N { BODY }`. */
  loopExpr(t: Ty, s: Scope, d: number, o: Opts): Expr | undefined {
    const r = this.r;
    if (o.loops > 1) return undefined;
    const inner = { ...o, loops: o.loops + 1 };
    const init = this.stateInit(t, s, d, o);
    const st = this.fresh("s");
    const body = new Scope(s);
    body.vars.push({ name: st, ty: init.ty });
    const cond = this.gen("bool", body, Math.min(d, 1), inner);
    const round = new Scope(s);
    const b = this.block(init.ty, round, d, inner, "", false, [this.stateView(st, init.ty, round)]);
    return { src: `(loop ${st} = ${init.src} until ${cond.src} max ${r.range(1, 3)} ${b.src})`, ty: init.ty };
  }

  record(s: Scope, d: number, o: Opts): Expr {
    const r = this.r;
    const f = (ty: Ty) => this.gen(ty, s, d, { ...o, litEnum: ty === "Color" });
    const fields = [
      `label: ${f("Color").src}`,
      `score: ${f("int").src}`,
      `text: ${f("string").src}`,
      ...(r.chance(2) ? [`note: ${f("string?").src}`] : []),
      `tags: ${f("string[]").src}`,
    ];
    // Field order does not matter; shuffle a little.
    if (r.chance(3)) fields.reverse();
    return { src: `Item { ${fields.join(", ")} }`, ty: "Item" };
  }

  /** Arguments for a prompt or graph call: positional, sometimes named, defaults left out. */
  args(params: readonly Param[], s: Scope, d: number, o: Opts): string {
    const r = this.r;
    const named = r.chance(4);
    const out: string[] = [];
    const loop = s.loopVar();
    for (const p of params) {
      if (p.def && r.chance(2)) continue;
      // In a loop, calls mostly read the element: that is what loop fission batches.
      const useLoop = loop && assignable(loop.ty, p.ty) && (o.forceLoop || r.chance(2));
      const v = useLoop ? { src: loop.name } : this.gen(p.ty, s, d, { ...o, litEnum: p.ty === "Color" });
      out.push(named ? `${p.name}: ${v.src}` : v.src);
    }
    return out.join(", ");
  }

  render(s: Scope, d: number, o: Opts): Expr {
    const p = this.r.of(this.prompts.filter((x) => x.output === "string"));
    // A prompt is not an answer: where a string is wanted, its text is taken with `str`.
    return { src: `str(${p.name}(${this.args(p.params, s, d, o)}))`, ty: "string" };
  }

  /** Per-call settings, sometimes. */
  callSettings(): string {
    const r = this.r;
    return r.weighted([
      [6, ""],
      [1, ", temperature: 0"],
      [1, ", temperature: 0.7"],
      [1, ", max_tokens: 16"],
    ]);
  }

  modelCall(t: Ty, s: Scope, d: number, o: Opts): Expr {
    const r = this.r;
    const client = r.of(this.chatClients());
    const loop = s.loopVar();
    let prompts = this.prompts.filter((p) => assignable(p.output, t));
    if (o.forceLoop && loop) {
      const reading = prompts.filter((p) => p.params.some((q) => assignable(loop.ty, q.ty)));
      if (reading.length > 0) prompts = reading;
      else if (t === "string" && assignable(loop.ty, "string")) prompts = [];
    }
    let e: Expr;
    if (prompts.length > 0 && (t !== "string" || r.chance(2))) {
      const p = r.of(prompts);
      e = { src: `${client.name}(${p.name}(${this.args(p.params, s, d, o)})${this.callSettings()})`, ty: p.output };
    } else {
      const arg = loop && assignable(loop.ty, "string") && !isPrompt(loop.ty) && (o.forceLoop || r.chance(2)) ? loop.name : this.gen("string", s, d, o).src;
      e = { src: `${client.name}(${arg}${this.callSettings()})`, ty: "string" };
    }
    s.calls.push(e);
    return e;
  }

  embed(t: "Vec" | "Vec[]", s: Scope, d: number, o: Opts): Expr {
    const client = this.r.of(this.embedClients());
    const loop = s.loopVar();
    const want = t === "Vec" ? "string" : "string[]";
    const arg = loop && assignable(loop.ty, want) && (o.forceLoop || this.r.chance(2)) ? loop.name : this.gen(want, s, d, o).src;
    const e = { src: `${client.name}(${arg})`, ty: t };
    s.calls.push(e);
    return e;
  }

  rerank(s: Scope, d: number, o: Opts): Expr {
    const r = this.r;
    const client = r.of(this.rerankClients());
    const topN = r.chance(3) ? `, top_n: ${r.range(1, 3)}` : "";
    const e = { src: `${client.name}(${this.gen("string", s, d, o).src}, ${this.gen("string[]", s, d, o).src}${topN})`, ty: "Ranked[]" };
    s.calls.push(e);
    return e;
  }

  /** A field of the first ranked document, or a default when nothing came back. */
  rankedField(field: "index" | "score" | "document", s: Scope, d: number, o: Opts): Expr {
    const ty = field === "index" ? "int" : field === "score" ? "float" : "string";
    const ranked = this.gen("Ranked[]", s, d, o);
    const r = this.r;
    if (field === "document" && r.chance(2)) {
      const x = this.fresh("x");
      return { src: `join(for ${x} in ${ranked.src} { str(${x}.${field}) }, ",")`, ty: "string" };
    }
    return { src: `(if len(${ranked.src}) > 0 { ${this.postfix(ranked)}[0].${field} } else { ${this.terminal(ty, o).src} })`, ty };
  }

  helperCall(s: Scope, d: number, o: Opts): Expr {
    const h = this.helper!;
    return { src: `${h.name}(${this.args(h.params, s, d, o)})`, ty: h.output };
  }

  /** A template string in code: one line, interpolating locals. */
  codeTemplate(s: Scope, d: number, o: Opts): string {
    const parts = this.templateParts(s, { ...o, template: true, model: false }, Math.min(d, 1));
    return `"""${parts.replace(/\n/g, " ")}!"""`;
  }

  // ---------------------------------------------------------------- graphs

  genHelper(): string {
    const r = this.r;
    const params: Param[] = [
      { name: this.fresh("h"), ty: r.of(["string", "string[]", "Item"]) },
      ...(r.chance(2) ? [{ name: this.fresh("h"), ty: r.of(["int", "string", "Color"]) }] : []),
    ];
    const output = r.of(["string", "Item", "int", "string[]"]);
    const s = new Scope();
    for (const c of this.consts) s.vars.push({ name: c.name, ty: c.ty });
    for (const p of params) s.vars.push({ name: p.name, ty: p.ty });
    this.budget = 30;
    const body = this.block(output, s, 3, { model: true, template: false, loops: 0, inHelper: true });
    const name = this.fresh("helper");
    this.helper = { name, params, output };
    return `graph ${name}(${params.map((p) => `${p.name}: ${declType(p.ty)}`).join(", ")}) -> ${declType(output)} ${body.src}`;
  }

  genMain(): { src: string; ty: Ty } {
    const r = this.r;
    const o: Opts = { model: true, template: false, loops: 0 };
    const ty = r.weighted<Ty>([
      [4, "string"],
      [4, "string[]"],
      [3, "Item[]"],
      [2, "Item"],
      [1, "int"],
      [1, "bool"],
      [1, "float"],
      [1, "Color"],
      [1, "string[][]"],
      [this.embedClients().length > 0 ? 1 : 0, "Vec[]"],
      [this.rerankClients().length > 0 ? 1 : 0, "Ranked[]"],
    ]);
    const s = new Scope();
    for (const c of this.consts) s.vars.push({ name: c.name, ty: c.ty });
    s.vars.push({ name: "xs", ty: "string[]" }, { name: "n", ty: "int" });
    this.budget = 70;
    const body = this.block(ty, s, 4, o, "", true);
    const decl = ty === "Ranked[]" ? "Ranked[]" : declType(ty);
    return { src: `graph main(xs: string[], n: int) -> ${decl} ${body.src}`, ty };
  }

  program(): Program {
    const r = this.r;
    this.genClients();
    const parts: string[] = [];
    if (r.chance(4)) parts.push("language en");
    parts.push(...this.clients.map((c) => c.decl));
    parts.push("enum Color { red, green, blue }");
    parts.push("type Item {\n  label: Color\n  score: int\n  text: string\n  note: string?\n  tags: string[]\n}");
    if (r.chance(2)) {
      const name = this.fresh("k");
      const [ty, src] = r.of([["string", '"SmartBot"'], ["int", "3"]] as const);
      this.consts.push({ name, ty, src });
      parts.push(`const ${name} = ${src}`);
    }
    // Decisions that shape the graphs come first in the choice sequence: they matter most.
    this.genPromptSignatures();
    // A helper may ignore a parameter, which makes its argument dead code.
    const helper = r.chance(2) && !this.shape.noDeadLets ? this.genHelper() : undefined;
    const main = this.genMain();
    parts.push(...this.genPromptBodies());
    if (helper) parts.push(helper);
    parts.push(main.src);
    return new Program(parts.join("\n\n") + "\n", main.ty, this.helper !== undefined);
  }
}

/** Shapes the generator can leave out, each because of a known compiler bug. */
export interface GenOptions {
  /** Also `fold` and `loop` expressions (their own property, on a fixed seed: see equivalence.test.ts). */
  readonly stateForms?: boolean;
  /** Also map literals read through `m[k] ?? d`, `keys`, `values` and `has` (their own property). */
  readonly maps?: boolean;
  /**
   * No unused `let` anywhere (they are dropped) and no helper graph (it may ignore a
   * parameter): every model call's answer is needed, so there is nothing to cull.
   */
  readonly noDeadLets?: boolean;
  /**
   * No `for` in graph code walks a list known at compile time: `main`'s loops walk
   * `slice(list, 0, len(xs) + 3)` and the helper has none (its arguments may be constants).
   * Avoids a known bug (see `equivalence.test.ts`): `fold` runs only first, so a `for` over a
   * constant list is folded only by a second `optimize` when its body becomes pure later,
   * after `cull` drops a dead call from it or after `batch` splits its calls out (loop
   * fission leaves a pure `map` of prompts over that constant list).
   */
  readonly noConstantLoops?: boolean;
}

/** Drops `let` lines whose name nothing after them reads, until none is left. */
function pruneUnusedLets(lines: string[]): void {
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = lines.length - 2; i >= 0; i--) {
      const name = /^let (\w+) =/.exec(lines[i])?.[1];
      if (!name) continue;
      const used = new RegExp(`\\b${name}\\b`);
      if (!lines.slice(i + 1).some((l) => used.test(l))) {
        lines.splice(i, 1);
        changed = true;
      }
    }
  }
}

/** Builds the program a choice sequence describes. */
export function programFromChoices(choices: readonly number[], shape: GenOptions = {}): Program {
  return new Gen(new Choices(choices), shape).program();
}

/** Well-typed Feste programs with a `graph main(xs: string[], n: int)`. */
export function typedProgramWith(shape: GenOptions): fc.Arbitrary<Program> {
  return fc.array(fc.noBias(fc.nat({ max: 0xffff })), { maxLength: 1000, size: "max" }).map((c) => programFromChoices(c, shape));
}

export const typedProgram: fc.Arbitrary<Program> = typedProgramWith({});

/** Inputs for `main`: up to 30 short strings (with repeats, so equal calls occur) and a small int. */
export const mainInputs = fc.record({
  xs: fc.array(fc.oneof(fc.constantFrom("a", "b", "hello world", "x", "Bob", "", "red", "a,b"), fc.string({ maxLength: 6 })), { maxLength: 30 }),
  n: fc.integer({ min: -1, max: 6 }),
});
