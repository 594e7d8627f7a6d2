/**
 * The printer: an AST back to canonical `.feste` source, the core of `feste fmt`. Printing
 * depends on the tree only, never on spans, so printing a re-parsed printout gives the same
 * bytes. Two-space indentation, one setting, field or member per line, `///` docs above what
 * they document. `//` comments are not in the AST and are not printed.
 */
import type * as A from "../phases/1-parse/ast.js";
import { INDENT, printBlock, printExpr, type ExprContext } from "./print-expr.js";
import { isPlainName, quoteString } from "./print-literal.js";
import { printTemplate } from "./print-template.js";

const TOP: ExprContext = { indent: "", flat: false };
const NESTED: ExprContext = { indent: INDENT, flat: false };

/**
 * Prints a module as canonical source, ending in one newline (empty text for a module
 * without declarations). Re-parsing the result gives the same AST up to spans.
 */
export function printModule(m: A.Module): string {
  let out = "";
  m.declarations.forEach((d, i) => {
    const text = doc(d.doc, "") + declaration(d);
    const prev = m.declarations[i - 1];
    if (prev) out += groupsWith(prev, d, text) ? "\n" : "\n\n";
    out += text;
  });
  return out === "" ? "" : `${out}\n`;
}

/** One-line declarations of the same kind (`const`s, `use`s, ...) stay together. */
function groupsWith(prev: A.Declaration, d: A.Declaration, text: string): boolean {
  return prev.kind === d.kind && !declaration(prev).includes("\n") && !text.includes("\n");
}

/** `///` lines for a doc comment, each followed by a newline and `indent` for what follows. */
function doc(text: string | undefined, indent: string): string {
  if (text === undefined) return "";
  return text
    .split("\n")
    .map((line) => (line === "" ? "///" : `/// ${line}`) + `\n${indent}`)
    .join("");
}

function declaration(d: A.Declaration): string {
  switch (d.kind) {
    case "languageDecl":
      return `language ${d.code.text}`;
    case "useDecl":
      return `use ${quoteString(d.path.value)}`;
    case "constDecl":
      return `const ${d.name.text} = ${printExpr(d.value, TOP)}`;
    case "clientDecl":
      return `client ${d.name.text}: ${clientSource(d.source)}`;
    case "enumDecl":
      return `enum ${d.name.text} ${braces(d.members.map((m) => doc(m.doc, INDENT) + m.name.text))}`;
    case "typeDecl":
      return `type ${d.name.text} ${braces(d.fields.map((f) => `${doc(f.doc, INDENT)}${f.name.text}: ${typeRef(f.type)}`))}`;
    case "promptDecl":
      return promptDecl(d);
    case "graphDecl":
      return `graph ${d.name.text}(${params(d.params)}) -> ${typeRef(d.output)} ${printBlock(d.body, TOP, /*multiline*/ true)}`;
    case "externDecl":
      return `extern fn ${d.name.text}(${params(d.params)}) -> ${typeRef(d.output)} from ${quoteString(d.path.value)}`;
    case "testDecl": {
      const name = isPlainName(d.name.text) ? d.name.text : quoteString(d.name.text);
      return `test ${name} ${printBlock(d.body, TOP, /*multiline*/ true)}`;
    }
  }
}

/** `{}` or one item per line; items may carry their own doc lines. */
function braces(items: readonly string[]): string {
  if (items.length === 0) return "{}";
  return `{\n${items.map((i) => INDENT + i).join("\n")}\n}`;
}

function clientSource(s: A.ClientDecl["source"]): string {
  if (s.kind === "combinator") return `${s.combinator.text}(${s.members.map((m) => m.text).join(", ")})`;
  const settings = s.settings.map((x) => `${x.key.text}: ${printExpr(x.value, NESTED)}`);
  return `${s.provider.text}.${s.endpoint.text} ${braces(settings)}`;
}

function promptDecl(d: A.PromptDecl): string {
  let head = `prompt ${d.name.text}(${params(d.params)})`;
  if (d.output) head += ` -> ${typeRef(d.output)}`;
  if (d.lang) head += ` lang ${d.lang.text}`;
  switch (d.body.kind) {
    case "templateBody":
      return `${head} ${printTemplate(d.body.template, INDENT, printExpr)}`;
    case "fromFile":
      return `${head} from ${quoteString(d.body.path.value)}`;
    case "roles": {
      const sections = d.body.sections.map((s) => `${s.role.text} ${printTemplate(s.template, INDENT + INDENT, printExpr)}`);
      return `${head} ${braces(sections)}`;
    }
  }
}

function params(list: readonly A.Param[]): string {
  return list
    .map((p) => `${p.name.text}: ${typeRef(p.type)}${p.default ? ` = ${printExpr(p.default, TOP)}` : ""}`)
    .join(", ");
}

function typeRef(t: A.TypeRef): string {
  // Two optional marks in a row need a space: `??` is the coalescing operator.
  return t.name.text + t.suffixes.map((s, i) => (s === "list" ? "[]" : t.suffixes[i - 1] === "optional" ? " ?" : "?")).join("");
}
