/**
 * Expressions, statements and blocks in canonical layout. Parentheses come from the AST's
 * `paren` nodes; the printer adds its own only where precedence or the no-record rule
 * (`for x in (T {...}) {`) would otherwise change the parse, which never happens for a tree
 * that came from the parser.
 */
import type * as A from "../phases/1-parse/ast.js";
import { PRECEDENCE } from "../phases/1-parse/precedence.js";
import { NO_COMMENTS, type CommentTable } from "./comments.js";
import { openBrace, printItems } from "./print-items.js";
import { floatText, quoteString } from "./print-literal.js";
import { printTemplate } from "./print-template.js";

/** Where an expression is printed. */
export interface ExprContext {
  /** Indentation of the line the expression starts on. */
  readonly indent: string;
  /**
   * Inside `{{ }}` / `{% %}`: newlines are plain whitespace there and `;` does not lex, so
   * everything goes on one line.
   */
  readonly flat: boolean;
  /** In the head of `for`/`if`, where a bare record literal would be read as the block. */
  readonly noRecord?: boolean;
  /** The `//` comments to print with statements and fields; none when absent. */
  readonly comments?: CommentTable;
  /** The text the AST was parsed from: templates are then kept as written (see printTemplate). */
  readonly source?: string;
}

/** One indentation step. */
export const INDENT = "  ";

/** The longest single-statement block kept on one line, as in `for q in qs { ask(q) }`. */
const INLINE_BLOCK_WIDTH = 60;
/** An `if`/`else` whose one-line form would run past this is laid out over lines. */
const LINE_WIDTH = 100;

const BINARY_PRECEDENCE = PRECEDENCE;
const UNARY = 8;
const POSTFIX = 9;
const PRIMARY = 10;

function precedence(e: A.Expr): number {
  switch (e.kind) {
    case "binary":
      return BINARY_PRECEDENCE[e.op];
    case "unary":
      return UNARY;
    case "call":
    case "field":
    case "index":
      return POSTFIX;
    default:
      return PRIMARY;
  }
}

/** Prints `e`, wrapped in parentheses when its precedence is below `min`. */
function operand(e: A.Expr, min: number, ctx: ExprContext): string {
  if (precedence(e) >= min) return printExpr(e, ctx);
  return `(${printExpr(e, { ...ctx, noRecord: false })})`;
}

/** Prints one expression in canonical layout. */
export function printExpr(e: A.Expr, ctx: ExprContext): string {
  // Brackets of any kind end the no-record zone, so their contents drop the flag.
  const inner: ExprContext = ctx.noRecord ? { ...ctx, noRecord: false } : ctx;
  switch (e.kind) {
    case "int":
      return String(e.value);
    case "float":
      return floatText(e.value);
    case "string":
      return quoteString(e.value);
    case "bool":
      return String(e.value);
    case "null":
      return "null";
    case "ident":
      return e.name;
    case "template":
      return printTemplate(e, ctx.indent + INDENT, printExpr, ctx.source);
    case "paren":
      return `(${printExpr(e.expr, inner)})`;
    case "list":
      return `[${e.items.map((i) => printExpr(i, inner)).join(", ")}]`;
    case "record":
      return ctx.noRecord ? `(${printRecord(e, inner)})` : printRecord(e, ctx);
    case "map":
      return ctx.noRecord ? `(${printMap(e, inner)})` : printMap(e, ctx);
    case "binary": {
      const p = BINARY_PRECEDENCE[e.op];
      // `??` groups to the right, every other operator to the left.
      const [left, right] = e.op === "??" ? [p + 1, p] : [p, p + 1];
      return `${operand(e.left, left, ctx)} ${e.op} ${operand(e.right, right, ctx)}`;
    }
    case "unary": {
      const body = operand(e.operand, UNARY, ctx);
      // `- -x` rather than `--x`, which reads like a decrement.
      return e.op === "-" && body.startsWith("-") ? `- ${body}` : `${e.op}${body}`;
    }
    case "call":
      return `${operand(e.callee, POSTFIX, ctx)}(${printArgs(e.args, inner)})`;
    case "field":
      return `${operand(e.target, POSTFIX, ctx)}.${e.name.text}`;
    case "index":
      return `${operand(e.target, POSTFIX, ctx)}[${printExpr(e.index, inner)}]`;
    case "if":
      return printIf(e, ctx);
    case "for": {
      const head: ExprContext = { ...ctx, noRecord: true };
      const filter = e.filter ? ` if ${printExpr(e.filter, head)}` : "";
      return `for ${e.binding.text} in ${printExpr(e.iterable, head)}${filter} ${printBlock(e.body, ctx)}`;
    }
    case "fold": {
      const head: ExprContext = { ...ctx, noRecord: true };
      return `fold ${e.state.text} = ${printExpr(e.init, inner)} for ${e.binding.text} in ${printExpr(e.iterable, head)} ${printBlock(e.body, ctx)}`;
    }
    case "loop": {
      const head: ExprContext = { ...ctx, noRecord: true };
      const max = e.max.kind === "int" ? String(e.max.value) : e.max.name;
      return `loop ${e.state.text} = ${printExpr(e.init, inner)} until ${printExpr(e.condition, head)} max ${max} ${printBlock(e.body, ctx)}`;
    }
  }
}

/** Call or filter arguments: positional ones first, as written, then `name: value`. */
export function printArgs(args: readonly A.Arg[], ctx: ExprContext): string {
  return args.map((a) => (a.name ? `${a.name.text}: ${printExpr(a.value, ctx)}` : printExpr(a.value, ctx))).join(", ");
}

function printRecord(e: A.RecordLit, ctx: ExprContext): string {
  const comments = ctx.comments ?? NO_COMMENTS;
  if (e.fields.length === 0 && !comments.inside(e)) return `${e.type.text} {}`;
  if (ctx.flat) return `${e.type.text} { ${e.fields.map((f) => `${f.name.text}: ${printExpr(f.value, ctx)}`).join(", ")} }`;
  const inner = { ...ctx, indent: ctx.indent + INDENT };
  const items = e.fields.map((f) => ({ node: f, text: `${f.name.text}: ${printExpr(f.value, inner)}` }));
  return `${e.type.text} ${openBrace(comments, e)}\n${printItems(items, inner.indent, comments, e)}\n${ctx.indent}}`;
}

/** A map literal: `{}`, one line when flat or short, else one entry per line like a record. */
function printMap(e: A.MapLit, ctx: ExprContext): string {
  const comments = ctx.comments ?? NO_COMMENTS;
  if (e.entries.length === 0 && !comments.inside(e)) return "{}";
  const entry = (m: A.MapEntry, c: ExprContext) => `${printExpr(m.key, c)}: ${printExpr(m.value, c)}`;
  const flat = `{ ${e.entries.map((m) => entry(m, ctx)).join(", ")} }`;
  const commented = comments.inside(e) || e.entries.some((m) => comments.touches(m));
  if (ctx.flat || (!commented && !flat.includes("\n") && ctx.indent.length + flat.length <= LINE_WIDTH)) return flat;
  const inner = { ...ctx, indent: ctx.indent + INDENT };
  const items = e.entries.map((m) => ({ node: m, text: entry(m, inner) }));
  return `${openBrace(comments, e)}\n${printItems(items, inner.indent, comments, e)}\n${ctx.indent}}`;
}

function printIf(e: A.IfExpr, ctx: ExprContext): string {
  const short = printIfWith(e, ctx, /*multiline*/ false);
  // Short branches stay on one line, unless together they make the line too long.
  if (ctx.flat || short.includes("\n") || ctx.indent.length + short.length <= LINE_WIDTH) return short;
  return printIfWith(e, ctx, /*multiline*/ true);
}

function printIfWith(e: A.IfExpr, ctx: ExprContext, multiline: boolean): string {
  const head = `if ${printExpr(e.condition, { ...ctx, noRecord: true })} ${printBlock(e.then, ctx, multiline)}`;
  if (!e.else) return head;
  return `${head} else ${e.else.kind === "if" ? printIfWith(e.else, ctx, multiline) : printBlock(e.else, ctx, multiline)}`;
}

/** Prints one statement of a block. */
export function printStatement(s: A.Statement, ctx: ExprContext): string {
  switch (s.kind) {
    case "letStmt":
      return `let ${s.name.text} = ${printExpr(s.value, ctx)}`;
    case "assertStmt":
      return `assert ${printExpr(s.condition, ctx)}`;
    case "exprStmt":
      return printExpr(s.expr, ctx);
  }
}

/**
 * A block: `{}` when empty, on one line when it is one short expression (or when flat),
 * otherwise one statement per line. `multiline` forces the last form, for declaration bodies.
 */
export function printBlock(b: A.Block, ctx: ExprContext, multiline = false): string {
  const comments = ctx.comments ?? NO_COMMENTS;
  const plain: ExprContext = { indent: ctx.indent, flat: ctx.flat, comments, source: ctx.source };
  const dangling = comments.inside(b);
  if (b.statements.length === 0 && !dangling) return "{}";
  if (ctx.flat) return `{ ${b.statements.map((s) => printStatement(s, plain)).join("; ")} }`;
  // A statement with a comment needs a line of its own.
  const single = b.statements.length === 1 && b.statements[0].kind === "exprStmt" && !dangling && !comments.touches(b.statements[0]);
  if (!multiline && single) {
    const one = printStatement(b.statements[0], plain);
    if (!one.includes("\n") && one.length <= INLINE_BLOCK_WIDTH) return `{ ${one} }`;
  }
  const inner: ExprContext = { indent: ctx.indent + INDENT, flat: false, comments, source: ctx.source };
  const items = b.statements.map((s) => ({ node: s, text: printStatement(s, inner) }));
  return `${openBrace(comments, b)}\n${printItems(items, inner.indent, comments, b)}\n${ctx.indent}}`;
}
