/**
 * Finds the `///` comment block that ends right before a declaration, field or member. Only
 * comments that start their line count: `a: int /// x` is a remark about `a`, not a doc
 * comment for whatever follows.
 */
import type { IToken } from "chevrotain";
import * as T from "../../../grammar/tokens.js";
import { tokenEnd } from "./lex.js";

export class DocComments {
  private readonly byNext = new Map<number, string>();

  constructor(comments: readonly IToken[], text: string) {
    const docs = comments.filter((c) => c.tokenType === T.DocComment && /^[ \t]*$/.test(text.slice(text.lastIndexOf("\n", c.startOffset - 1) + 1, c.startOffset)));
    let group: string[] = [];
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i];
      group.push(d.image.slice(3).replace(/^ /, ""));
      const next = docs[i + 1];
      const end = tokenEnd(d);
      const gap = next ? text.slice(end, next.startOffset) : undefined;
      if (next && gap !== undefined && /^[ \t\r]*\n[ \t\r]*$/.test(gap)) continue;
      const after = text.slice(end).search(/\S/);
      if (after >= 0) this.byNext.set(end + after, group.join("\n"));
      group = [];
    }
  }

  /** The doc text of the comment block directly above `offset`, if any. */
  before(offset: number): string | undefined {
    return this.byNext.get(offset);
  }
}
