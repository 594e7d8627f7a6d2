/** Decoding of string literal escapes, reporting each unknown escape with its span. */

export interface BadEscape {
  readonly offset: number;
  readonly length: number;
  readonly text: string;
}

const SIMPLE: Record<string, string> = { n: "\n", r: "\r", t: "\t", "\\": "\\", '"': '"', "0": "\0" };

/** `\u{...}` at `lastIndex`, read in place (sticky) so a long string is never copied per escape. */
const UNICODE = /u\{([0-9a-fA-F]{1,6})\}/y;

/**
 * Decodes the body of a `"..."` literal (without quotes); `base` is the body's offset. Runs
 * of plain characters are copied whole and joined once: adding a character at a time built a
 * rope of one node per character, about 30 bytes for each byte of a long string.
 */
export function decodeEscapes(body: string, base: number): { value: string; errors: BadEscape[] } {
  const parts: string[] = [];
  const errors: BadEscape[] = [];
  let i = 0;
  while (i < body.length) {
    const slash = body.indexOf("\\", i);
    if (slash < 0) {
      parts.push(body.slice(i));
      break;
    }
    if (slash > i) parts.push(body.slice(i, slash));
    i = slash;
    const n = body[i + 1];
    if (n !== undefined && n in SIMPLE) {
      parts.push(SIMPLE[n]);
      i += 2;
      continue;
    }
    UNICODE.lastIndex = i + 1;
    const u = n === "u" ? UNICODE.exec(body) : null;
    if (u && parseInt(u[1], 16) <= 0x10ffff) {
      parts.push(String.fromCodePoint(parseInt(u[1], 16)));
      i += 1 + u[0].length;
      continue;
    }
    const len = n === undefined ? 1 : 2;
    errors.push({ offset: base + i, length: len, text: body.slice(i, i + len) });
    i += len;
  }
  return { value: parts.length === 1 ? parts[0] : parts.join(""), errors };
}
