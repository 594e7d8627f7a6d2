/**
 * `"""` templates. The AST holds text after the template rules ran (first newline dropped,
 * closing-quote indentation removed, `{%-`/`-%}` trims applied), so the printer runs those
 * rules backwards: `"""`, a newline, every line of the body indented, a newline and the
 * closing quotes at the same indentation. Re-parsing drops the first newline, takes the
 * closing quotes' indentation off every line and gives back the same text parts.
 */
import type * as A from "../phases/1-parse/ast.js";
import type { ExprContext } from "./print-expr.js";

type PrintExpr = (e: A.Expr, ctx: ExprContext) => string;

/** What the body is made of before it is laid out: text, or a tag's inside. */
type Piece = { readonly text: string } | { readonly open: "{{" | "{%"; readonly code: string; readonly close: "}}" | "%}" };

const FLAT: ExprContext = { indent: "", flat: true };

/**
 * Prints a template whose content and closing quotes sit at `indent`; the opening quotes go
 * where the caller is (the end of a declaration line or after `=`). With the `source` text
 * the template came from, it is kept as written (a template is text, and its `-%}` trims and
 * line breaks are the author's), only moved to `indent`.
 */
export function printTemplate(t: A.Template, indent: string, printExpr: PrintExpr, source?: string): string {
  if (source !== undefined) return reindent(source.slice(t.span.start, t.span.end), indent);
  if (t.parts.length === 0) return '""""""';
  const body = layout(pieces(t.parts, printExpr));
  const last = t.parts[t.parts.length - 1];
  // Final text ending in a stray `\r` would lose it to the closing line (`\r?\n` + indent is
  // what gets removed): print such a template as is, unindented, so that no dedent applies.
  if (last.kind === "text" && last.value.endsWith("\r")) return `"""\n${body}"""`;
  const indented = body
    .split("\n")
    .map((line) => (line === "" ? line : indent + line))
    .join("\n");
  return `"""\n${indented}\n${indent}"""`;
}

function pieces(parts: readonly A.TemplatePart[], printExpr: PrintExpr): Piece[] {
  const out: Piece[] = [];
  const tag = (code: string): Piece => ({ open: "{%", code, close: "%}" });
  for (const p of parts) {
    switch (p.kind) {
      case "text": {
        // The parser joins text split by `{# #}` comments, so adjacent texts are one text.
        const prev = out[out.length - 1];
        if (prev && "text" in prev) out[out.length - 1] = { text: prev.text + p.value };
        else out.push({ text: p.value });
        break;
      }
      case "interpolation": {
        const filters = p.filters.map((f) => {
          const args = f.args.map((a) => (a.name ? `${a.name.text}: ${printExpr(a.value, FLAT)}` : printExpr(a.value, FLAT)));
          return ` | ${f.name.text}${args.length > 0 ? `(${args.join(", ")})` : ""}`;
        });
        out.push({ open: "{{", code: printExpr(p.expr, FLAT) + filters.join(""), close: "}}" });
        break;
      }
      case "templateIf":
        p.branches.forEach((b, i) => {
          out.push(tag(`${i === 0 ? "if" : "elif"} ${printExpr(b.condition, FLAT)}`));
          out.push(...pieces(b.body, printExpr));
        });
        if (p.else) out.push(tag("else"), ...pieces(p.else, printExpr));
        out.push(tag("endif"));
        break;
      case "templateFor": {
        const filter = p.filter ? ` if ${printExpr(p.filter, FLAT)}` : "";
        out.push(tag(`for ${p.binding.text} in ${printExpr(p.iterable, FLAT)}${filter}`));
        out.push(...pieces(p.body, printExpr), tag("endfor"));
        break;
      }
    }
  }
  return out;
}

/** Joins the pieces into the body text, before indentation. */
function layout(list: readonly Piece[]): string {
  let out = "";
  for (let i = 0; i < list.length; i++) {
    const p = list[i];
    const prev = list[i - 1];
    if ("text" in p) {
      // Text may hold `"""` (written as `""{# #}"`, which the parser joins back together):
      // an empty comment after every second quote of a run keeps it from closing the template.
      out += p.text.replace(/""(?=")/g, '""{##}');
      continue;
    }
    // Text ending in `{` cannot touch a tag (`{{{` opens the tag one brace early): a space
    // keeps them apart and a trimming opener (`{%-`) takes the space out again.
    const trim = prev && "text" in prev && prev.text.endsWith("{");
    out += `${trim ? " " : ""}${p.open}${trim ? "-" : ""} ${p.code} ${p.close}`;
  }
  return out;
}

/**
 * A template as written, moved so its closing quotes stand at `indent`. When they stand on a
 * line of their own, their indentation is taken off every line when the template is read, so
 * swapping that prefix for `indent` on every line keeps the text; a template closed on a line
 * with text is not dedented and stays exactly as it is.
 */
function reindent(raw: string, indent: string): string {
  const closing = /\n([ \t]*)"""$/.exec(raw);
  if (!closing) return raw;
  const old = closing[1];
  const lines = raw.split("\n");
  return lines
    .map((line, i) => {
      if (i === 0) return line;
      let k = 0;
      while (k < old.length && k < line.length && line[k] === old[k]) k++;
      const rest = line.slice(k);
      return rest === "" && i < lines.length - 1 ? "" : indent + rest;
    })
    .join("\n");
}
