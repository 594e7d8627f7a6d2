/**
 * The printer: an AST back to canonical `.feste` source, the core of `feste fmt`. The layout
 * depends on the tree only, never on spans, so printing a re-parsed printout gives the same
 * bytes. Two-space indentation, one setting, field or member per line, `///` docs above what
 * they document. `//` comments are not in the AST: given a `CommentTable` (see comments.ts)
 * they are printed where it attached them; without one they are left out.
 */
import type * as A from "../phases/1-parse/ast.js";
import { NO_COMMENTS, type CommentTable } from "./comments.js";
import { INDENT, printBlock, printExpr, type ExprContext } from "./print-expr.js";
import { openBrace, printItems, type Item } from "./print-items.js";
import { isPlainName, quoteString } from "./print-literal.js";
import { printTemplate } from "./print-template.js";

/** The longest line `{ a, b }` lists are kept on. */
const LINE_WIDTH = 100;

/** What the printer may use besides the AST. */
export interface PrintOptions {
  /** Comments to print, attached by `attachComments`. */
  readonly comments?: CommentTable;
  /** The text `m` was parsed from: templates are then printed as written (moved, not rewritten). */
  readonly source?: string;
}

/**
 * Prints a module as canonical source, ending in one newline (empty text for a module
 * without declarations or comments). Re-parsing the result gives the same AST up to spans.
 */
export function printModule(m: A.Module, options: PrintOptions = {}): string {
  const comments = options.comments ?? NO_COMMENTS;
  const p = new DeclarationPrinter(comments, options.source);
  const texts = m.declarations.map((d) => p.declaration(d));
  const items: Item[] = m.declarations.map((d, i) => ({
    node: d,
    text: doc(d.doc, "") + texts[i],
    blankBefore: i > 0 && !groupsWith(m.declarations[i - 1], d, texts[i - 1], texts[i]),
  }));
  const out = printItems(items, "", comments, m);
  return out === "" ? "" : `${out}\n`;
}

/** One-line declarations of the same kind (`const`s, `use`s, ...) stay together. */
function groupsWith(prev: A.Declaration, d: A.Declaration, prevText: string, text: string): boolean {
  // A comment above `d` keeps the group unless a blank line separated it (printItems keeps that).
  const plain = (x: A.Declaration, t: string) => x.doc === undefined && !t.includes("\n");
  return prev.kind === d.kind && plain(prev, prevText) && plain(d, text);
}

/** `///` lines for a doc comment, each followed by a newline and `indent` for what follows. */
function doc(text: string | undefined, indent: string): string {
  if (text === undefined) return "";
  return text
    .split("\n")
    .map((line) => (line === "" ? "///" : `/// ${line}`) + `\n${indent}`)
    .join("");
}

/** Declarations, with the comments attached to their items. */
class DeclarationPrinter {
  private readonly top: ExprContext;
  private readonly nested: ExprContext;

  constructor(
    private readonly comments: CommentTable,
    private readonly source: string | undefined,
  ) {
    this.top = { indent: "", flat: false, comments, source };
    this.nested = { indent: INDENT, flat: false, comments, source };
  }

  declaration(d: A.Declaration): string {
    switch (d.kind) {
      case "languageDecl":
        return `language ${d.code.text}`;
      case "useDecl":
        return `use ${quoteString(d.path.value)}`;
      case "constDecl":
        return `const ${d.name.text} = ${printExpr(d.value, this.top)}`;
      case "clientDecl":
        return this.clientSource(`client ${d.name.text}:`, d.source);
      case "enumDecl":
        return this.shortBraces(`enum ${d.name.text}`, d, d.members.map((m) => ({ node: m, text: doc(m.doc, INDENT) + m.name.text })));
      case "typeDecl":
        return `type ${d.name.text} ${this.braces(d, d.fields.map((f) => ({ node: f, text: `${doc(f.doc, INDENT)}${f.name.text}: ${typeRef(f.type)}` })))}`;
      case "promptDecl":
        return this.promptDecl(d);
      case "graphDecl":
        return `graph ${d.name.text}(${this.params(d.params)}) -> ${typeRef(d.output)} ${printBlock(d.body, this.top, /*multiline*/ true)}`;
      case "externDecl":
        return this.externDecl(d);
      case "testDecl": {
        const name = isPlainName(d.name.text) ? d.name.text : quoteString(d.name.text);
        return `test ${name} ${printBlock(d.body, this.top, /*multiline*/ true)}`;
      }
    }
  }

  /** `{}` or one item per line; items may carry their own doc lines and comments. */
  private braces(container: object, items: readonly Item[]): string {
    if (items.length === 0 && !this.comments.inside(container)) return "{}";
    return `${openBrace(this.comments, container)}\n${printItems(items, INDENT, this.comments, container)}\n}`;
  }

  /**
   * Enum members and client settings: `{ a, b }` on the declaration's line when that fits in
   * LINE_WIDTH and no item has a doc, a comment or a line break; else one item per line.
   */
  private shortBraces(head: string, container: object, items: readonly Item[]): string {
    const inline = items.length > 0 && !this.comments.inside(container) && items.every((i) => !i.text.includes("\n") && !this.comments.touches(i.node));
    const line = `${head} { ${items.map((i) => i.text).join(", ")} }`;
    return inline && line.length <= LINE_WIDTH ? line : `${head} ${this.braces(container, items)}`;
  }

  private clientSource(head: string, s: A.ClientDecl["source"]): string {
    if (s.kind === "combinator") return `${head} ${s.combinator.text}(${s.members.map((m) => m.text).join(", ")})`;
    const settings = s.settings.map((x) => ({ node: x, text: `${x.key.text}: ${printExpr(x.value, this.nested)}` }));
    return this.shortBraces(`${head} ${s.provider.text}.${s.endpoint.text}`, s, settings);
  }

  private externDecl(d: A.ExternDecl): string {
    const head = `extern ${d.io ? "io " : ""}fn ${d.name.text}(${this.params(d.params)}) -> ${typeRef(d.output)} from ${quoteString(d.path.value)}`;
    if (!d.settings) return head;
    const settings = d.settings.map((x) => ({ node: x, text: `${x.key.text}: ${printExpr(x.value, this.nested)}` }));
    return this.shortBraces(head, d, settings);
  }

  private promptDecl(d: A.PromptDecl): string {
    let head = `prompt ${d.name.text}(${this.params(d.params)})`;
    if (d.output) head += ` -> ${typeRef(d.output)}`;
    if (d.lang) head += ` lang ${d.lang.text}`;
    switch (d.body.kind) {
      case "templateBody":
        return `${head} ${printTemplate(d.body.template, INDENT, printExpr, this.source)}`;
      case "fromFile":
        return `${head} from ${quoteString(d.body.path.value)}`;
      case "roles": {
        const sections = d.body.sections.map((s) => ({
          node: s,
          text:
            s.kind === "messagesSection"
              ? `messages ${printExpr(s.messages, this.nested)}`
              : `${s.role.text} ${printTemplate(s.template, INDENT + INDENT, printExpr, this.source)}`,
        }));
        return `${head} ${this.braces(d.body, sections)}`;
      }
    }
  }

  private params(list: readonly A.Param[]): string {
    return list
      .map((p) => `${p.name.text}: ${typeRef(p.type)}${p.default ? ` = ${printExpr(p.default, this.top)}` : ""}`)
      .join(", ");
  }
}

function typeRef(t: A.TypeRef): string {
  // Two optional marks in a row need a space: `??` is the coalescing operator.
  const base = t.mapValue ? `{${t.name.text}: ${typeRef(t.mapValue)}}` : t.name.text;
  return base + t.suffixes.map((s, i) => (s === "list" ? "[]" : t.suffixes[i - 1] === "optional" ? " ?" : "?")).join("");
}
