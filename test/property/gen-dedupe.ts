/**
 * Generator of small programs whose calls repeat at run time: `for` loops over lists with
 * duplicate elements, static calls on inputs equal to those elements, both branches of an
 * `if` asking the same thing, and calls fed by other calls' answers. Clients are chat clients
 * (one request per call), at temperature 0 or with `dedupe: true`, so identical calls may be
 * asked once.
 */
import fc from "fast-check";

const HEADER = `client a: openai.chat { model: "a", temperature: 0 }
client c: cohere.chat { model: "c", temperature: 0.8, dedupe: true }
prompt ask(x: string) """Q: {{ x }}"""
prompt again(x: string) """Again: {{ x }}"""
`;

const client = fc.constantFrom("a", "c");
const prompt = fc.constantFrom("ask", "again");
/** Few distinct words, so inputs repeat. */
const word = fc.constantFrom("x", "y", "z");

/** One statement, as an expression over `x` (a loop's element) or the scalar inputs `u`, `v`. */
const call = (arg: string) => fc.tuple(client, prompt).map(([c, p]) => `${c}(${p}(${arg}))`);
const chained = (arg: string) => fc.tuple(call(arg), client, prompt).map(([inner, c, p]) => `${c}(${p}(${inner}))`);
const expr = (arg: string) => fc.oneof(call(arg), chained(arg));

const statement: fc.Arbitrary<{ text: string; list: boolean }> = fc.oneof(
  expr("x").map((e) => ({ text: `for x in xs { ${e} }`, list: true })),
  fc.tuple(fc.constantFrom("u", "v"), expr("u")).map(([arg, e]) => ({ text: e.replace(/\(u\)/g, `(${arg})`), list: false })),
  fc.tuple(expr("u"), expr("v")).map(([t, e]) => ({ text: `if flag { ${t} } else { ${e} }`, list: false })),
  fc.tuple(expr("x"), expr("u")).map(([t, e]) => ({ text: `for x in xs { if x == u { ${t} } else { ${e} } }`, list: true })),
);

/** A program and an input for its `main`. */
export interface DupProgram {
  readonly source: string;
  readonly inputs: { xs: string[]; u: string; v: string; flag: boolean };
}

export const dupProgram: fc.Arbitrary<DupProgram> = fc
  .record({
    statements: fc.array(statement, { minLength: 1, maxLength: 4 }),
    xs: fc.array(word, { maxLength: 6 }),
    u: word,
    v: word,
    flag: fc.boolean(),
  })
  .map(({ statements, xs, u, v, flag }) => {
    const lets = statements.map((s, i) => `  let s${i} = ${s.text}`).join("\n");
    const out = statements.map((s, i) => (s.list ? `s${i}` : `[s${i}]`)).join(", ");
    const source = `${HEADER}graph main(xs: string[], u: string, v: string, flag: bool) -> string[][] {\n${lets}\n  [${out}]\n}\n`;
    return { source, inputs: { xs, u, v, flag } };
  });
