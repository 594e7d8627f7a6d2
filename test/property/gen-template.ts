/**
 * Source-text generators for `"""` templates: text, `{{ }}` with filters, `{% if %}` and
 * `{% for %}` tags, `{# #}` comments and `-` trim markers, laid out the ways people write
 * them (indented under the declaration with the closing quotes on their own line, or all on
 * one line).
 */
import fc from "fast-check";
import { args, TPL } from "./gen-expr.js";
import { name, templateCommentText, templateText, tws } from "./gen-lexical.js";

type ExprOf = (d: number) => fc.Arbitrary<string>;

const trim = fc.constantFrom("", "", "-");
const FILTERS = ["join", "upper", "lower", "trim", "json", "shout"];

const cache = new Map<number, fc.Arbitrary<string>>();

/** The inside of a template, between the quotes. */
export function templateBody(d: number, expr: ExprOf): fc.Arbitrary<string> {
  let arb = cache.get(d);
  if (arb) return arb;
  const tag = (inside: fc.Arbitrary<string>) =>
    fc.tuple(trim, fc.constantFrom("", " ", "\n"), inside, tws, trim).map(([a, s, x, t, b]) => `{%${a}${a === "" ? s : " "}${x}${t}${b}%}`);
  const filter = fc
    .tuple(fc.constantFrom("", " "), fc.constantFrom(...FILTERS), fc.option(args(Math.max(0, d - 1), TPL), { freq: 3 }))
    .map(([s, f, a]) => `${s}|${s}${f}${a ?? ""}`);
  const interpolation = fc
    .tuple(trim, tws, expr(d), fc.array(filter, { maxLength: 2 }), tws, trim)
    .map(([a, s, e, f, t, b]) => `{{${a}${s}${e}${f.join("")}${t}${b}}}`);
  const comment = templateCommentText.map((c) => `{#${c}#}`);
  // Text around a comment is joined into one text, which may then hold `"""`.
  const quoteRun = fc.constantFrom('x""{##}"y', 'a"{# c #}""b', 'q""{#"#}""r', 'q"{##}"{##}"{##}"r');
  const parts: fc.Arbitrary<string>[] = [templateText, templateText, interpolation, comment, quoteRun];
  if (d > 0) {
    const body = templateBody(d - 1, expr);
    const ifTag = fc
      .tuple(
        tag(expr(d - 1).map((c) => `if ${c}`)),
        body,
        fc.array(fc.tuple(tag(expr(d - 1).map((c) => `elif ${c}`)), body), { maxLength: 2 }),
        fc.option(fc.tuple(tag(fc.constant("else")), body)),
        tag(fc.constant("endif")),
      )
      .map(([open, b, elifs, els, close]) => open + b + elifs.map(([t, x]) => t + x).join("") + (els ? els[0] + els[1] : "") + close);
    const forHead = fc
      .tuple(name, expr(d - 1), fc.option(expr(d - 1).map((f) => ` if ${f}`), { freq: 3 }))
      .map(([n, it, f]) => `for ${n} in ${it}${f ?? ""}`);
    const forTag = fc.tuple(tag(forHead), body, tag(fc.constant("endfor"))).map(([open, b, close]) => open + b + close);
    parts.push(ifTag, forTag);
  }
  arb = fc.array(fc.oneof(...parts), { maxLength: 5 }).map((p) => p.join(""));
  cache.set(d, arb);
  return arb;
}

/**
 * A whole template literal. Indented layout: the body on the lines after `"""`, each line
 * indented by the closing quotes' indentation. Inline layout: `"""body"""` (no dedent).
 */
export function templateLiteral(d: number, expr: ExprOf): fc.Arbitrary<string> {
  return fc
    .tuple(templateBody(d, expr), fc.constantFrom("", "  ", "    ", "\t"), fc.constantFrom("indented", "indented", "firstLine", "inline"))
    .map(([body, indent, layout]) => {
      if (layout === "inline") return `"""${body}"""`;
      const lines = body.replace(/\n/g, `\n${indent}`);
      return `"""${layout === "indented" ? `\n${indent}` : ""}${lines}\n${indent}"""`;
    });
}
