/**
 * Where `//` comments go when a module is printed. The AST does not hold them, so they are
 * attached to the things the printer puts on lines of their own ("anchors": declarations,
 * statements, fields, enum members, settings, role sections, record-literal fields):
 *
 * - a comment after code on its line, right after an anchor (only spaces, `,` or `;` between),
 *   trails that anchor and stays at the end of its line; right after a container's `{`, it
 *   stays after the brace;
 * - any other comment between the anchors of a container goes above the next anchor, or, after
 *   the last one, at the end of the container (before its `}`, or at the end of the file);
 * - a comment inside an anchor but in no container of its own (say, between the arguments of
 *   a call spread over lines) goes above that anchor: moved, never dropped.
 *
 * `///` comments that became docs are printed from the AST and are left out here; the others
 * are plain comments like `//` ones.
 */
import type { IToken } from "chevrotain";
import type * as A from "../phases/1-parse/ast.js";
import { docGroups } from "../phases/1-parse/doc-comments.js";

/** One comment as it appears in the source. */
export interface SourceComment {
  /** The comment's text from its slashes, trailing whitespace removed. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Whether a blank line separates it from the code or comment before it. */
  readonly blankBefore: boolean;
  /** Whether a blank line separates it from what follows. */
  readonly blankAfter: boolean;
}

/** The comments attached to the anchors and containers of one module. */
export class CommentTable {
  private readonly leadingOf = new Map<object, SourceComment[]>();
  private readonly trailingOf = new Map<object, SourceComment>();
  private readonly danglingOf = new Map<object, SourceComment[]>();
  private readonly openingOf = new Map<object, SourceComment>();

  /** Comments printed on their own lines above `anchor`. */
  leading(anchor: object): readonly SourceComment[] {
    return this.leadingOf.get(anchor) ?? [];
  }

  /** The comment printed at the end of `anchor`'s last line. */
  trailing(anchor: object): SourceComment | undefined {
    return this.trailingOf.get(anchor);
  }

  /** Comments after the last anchor of `container`, printed before its end. */
  dangling(container: object): readonly SourceComment[] {
    return this.danglingOf.get(container) ?? [];
  }

  /** The comment printed after the opening `{` of `container`. */
  opening(container: object): SourceComment | undefined {
    return this.openingOf.get(container);
  }

  /** Whether `container` has comments of its own: its items cannot then share one line. */
  inside(container: object): boolean {
    return this.danglingOf.has(container) || this.openingOf.has(container);
  }

  /** Whether anything is attached to `anchor`: such an anchor cannot share its line. */
  touches(anchor: object): boolean {
    return this.leadingOf.has(anchor) || this.trailingOf.has(anchor);
  }

  /** Puts `c` above `anchor`, after the comments already there. */
  addLeading(anchor: object, c: SourceComment): void {
    this.leadingOf.set(anchor, [...this.leading(anchor), c]);
  }

  /** Puts `c` at the end of `anchor`'s last line. */
  addTrailing(anchor: object, c: SourceComment): void {
    this.trailingOf.set(anchor, c);
  }

  /** Puts `c` after `container`'s opening brace. */
  addOpening(container: object, c: SourceComment): void {
    this.openingOf.set(container, c);
  }

  /** Puts `c` after the last item of `container`. */
  addDangling(container: object, c: SourceComment): void {
    this.danglingOf.set(container, [...this.dangling(container), c]);
  }
}

/** A table with nothing attached: printing without comments. */
export const NO_COMMENTS = new CommentTable();

interface Anchor {
  readonly node: object;
  readonly start: number;
  readonly end: number;
  readonly containers: readonly Container[];
}

interface Container {
  readonly node: object;
  readonly start: number;
  readonly end: number;
  readonly anchors: readonly Anchor[];
}

/**
 * The comments of a parsed module that are not docs, as `SourceComment`s in source order.
 * `comments` are the lexer's comment tokens (`ParseResult.comments`).
 */
export function plainComments(m: A.Module, comments: readonly IToken[], text: string): SourceComment[] {
  const documented = new Set<number>();
  for (const d of m.declarations) {
    documented.add(d.span.start);
    if (d.kind === "enumDecl") for (const x of d.members) documented.add(x.name.span.start);
    if (d.kind === "typeDecl") for (const f of d.fields) documented.add(f.span.start);
  }
  const docs = new Set<IToken>();
  for (const g of docGroups(comments, text)) if (documented.has(g.next)) for (const c of g.comments) docs.add(c);
  return comments
    .filter((c) => !docs.has(c))
    .map((c) => {
      const start = c.startOffset;
      const end = start + c.image.length;
      return { text: c.image.trimEnd(), start, end, blankBefore: newlinesAround(text, start, -1) >= 2, blankAfter: newlinesAround(text, end, 1) >= 2 };
    });
}

/** Newlines in the whitespace that runs from `at` backwards (`step` -1) or forwards (1). */
function newlinesAround(text: string, at: number, step: -1 | 1): number {
  let n = 0;
  for (let i = step < 0 ? at - 1 : at; i >= 0 && i < text.length && /\s/.test(text[i]); i += step) if (text[i] === "\n") n++;
  return n;
}

/** Attaches every comment of `comments` to an anchor or container of `m`; see the module comment. */
export function attachComments(m: A.Module, comments: readonly SourceComment[], text: string): CommentTable {
  const table = new CommentTable();
  const root: Container = { node: m, start: 0, end: text.length, anchors: m.declarations.map(declarationAnchor) };
  for (const c of comments) place(c, root, text, table, m);
  return table;
}

function place(c: SourceComment, container: Container, text: string, table: CommentTable, root: object): void {
  for (const a of container.anchors) {
    if (a.start <= c.start && c.start < a.end) {
      const inner = a.containers.find((k) => k.start <= c.start && c.start < k.end);
      if (inner) place(c, inner, text, table, root);
      else table.addLeading(a.node, c);
      return;
    }
  }
  const ownLine = /(^|\n)[ \t]*$/.test(text.slice(0, c.start));
  if (!ownLine) {
    const prev = [...container.anchors].reverse().find((a) => a.end <= c.start);
    if (prev && /^[ \t,;]*$/.test(text.slice(prev.end, c.start))) {
      table.addTrailing(prev.node, c);
      return;
    }
    if (!prev && container.node !== root && /\{[ \t]*$/.test(text.slice(container.start, c.start))) {
      table.addOpening(container.node, c);
      return;
    }
  }
  const next = container.anchors.find((a) => a.start > c.start);
  if (next) table.addLeading(next.node, c);
  else table.addDangling(container.node, c);
}

function anchor(node: object, span: A.Name["span"], containers: Container[]): Anchor {
  return { node, start: span.start, end: span.end, containers };
}

function declarationAnchor(d: A.Declaration): Anchor {
  const params = (ps: readonly A.Param[]) => ps.flatMap((p) => (p.default ? exprContainers(p.default) : []));
  switch (d.kind) {
    case "languageDecl":
    case "useDecl":
      return anchor(d, d.span, []);
    case "externDecl": {
      const settings = d.settings ? [{ node: d, start: d.span.start, end: d.span.end, anchors: d.settings.map((x) => anchor(x, x.span, exprContainers(x.value))) }] : [];
      return anchor(d, d.span, [...params(d.params), ...settings]);
    }
    case "constDecl":
      return anchor(d, d.span, exprContainers(d.value));
    case "clientDecl": {
      const s = d.source;
      if (s.kind === "combinator") return anchor(d, d.span, []);
      const settings = s.settings.map((x) => anchor(x, x.span, exprContainers(x.value)));
      return anchor(d, d.span, [{ node: s, start: s.span.start, end: s.span.end, anchors: settings }]);
    }
    case "enumDecl":
      return anchor(d, d.span, [{ node: d, start: d.span.start, end: d.span.end, anchors: d.members.map((x) => anchor(x, x.name.span, [])) }]);
    case "typeDecl":
      return anchor(d, d.span, [{ node: d, start: d.span.start, end: d.span.end, anchors: d.fields.map((f) => anchor(f, f.span, [])) }]);
    case "promptDecl": {
      const b = d.body;
      const body = b.kind === "roles" ? [{ node: b, start: b.span.start, end: b.span.end, anchors: b.sections.map((s) => anchor(s, s.span, s.kind === "messagesSection" ? exprContainers(s.messages) : [])) }] : [];
      return anchor(d, d.span, [...params(d.params), ...body]);
    }
    case "graphDecl":
      return anchor(d, d.span, [...params(d.params), blockContainer(d.body)]);
    case "testDecl":
      return anchor(d, d.span, [blockContainer(d.body)]);
  }
}

function blockContainer(b: A.Block): Container {
  return { node: b, start: b.span.start, end: b.span.end, anchors: b.statements.map(statementAnchor) };
}

function statementAnchor(s: A.Statement): Anchor {
  switch (s.kind) {
    case "letStmt":
      return anchor(s, s.span, exprContainers(s.value));
    case "assertStmt":
      return anchor(s, s.span, exprContainers(s.condition));
    case "exprStmt":
      return anchor(s, s.span, exprContainers(s.expr));
  }
}

/** The containers directly inside an expression: blocks, record and map literals, outermost first. */
function exprContainers(e: A.Expr): Container[] {
  switch (e.kind) {
    case "record":
      return [{ node: e, start: e.span.start, end: e.span.end, anchors: e.fields.map((f) => anchor(f, f.span, exprContainers(f.value))) }];
    case "map":
      return [{ node: e, start: e.span.start, end: e.span.end, anchors: e.entries.map((m) => anchor(m, m.span, exprContainers(m.value))) }];
    case "if":
      return [...exprContainers(e.condition), blockContainer(e.then), ...(e.else ? (e.else.kind === "block" ? [blockContainer(e.else)] : exprContainers(e.else)) : [])];
    case "for":
      return [...exprContainers(e.iterable), ...(e.filter ? exprContainers(e.filter) : []), blockContainer(e.body)];
    case "fold":
      return [...exprContainers(e.init), ...exprContainers(e.iterable), blockContainer(e.body)];
    case "loop":
      return [...exprContainers(e.init), ...exprContainers(e.condition), blockContainer(e.body)];
    case "paren":
      return exprContainers(e.expr);
    case "list":
      return e.items.flatMap(exprContainers);
    case "binary":
      return [...exprContainers(e.left), ...exprContainers(e.right)];
    case "unary":
      return exprContainers(e.operand);
    case "call":
      return [...exprContainers(e.callee), ...e.args.flatMap((a) => exprContainers(a.value))];
    case "field":
      return exprContainers(e.target);
    case "index":
      return [...exprContainers(e.target), ...exprContainers(e.index)];
    default:
      // Literals, names and templates: comments cannot stand inside a template's code.
      return [];
  }
}
