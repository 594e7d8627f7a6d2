/**
 * Source-text generators for expressions and blocks, in random layouts. They know nothing of
 * the AST: any text they make is valid syntax, and the parser decides what it means (random
 * operator chains get their tree from the precedence rules).
 *
 * Two modes matter. In a template tag (`tpl`) newlines are plain whitespace, `;` does not
 * lex and `}}`/`%}` close the tag, so items are separated by commas, blocks hold one
 * expression and every closing brace gets a space before it. In the head of a `for` or `if`
 * (`noRec`) a bare record literal would be read as the block, so records are parenthesized.
 */
import fc from "fast-check";
import { anyName, brk, itemName, floatLit, intLit, lineEnd, name, osp, sp, stringLit, tws } from "./gen-lexical.js";
import { templateLiteral } from "./gen-template.js";

export interface Mode {
  readonly tpl: boolean;
  readonly noRec: boolean;
}

export const CODE: Mode = { tpl: false, noRec: false };
export const TPL: Mode = { tpl: true, noRec: false };

const cache = new Map<string, fc.Arbitrary<string>>();
/** Builds each (kind, depth, mode) arbitrary once: the definitions refer to each other. */
function memo(kind: string, d: number, m: Mode, make: () => fc.Arbitrary<string>): fc.Arbitrary<string> {
  const key = `${kind}/${d}/${m.tpl}/${m.noRec}`;
  let arb = cache.get(key);
  if (!arb) cache.set(key, (arb = make()));
  return arb;
}

const BINARY_OPS = ["??", "||", "&&", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%"];

/** Space inside brackets: may break lines in both modes. */
const inBrackets = (m: Mode) => (m.tpl ? tws : brk);
/** Space before a closing brace: never empty in a tag, where `}}` would close the tag. */
const beforeClose = (m: Mode) => (m.tpl ? tws : fc.constantFrom("", " ", "\n"));
/** Items in braces: a newline separates them in code; in a tag only a comma does. */
const itemSep = (m: Mode) => (m.tpl ? fc.constantFrom(",", ", ", ",\n") : fc.constantFrom(",", ", ", "\n", ";", ",\n", "\n\n"));

function inner(m: Mode): Mode {
  return { tpl: m.tpl, noRec: false };
}

/** Any expression: a chain of operands joined by binary operators, or one operand. */
export function expr(d: number, m: Mode): fc.Arbitrary<string> {
  return memo("expr", d, m, () => {
    const first = unary(d, m);
    if (d === 0) return first;
    const rest = fc.tuple(fc.constantFrom(...BINARY_OPS), m.tpl ? tws : brk, unary(d - 1, m)).map(([op, ws, r]) => ` ${op}${ws === "" ? " " : ws}${r}`);
    return fc.oneof(
      { weight: 3, arbitrary: first },
      { weight: 2, arbitrary: fc.tuple(first, fc.array(rest, { minLength: 1, maxLength: 3 })).map(([f, r]) => f + r.join("")) },
    );
  });
}

function unary(d: number, m: Mode): fc.Arbitrary<string> {
  return memo("unary", d, m, () =>
    fc
      .tuple(fc.array(fc.constantFrom("!", "-", "- ", "! "), { maxLength: 2 }), postfix(d, m))
      .map(([ops, e]) => ops.join("") + e),
  );
}

function postfix(d: number, m: Mode): fc.Arbitrary<string> {
  return memo("postfix", d, m, () => {
    if (d === 0) return primary(0, m);
    const suffix = fc.oneof(
      args(d - 1, m),
      anyName.map((n) => `.${n}`),
      expr(d - 1, inner(m)).map((e) => `[${e}]`),
    );
    return fc.tuple(primary(d, m), fc.array(suffix, { maxLength: 2 })).map(([p, s]) => p + s.join(""));
  });
}

/** `(positional..., name: value..., )` with optional trailing comma. */
export function args(d: number, m: Mode): fc.Arbitrary<string> {
  return memo("args", d, m, () => {
    const e = expr(d, inner(m));
    const ws = inBrackets(m);
    const named = fc.tuple(anyName, osp, e).map(([n, s, v]) => `${n}:${s === "" ? " " : s}${v}`);
    return fc
      .tuple(ws, fc.array(e, { maxLength: 3 }), fc.array(named, { maxLength: 2 }), fc.constantFrom("", ","), ws)
      .map(([a, pos, nam, trail, b]) => {
        const all = [...pos, ...nam];
        return `(${a}${all.join(", ")}${all.length > 0 ? trail : ""}${b})`;
      });
  });
}

function primary(d: number, m: Mode): fc.Arbitrary<string> {
  return memo("primary", d, m, () => {
    const leaf = fc.oneof(
      { weight: 2, arbitrary: intLit },
      { weight: 1, arbitrary: floatLit },
      { weight: 2, arbitrary: stringLit },
      { weight: 1, arbitrary: fc.constantFrom("true", "false", "null") },
      { weight: 4, arbitrary: name },
    );
    if (d === 0) return leaf;
    const e = expr(d - 1, inner(m));
    const ws = inBrackets(m);
    const list = fc
      .tuple(ws, fc.array(e, { maxLength: 3 }), fc.constantFrom("", ","), ws)
      .map(([a, items, trail, b]) => `[${a}${items.join(`,${a === "" ? " " : a}`)}${items.length > 0 ? trail : ""}${b}]`);
    const rec = record(d - 1, m).map((r) => (m.noRec ? `(${r})` : r));
    const paren = fc.tuple(ws, e, ws).map(([a, x, b]) => `(${a}${x}${b})`);
    const options = [
      { weight: 6, arbitrary: leaf },
      { weight: 1, arbitrary: list },
      { weight: 1, arbitrary: rec },
      { weight: 1, arbitrary: paren },
      { weight: 1, arbitrary: ifExpr(d - 1, m) },
      { weight: 1, arbitrary: forExpr(d - 1, m) },
    ];
    // Templates cannot nest inside template tags: `"""` there ends the outer template.
    if (!m.tpl) options.push({ weight: 1, arbitrary: templateLiteral(d - 1, (k) => expr(k, TPL)) });
    if (!m.tpl) options.push({ weight: 1, arbitrary: foldExpr(d - 1) }, { weight: 1, arbitrary: loopExpr(d - 1) });
    // Map literals in code; like records, parenthesized in the head of a `for` or `if`.
    if (!m.tpl) options.push({ weight: 1, arbitrary: mapLit(d - 1, m).map((r) => (m.noRec ? `(${r})` : r)) });
    return fc.oneof(...options);
  });
}

function record(d: number, m: Mode): fc.Arbitrary<string> {
  return memo("record", d, m, () => {
    const field = fc.tuple(itemName, osp, expr(d, inner(m))).map(([n, s, v]) => `${n}:${s}${v}`);
    return fc
      .tuple(name, osp, m.tpl ? tws : brk, fc.array(fc.tuple(field, itemSep(m)), { maxLength: 3 }), fc.boolean(), beforeClose(m))
      .map(([t, s, open, fields, trail, close]) => {
        const body = fields.map(([f, sep], i) => (i < fields.length - 1 || trail ? f + sep : f)).join(m.tpl ? " " : "");
        return `${t}${s}{${open}${body}${close}}`;
      });
  });
}

/** `{ "k": v, ... }`, `{}` included: string-literal keys, items separated as in a record. */
function mapLit(d: number, m: Mode): fc.Arbitrary<string> {
  return memo("map", d, m, () => {
    const entry = fc.tuple(stringLit, osp, expr(d, inner(m))).map(([k, s, v]) => `${k}:${s}${v}`);
    return fc
      .tuple(brk, fc.array(fc.tuple(entry, itemSep(m)), { maxLength: 3 }), fc.boolean(), beforeClose(m))
      .map(([open, entries, trail, close]) => {
        const body = entries.map(([e, sep], i) => (i < entries.length - 1 || trail ? e + sep : e)).join("");
        return `{${open}${body}${close}}`;
      });
  });
}

function ifExpr(d: number, m: Mode): fc.Arbitrary<string> {
  return memo("if", d, m, () => {
    const head = fc.tuple(sp, expr(d, { tpl: m.tpl, noRec: true }), osp, block(d, m)).map(([s, c, o, b]) => `if${s}${c}${o}${b}`);
    const elseSpace = m.tpl ? tws : fc.constantFrom(" ", "", "\n");
    const elseBranch = fc.oneof(block(d, m), d > 0 ? ifExpr(d - 1, m) : block(d, m));
    return fc
      .tuple(head, fc.option(fc.tuple(elseSpace, sp, elseBranch)))
      .map(([h, e]) => (e ? `${h}${e[0]}else${e[1]}${e[2]}` : h));
  });
}

function forExpr(d: number, m: Mode): fc.Arbitrary<string> {
  return memo("for", d, m, () => {
    const head: Mode = { tpl: m.tpl, noRec: true };
    const filter = fc.option(expr(d, head).map((f) => ` if ${f}`), { freq: 3 });
    return fc
      .tuple(name, expr(d, head), filter, osp, block(d, m))
      .map(([n, it, f, o, b]) => `for ${n} in ${it}${f ?? ""}${o === "" ? " " : o}${b}`);
  });
}

/** `fold acc = INIT for x in xs { BODY }`, in code. */
function foldExpr(d: number): fc.Arbitrary<string> {
  return memo("fold", d, CODE, () =>
    fc
      .tuple(name, expr(d, CODE), name, expr(d, { tpl: false, noRec: true }), osp, block(d, CODE))
      .map(([acc, init, x, it, o, b]) => `fold ${acc} = ${init} for ${x} in ${it}${o === "" ? " " : o}${b}`),
  );
}

/** `loop s = INIT until (COND) max N { BODY }`; the bound is a number or a name. */
function loopExpr(d: number): fc.Arbitrary<string> {
  return memo("loop", d, CODE, () =>
    fc
      .tuple(name, expr(d, CODE), expr(d, { tpl: false, noRec: true }), fc.oneof(fc.integer({ min: 1, max: 9 }).map(String), name), osp, block(d, CODE))
      .map(([st, init, c, max, o, b]) => `loop ${st} = ${init} until (${c}) max ${max}${o === "" ? " " : o}${b}`),
  );
}

/** A statement of a block in code. */
export function statement(d: number): fc.Arbitrary<string> {
  return memo("stmt", d, CODE, () => {
    const e = expr(d, CODE);
    return fc.oneof(
      { weight: 3, arbitrary: e },
      { weight: 2, arbitrary: fc.tuple(name, osp, e).map(([n, s, v]) => `let ${n}${s}=${s === "" ? " " : s}${v}`) },
      { weight: 1, arbitrary: e.map((c) => `assert ${c}`) },
    );
  });
}

/** `{ statements }`: in code, separated by newlines or `;`; in a tag, one expression. */
export function block(d: number, m: Mode): fc.Arbitrary<string> {
  return memo("block", d, m, () => {
    if (m.tpl) return fc.option(expr(d, inner(m)), { freq: 4 }).map((e) => (e === null ? "{ }" : `{ ${e} }`));
    const sep = fc.oneof(lineEnd, fc.constantFrom(";", "; ", ";\n", "\n\n"));
    return fc
      .tuple(fc.constantFrom("", " ", "\n", "\n  "), fc.array(fc.tuple(statement(d), sep), { maxLength: 3 }), fc.constantFrom("", " ", "\n", ";"))
      .map(([open, stmts, close]) => {
        // The last statement takes no separator, so no `// comment` runs into the brace.
        const body = stmts.map(([s, sp2], i) => (i < stmts.length - 1 ? s + sp2 : s)).join("");
        return `{${open}${body}${close}}`;
      });
  });
}
