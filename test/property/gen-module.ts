/**
 * Source-text generator for whole modules: every kind of declaration, with `///` docs,
 * `//` comments, settings and fields separated by commas, newlines or `;`, trailing
 * separators and random spacing. Every program it makes is valid syntax (not necessarily
 * well typed): the round-trip property relies on that.
 */
import fc from "fast-check";
import { block, CODE, expr, TPL } from "./gen-expr.js";
import { anyName, brk, itemName, docLines, lineEnd, name, osp, sp, stringLit } from "./gen-lexical.js";
import { templateLiteral } from "./gen-template.js";

/** How deep expressions nest inside declarations. */
const DEPTH = 2;

const suffixes = fc.array(fc.constantFrom("[]", "[ ]", "?", " ?"), { maxLength: 3 });
// `??` lexes as the coalescing operator, so two optional marks need a space between them.
const withSuffixes = (base: string, s: readonly string[]) => base + s.map((x, i) => (x === "?" && s[i - 1]?.endsWith("?") ? " ?" : x)).join("");
const namedType = fc.tuple(name, suffixes).map(([n, s]) => withSuffixes(n, s));
// A map type `{string: T}` (any key name parses; the checker wants `string`), with suffixes too.
const typeRef = fc.oneof(
  { weight: 4, arbitrary: namedType },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom("{", "{ "), name, fc.constantFrom(":", ": "), namedType, fc.constantFrom("}", " }"), suffixes).map(([o, k, c, v, e, s]) => withSuffixes(`${o}${k}${c}${v}${e}`, s)) },
);

/** Items inside braces, with their separators; `item` may start with doc lines. */
function braced(item: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const sep = fc.constantFrom(",", ", ", "\n", ";", ",\n", "\n\n", "\n  ");
  return fc
    .tuple(fc.constantFrom("", " ", "\n", "\n  "), fc.array(fc.tuple(docLines, item, sep), { maxLength: 4 }), fc.boolean(), fc.constantFrom("", " ", "\n"))
    .map(([open, items, trail, close]) => {
      const body = items
        .map(([doc, it, s], i) => {
          // A doc comment runs to the end of its line, so what comes before it must end one.
          const lead = doc !== "" && i > 0 && !items[i - 1][2].includes("\n") ? "\n" : "";
          return lead + (doc !== "" && i === 0 && !open.includes("\n") ? "\n" : "") + doc + it + (i < items.length - 1 || trail ? s : "");
        })
        .join("");
      return `{${open}${body}${close}}`;
    });
}

function params(d: number): fc.Arbitrary<string> {
  const param = fc
    .tuple(name, osp, typeRef, fc.option(expr(d, CODE).map((e) => ` = ${e}`), { freq: 3 }))
    .map(([n, s, t, def]) => `${n}:${s === "" ? " " : s}${t}${def ?? ""}`);
  return fc
    .tuple(fc.array(param, { maxLength: 3 }), fc.constantFrom("", ","), brk)
    .map(([ps, trail, ws]) => `(${ps.join(`,${ws === "" ? " " : ws}`)}${ps.length > 0 ? trail : ""})`);
}

const template = templateLiteral(DEPTH, (k) => expr(k, TPL));

const languageDecl = fc.tuple(sp, fc.oneof(fc.constantFrom("en", "pt", "fr", "de"), name)).map(([s, c]) => `language${s}${c}`);
const useDecl = fc.tuple(sp, stringLit).map(([s, p]) => `use${s}${p}`);
const constDecl = fc.tuple(name, osp, expr(DEPTH, CODE)).map(([n, s, e]) => `const ${n}${s}=${s === "" ? " " : s}${e}`);

const setting = fc.tuple(itemName, osp, expr(DEPTH, CODE)).map(([k, s, v]) => `${k}:${s}${v}`);
const clientDecl = fc.tuple(
  name,
  fc.oneof(
    fc.tuple(fc.constantFrom("openai", "cohere", "acme"), anyName, osp, braced(setting)).map(([p, e, s, b]) => `${p}.${e}${s}${b}`),
    fc
      .tuple(fc.constantFrom("fallback", "round_robin", "other"), fc.array(name, { minLength: 1, maxLength: 3 }), brk)
      .map(([c, ms, ws]) => `${c}(${ms.join(`,${ws === "" ? " " : ws}`)})`),
  ),
).map(([n, src]) => `client ${n}: ${src}`);

const enumDecl = fc.tuple(name, braced(itemName)).map(([n, b]) => `enum ${n} ${b}`);
const typeDecl = fc
  .tuple(name, braced(fc.tuple(itemName, osp, typeRef).map(([f, s, t]) => `${f}:${s}${t}`)))
  .map(([n, b]) => `type ${n} ${b}`);

// A `messages` section ends at a separator: its expression has no closing quotes of its own.
const messagesSection = fc
  .tuple(sp, expr(DEPTH, CODE), fc.constantFrom("\n", ";", "\n\n"))
  .map(([s, e, sep]) => ["messages", s, e, sep] as [string, string, string, string]);
const roles = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.tuple(fc.constantFrom("system", "user", "assistant", "narrator"), sp, template, fc.constantFrom("", " ", "\n", ";", "\n\n")) },
      { weight: 1, arbitrary: messagesSection },
    ),
    { maxLength: 3 },
  )
  .chain((sections) =>
    fc.constantFrom("", "\n").map((open) => `{${open}${sections.map(([r, s, t, sep]) => `${r}${s}${t}${sep}`).join(" ")}\n}`),
  );
const promptBody = fc.oneof(
  { weight: 3, arbitrary: template },
  { weight: 2, arbitrary: roles },
  { weight: 1, arbitrary: stringLit.map((p) => `from ${p}`) },
);
const promptDecl = fc
  .tuple(name, params(1), fc.option(typeRef.map((t) => ` -> ${t}`)), fc.option(name.map((l) => ` lang ${l}`)), sp, promptBody)
  .map(([n, p, out, lang, s, body]) => `prompt ${n}${p}${out ?? ""}${lang ?? ""}${s}${body}`);

const graphDecl = fc
  .tuple(name, params(1), typeRef, osp, block(DEPTH, CODE))
  .map(([n, p, t, s, b]) => `graph ${n}${p} -> ${t}${s === "" ? " " : s}${b}`);
const externDecl = fc
  .tuple(fc.boolean(), name, params(1), typeRef, stringLit, fc.option(fc.tuple(osp, braced(setting))))
  .map(([io, n, p, t, f, settings]) => `extern ${io ? "io " : ""}fn ${n}${p} -> ${t} from ${f}${settings ? `${settings[0]}${settings[1]}` : ""}`);
const testDecl = fc.tuple(fc.oneof(name, stringLit), block(DEPTH, CODE)).map(([n, b]) => `test ${n} ${b}`);

/** One declaration of any kind. */
export const declaration: fc.Arbitrary<string> = fc.oneof(
  languageDecl, useDecl, constDecl, clientDecl, enumDecl, typeDecl, promptDecl, graphDecl, externDecl, testDecl,
);

/** A whole module: declarations with docs, separated by blank lines, comments or spaces. */
export const moduleSource: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom("", "\n", "// header\n\n", "\uFEFF"),
    fc.array(fc.tuple(docLines, declaration, fc.oneof(lineEnd, fc.constantFrom("\n\n", " ", "\n\n\n"))), { minLength: 1, maxLength: 5 }),
  )
  .map(([head, decls]) => head + decls.map(([doc, d, sep]) => doc + d + sep).join(""));
