/**
 * Finds the `///` comment block that ends right before a declaration, field or member. Only
 * comments that start their line count: `a: int /// x` is a remark about `a`, not a doc
 * comment for whatever follows. (A byte-order mark is whitespace here, as everywhere else.)
 */
import type { IToken } from "chevrotain";
import * as T from "../../../grammar/tokens.js";
import { tokenEnd } from "./lex.js";

/** A run of `///` lines, each starting its line, and the offset of the first code after it. */
export interface DocGroup {
  readonly comments: readonly IToken[];
  /** Where the next non-whitespace text starts: the node the group documents, if one starts there. */
  readonly next: number;
}

/**
 * The `///` blocks of a file. Exported so the formatter can tell the comments that became
 * docs (and are printed from the AST) from the ones that stayed plain comments.
 */
export function docGroups(comments: readonly IToken[], text: string): DocGroup[] {
  const docs = comments.filter((c) => c.tokenType === T.DocComment && /^[ \t\uFEFF]*$/.test(text.slice(text.lastIndexOf("\n", c.startOffset - 1) + 1, c.startOffset)));
  const groups: DocGroup[] = [];
  let group: IToken[] = [];
  for (let i = 0; i < docs.length; i++) {
    const d = docs[i];
    group.push(d);
    const next = docs[i + 1];
    const end = tokenEnd(d);
    const gap = next ? text.slice(end, next.startOffset) : undefined;
    if (next && gap !== undefined && /^[ \t\r]*\n[ \t\r]*$/.test(gap)) continue;
    const after = text.slice(end).search(/\S/);
    if (after >= 0) groups.push({ comments: group, next: end + after });
    group = [];
  }
  return groups;
}

export class DocComments {
  private readonly byNext = new Map<number, string>();

  constructor(comments: readonly IToken[], text: string) {
    for (const g of docGroups(comments, text)) this.byNext.set(g.next, g.comments.map((d) => d.image.slice(3).replace(/^ /, "")).join("\n"));
  }

  /** The doc text of the comment block directly above `offset`, if any. */
  before(offset: number): string | undefined {
    return this.byNext.get(offset);
  }
}
