/**
 * A fast-check arbitrary of well-typed Feste programs with no model call, for comparing the
 * compiled closures of `src/ir/compile-pure.ts` with the reference evaluator
 * (`compiled-pure.test.ts`). Unlike `test/optimize/gen-typed-program.ts`, these programs
 * are meant to fail at run time now and then: divisors and indices come from the inputs,
 * `min` may get an empty list, `cosine` vectors of different lengths, so errors (and the
 * `.feste` line they name) are compared too.
 *
 * Every decision is drawn from a list of numbers (a choice sequence); a missing number picks
 * the simplest option, so fast-check shrinks a failure to a small program. Loops nest and
 * read the variables of the loops around them, which is what the compiled scopes resolve.
 */
import fc from "fast-check";

type Ty = "int" | "float" | "bool" | "string" | "int[]" | "string[]" | "float[]" | "float[][]" | "P";

const TYPES: readonly Ty[] = ["int", "float", "bool", "string", "int[]", "string[]", "float[]", "float[][]", "P"];

/** Draws choices from a fixed list; past its end every choice is 0, the simplest option. */
class Chooser {
  private at = 0;
  private fresh = 0;
  constructor(private readonly choices: readonly number[]) {}

  pick<T>(options: readonly T[]): T {
    return options[(this.choices[this.at++] ?? 0) % options.length];
  }

  name(prefix: string): string {
    return `${prefix}${this.fresh++}`;
  }
}

type Env = ReadonlyMap<string, Ty>;

const varsOf = (env: Env, t: Ty) => [...env].filter(([, ty]) => ty === t).map(([n]) => n);

/** An expression of type `t` over the variables of `env`, at most `d` levels deep. */
function expr(c: Chooser, t: Ty, d: number, env: Env): string {
  const vars = varsOf(env, t);
  const leaf = (): string => (vars.length > 0 && c.pick([false, true]) ? c.pick(vars) : literal(c, t, env));
  if (d <= 0) return leaf();
  const e = (ty: Ty) => expr(c, ty, d - 1, env);
  const options: (() => string)[] = [leaf, ...compound(c, t, d, env, e)];
  return c.pick(options)();
}

function literal(c: Chooser, t: Ty, env: Env): string {
  switch (t) {
    case "int":
      return c.pick(["0", "1", "2", "3", "-1", "n"]);
    case "float":
      return c.pick(["0.5", "1.0", "-2.5"]);
    case "bool":
      return c.pick(["true", "false"]);
    case "string":
      return c.pick(['"a"', '"b c"', '""', "s"]);
    case "int[]":
      return c.pick(["xs", "[1, 2, 3]", "[n]"]);
    case "string[]":
      return c.pick(["words", '["x", "y"]']);
    case "float[]":
      return c.pick(["[0.5, 1.0]", "[1.0, 0.0, 2.0]"]);
    case "float[][]":
      return "vecs";
    case "P":
      return `P { a: ${literal(c, "int", env)}, b: ${literal(c, "string", env)} }`;
  }
}

/** A `for` over a list of `elem` whose body (with a `let` sometimes) gives `t`, with a filter sometimes. */
function loop(c: Chooser, list: string, elem: Ty, t: Ty, d: number, env: Env): string {
  const x = c.name("x");
  const inner = new Map(env).set(x, elem);
  const filter = c.pick([false, false, true]) ? ` if ${expr(c, "bool", d - 1, inner)}` : "";
  if (c.pick([false, true])) {
    const y = c.name("y");
    const yt = c.pick(TYPES);
    const value = expr(c, yt, d - 1, inner);
    return `for ${x} in ${list}${filter} {\n  let ${y} = ${value}\n  ${expr(c, t, d - 1, new Map(inner).set(y, yt))}\n}`;
  }
  return `for ${x} in ${list}${filter} { ${expr(c, t, d - 1, inner)} }`;
}

function compound(c: Chooser, t: Ty, d: number, env: Env, e: (t: Ty) => string): (() => string)[] {
  const cond = () => `if ${e("bool")} { ${e(t)} } else { ${e(t)} }`;
  switch (t) {
    case "int":
      return [
        () => `(${e("int")} ${c.pick(["+", "-", "*", "%"])} ${e("int")})`,
        () => `${e("int[]")}[${e("int")}]`,
        () => `len(${e(c.pick(["int[]", "string[]", "string"] as const))})`,
        () => `${c.pick(["sum", "min", "max"])}(${e("int[]")})`,
        () => `${e("P")}.a`,
        cond,
      ];
    case "float":
      return [
        () => `(${e("int")} / ${e("int")})`,
        () => `cosine(${e("float[]")}, ${e("float[]")})`,
        () => `mean(${e("int[]")})`,
        () => `(${e("float")} * ${e("float")})`,
        cond,
      ];
    case "bool":
      return [
        () => `(${e("int")} ${c.pick(["<", "<=", "==", "!="])} ${e("int")})`,
        () => `!${e("bool")}`,
        () => `(${e("bool")} ${c.pick(["&&", "||"])} ${e("bool")})`,
        () => `contains(${e("int[]")}, ${e("int")})`,
        () => `starts_with(${e("string")}, "a")`,
      ];
    case "string":
      return [
        () => `(${e("string")} + ${e("string")})`,
        () => `str(${e(c.pick(["int", "float", "int[]", "P"] as const))})`,
        () => `upper(${e("string")})`,
        () => `join(${e("string[]")}, ",")`,
        () => `${e("string[]")}[${e("int")}]`,
        () => `${e("P")}.b`,
        // Tags hold simple expressions: a template inside a tag would end the outer one.
        () => `"""<{{ ${literal(c, "int", env)} }}|{% for w in ${literal(c, "string[]", env)} %}{{ w }};{% endfor %}>"""`,
        cond,
      ];
    case "int[]":
      return [
        () => `[${e("int")}, ${e("int")}]`,
        () => loop(c, e("int[]"), "int", "int", d, env),
        () => loop(c, e("string[]"), "string", "int", d, env),
        () => `top_k(${loop(c, e("float[][]"), "float[]", "float", d, env)}, ${e("int")})`,
        () => `range(${e("int")})`,
        () => `sort(${e("int[]")})`,
        () => `slice(${e("int[]")}, ${e("int")}, ${e("int")})`,
      ];
    case "string[]":
      return [
        () => loop(c, e("string[]"), "string", "string", d, env),
        () => loop(c, e("int[]"), "int", "string", d, env),
        () => `split(${e("string")}, " ")`,
      ];
    case "float[]":
      return [() => `${e("float[][]")}[${e("int")}]`, () => loop(c, e("float[][]"), "float[]", "float", d, env), () => loop(c, e("int[]"), "int", "float", d, env)];
    case "float[][]":
      return [() => loop(c, e("float[][]"), "float[]", "float[]", d, env), () => loop(c, e("int[]"), "int", "float[]", d, env)];
    case "P":
      return [() => `P { a: ${e("int")}, b: ${e("string")} }`, cond];
  }
}

const PARAMS: Env = new Map<string, Ty>([
  ["xs", "int[]"],
  ["n", "int"],
  ["s", "string"],
  ["words", "string[]"],
  ["vecs", "float[][]"],
]);

/** A program `main(xs, n, s, words, vecs) -> T` of a few `let`s and a result, from a choice sequence. */
export function pureProgram(choices: readonly number[]): string {
  const c = new Chooser(choices);
  const env = new Map(PARAMS);
  const lines = ["type P { a: int, b: string }", "", "graph main(xs: int[], n: int, s: string, words: string[], vecs: float[][]) -> RESULT {"];
  for (let i = c.pick([0, 1, 2, 3]); i > 0; i--) {
    const v = c.name("v");
    const t = c.pick(TYPES);
    lines.push(`  let ${v} = ${expr(c, t, 3, env)}`);
    env.set(v, t);
  }
  const result = c.pick(TYPES);
  lines.push(`  ${expr(c, result, 4, env)}`, "}");
  return lines.join("\n").replace("RESULT", result) + "\n";
}

/** The programs: choice sequences long enough for nested loops. */
export const pureProgramSource = fc.array(fc.nat(1 << 16), { minLength: 30, maxLength: 150 }).map(pureProgram);

const small = fc.integer({ min: -1, max: 4 });

/** Inputs for `main`: short lists, and vectors of two lengths so `cosine` sometimes fails. */
export const pureInputs = fc.record({
  xs: fc.array(small, { maxLength: 4 }),
  n: small,
  s: fc.constantFrom("", "a b", "abc"),
  words: fc.array(fc.constantFrom("a", "b c", "ab"), { maxLength: 3 }),
  vecs: fc.array(fc.array(fc.constantFrom(0, 0.5, 1, -1), { minLength: 2, maxLength: 3 }), { maxLength: 4 }),
});
