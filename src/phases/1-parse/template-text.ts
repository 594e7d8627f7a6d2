/**
 * The text rules of `"""` templates, applied to the raw text tokens of one template in source
 * order: the newline right after the opening quotes is dropped; when the closing quotes stand
 * on their own line, that line's indentation is removed from every line and the last line
 * break goes too; `{%-`/`{{-` trim the whitespace before a tag and `-%}`/`-}}` the
 * whitespace after it.
 */
import type { IToken } from "chevrotain";
import * as T from "../../../grammar/tokens.js";

/**
 * Final text for each text token of a template. `tokens` are all the template's own tokens
 * (text and tag delimiters, nested tags included, nested templates excluded) in order.
 */
export function templateTexts(tokens: readonly IToken[], fromFile: boolean): Map<IToken, string> {
  const texts = tokens.filter((t) => t.tokenType === T.TemplateText);
  const values = new Map<IToken, string>(texts.map((t) => [t, t.image]));
  if (texts.length === 0) return values;

  if (!fromFile) {
    const first = tokens[0];
    // Without a newline after the opening quotes, the first line is not at a line start.
    const startsOnNewLine = first.tokenType === T.TemplateText && /^\r?\n/.test(first.image);
    if (startsOnNewLine) values.set(first, first.image.replace(/^\r?\n/, ""));
    const last = tokens[tokens.length - 1];
    const m = last.tokenType === T.TemplateText ? /\r?\n([ \t]*)$/.exec(values.get(last)!) : null;
    if (m) {
      const indent = m[1];
      values.set(last, values.get(last)!.slice(0, m.index));
      for (const t of texts) {
        const atLineStart = t === first && startsOnNewLine;
        values.set(t, dedent(values.get(t)!, indent, atLineStart));
      }
    }
  }

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const trimBefore = (t.tokenType === T.ExprOpen || t.tokenType === T.TagOpen) && t.image.endsWith("-");
    const trimAfter = (t.tokenType === T.ExprClose || t.tokenType === T.TagClose) && t.image.startsWith("-");
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    if (trimBefore && prev?.tokenType === T.TemplateText) values.set(prev, values.get(prev)!.replace(/\s+$/, ""));
    if (trimAfter && next?.tokenType === T.TemplateText) values.set(next, values.get(next)!.replace(/^\s+/, ""));
  }
  return values;
}

/** Removes up to `indent` from the start of every line of `text`. */
function dedent(text: string, indent: string, atLineStart: boolean): string {
  if (indent === "") return text;
  const lines = text.split("\n");
  return lines
    .map((line, i) => {
      if (i === 0 && !atLineStart) return line;
      let k = 0;
      while (k < indent.length && k < line.length && line[k] === indent[k]) k++;
      return line.slice(k);
    })
    .join("\n");
}
