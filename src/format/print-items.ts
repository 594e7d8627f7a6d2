/**
 * Lays out the items of a container (declarations of a module, statements of a block,
 * fields, members, settings, sections) one per line with their comments: leading comments on
 * their own lines above an item, a trailing comment at the end of its last line (aligned with
 * the trailing comments of neighbouring one-line items, as in hand-written code), and the
 * container's dangling comments after the last item. Blank lines next to comments are kept,
 * at most one; elsewhere the caller's separator decides.
 */
import type { CommentTable, SourceComment } from "./comments.js";

/** One item: its printed text (later lines already indented) and the AST node it came from. */
export interface Item {
  readonly text: string;
  readonly node: object;
  /** What separates it from the previous item: a newline (default) or a blank line. */
  readonly blankBefore?: boolean;
}

/** The fewest spaces between code and its trailing comment. */
const TRAILING_GAP = 2;

/**
 * The items at `indent`, with their comments; no newline before the first line or after the
 * last. `container` names the node whose dangling comments end the list.
 */
export function printItems(items: readonly Item[], indent: string, comments: CommentTable, container: object): string {
  const pads = trailingPads(items, indent, comments);
  const lines: string[] = [];
  items.forEach((item, i) => {
    const leading = comments.leading(item.node);
    if (i > 0 && (item.blankBefore || leading[0]?.blankBefore)) lines.push("");
    leading.forEach((c, k) => {
      if (k > 0 && c.blankBefore) lines.push("");
      lines.push(indent + c.text);
    });
    if (leading.length > 0 && leading[leading.length - 1].blankAfter) lines.push("");
    const trailing = comments.trailing(item.node);
    lines.push(indent + item.text + (trailing ? " ".repeat(pads[i]) + trailing.text : ""));
  });
  comments.dangling(container).forEach((c: SourceComment) => {
    if (lines.length > 0 && c.blankBefore) lines.push("");
    lines.push(indent + c.text);
  });
  return lines.join("\n");
}

/**
 * Spaces before each item's trailing comment: runs of consecutive one-line items with
 * trailing comments (and no comment lines between them) line their comments up.
 */
function trailingPads(items: readonly Item[], indent: string, comments: CommentTable): number[] {
  const pads = items.map(() => TRAILING_GAP);
  const oneLine = (i: number) => comments.trailing(items[i].node) !== undefined && !items[i].text.includes("\n");
  let i = 0;
  while (i < items.length) {
    if (!oneLine(i)) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < items.length && oneLine(j) && !items[j].blankBefore && comments.leading(items[j].node).length === 0) j++;
    const width = Math.max(...items.slice(i, j).map((x) => indent.length + x.text.length));
    for (let k = i; k < j; k++) pads[k] = width - indent.length - items[k].text.length + TRAILING_GAP;
    i = j;
  }
  return pads;
}

/** `{`, and the comment that stood right after it, if any. */
export function openBrace(comments: CommentTable, container: object): string {
  const c = comments.opening(container);
  return c ? `{${" ".repeat(TRAILING_GAP)}${c.text}` : "{";
}
