/**
 * Templates are checked like code: every `{{ }}` expression, filter, `{% if %}` condition
 * and `{% for %}` list. What is interpolated must render as text: strings, numbers, bools,
 * enum values, prompts and optionals of those (null renders as nothing).
 */
import type * as A from "../1-parse/ast.js";
import { suggestName } from "../../diagnostics/index.js";
import { BUILTINS, FILTERS } from "./builtins.js";
import type { ExprChecker } from "./check-expr.js";
import { LocalScope } from "./local-scope.js";
import { BOOL, ERROR, UNKNOWN, isNumeric, isStringish, iterHelp, nonOptional, showType, type Type } from "./types.js";

export function checkTemplateParts(c: ExprChecker, parts: readonly A.TemplatePart[], scope: LocalScope): void {
  for (const part of parts) {
    switch (part.kind) {
      case "text":
        break;
      case "interpolation": {
        let t = c.check(part.expr, scope);
        for (const f of part.filters) t = applyFilter(c, f, t, scope);
        const inner = nonOptional(t);
        if (!(isStringish(inner) || isNumeric(inner) || inner.kind === "bool")) {
          c.ctx.report("FE2005", part.expr.span, ["text, a number or a bool", `\`${showType(t)}\``], {
            help: inner.kind === "list" ? 'render a list with `| join(", ")` or a `{% for %}` loop' : "render it as JSON with `| json`",
          });
        }
        break;
      }
      case "templateIf":
        for (const b of part.branches) {
          c.expect(b.condition, BOOL, scope);
          checkTemplateParts(c, b.body, scope);
        }
        if (part.else) checkTemplateParts(c, part.else, scope);
        break;
      case "templateFor": {
        const iter = c.check(part.iterable, scope);
        let element: Type = ERROR;
        if (iter.kind === "list") element = iter.element;
        else if (iter.kind === "unknown") element = UNKNOWN;
        else if (iter.kind !== "error") c.ctx.report("FE2005", part.iterable.span, ["a list", `\`${showType(iter)}\``], { help: iterHelp(iter) });
        const inner = new LocalScope(scope);
        // `loop.index`, `loop.first`, ... as in Jinja; an inner `{% for %}` has its own.
        inner.shadow({ name: { text: "loop", span: part.binding.span }, type: LOOP_INFO, kind: "loop", used: false });
        c.bind(inner, part.binding, element, "loop");
        if (part.filter) c.expect(part.filter, BOOL, inner);
        checkTemplateParts(c, part.body, inner);
        break;
      }
    }
  }
}

/** The type of `loop` inside `{% for %}`: a builtin record (`index` from 1, `index0`, `first`, `last`, `length`). */
export const LOOP_INFO: Type = { kind: "record", name: "Loop", file: "<builtin>" };

/** `value | name(args)` is the builtin `name(value, args)`. */
function applyFilter(c: ExprChecker, f: A.Filter, value: Type, scope: LocalScope): Type {
  const builtin = BUILTINS.get(f.name.text);
  const argTypes = f.args.map((a) => c.check(a.value, scope));
  if (!builtin || !FILTERS.has(f.name.text)) {
    const near = suggestName(f.name.text, FILTERS, f.name.span);
    c.ctx.report("FE2033", f.name.span, [f.name.text], { ...near, help: near.help ?? "filters are `join`, `upper`, `lower`, `trim` and `json`" });
    return ERROR;
  }
  const named = f.args.find((a) => a.name);
  if (named || argTypes.length + 1 > builtin.params.length) {
    const at = named?.span ?? f.args[builtin.params.length - 1]?.span ?? f.span;
    c.ctx.report("FE2006", at, [f.name.text, `${builtin.params.length - 1} argument${builtin.params.length === 2 ? "" : "s"} after the value`, argTypes.length]);
    return ERROR;
  }
  if (value.kind === "error" || argTypes.some((t) => t.kind === "error")) return ERROR;
  const r = builtin.check([value, ...argTypes]);
  if ("arg" in r) {
    const at = r.arg === 0 ? f.name.span : f.args[r.arg - 1].span;
    const found = r.arg === 0 ? value : argTypes[r.arg - 1];
    if (found.kind === "prompt") {
      c.ctx.report("FE2070", at, ["`string`", `\`${showType(found)}\``], { help: "render the prompt first, `{{ p }}`, or take its text with `str(p)`" });
      return ERROR;
    }
    c.ctx.report("FE2005", at, [r.expected, `\`${showType(r.arg === 0 ? value : argTypes[r.arg - 1])}\``]);
    return ERROR;
  }
  return r;
}
