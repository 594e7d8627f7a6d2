/** Decoding of string literal escapes, reporting each unknown escape with its span. */

export interface BadEscape {
  readonly offset: number;
  readonly length: number;
  readonly text: string;
}

const SIMPLE: Record<string, string> = { n: "\n", r: "\r", t: "\t", "\\": "\\", '"': '"', "0": "\0" };

/** Decodes the body of a `"..."` literal (without quotes); `base` is the body's offset. */
export function decodeEscapes(body: string, base: number): { value: string; errors: BadEscape[] } {
  let value = "";
  const errors: BadEscape[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== "\\") {
      value += c;
      continue;
    }
    const n = body[i + 1];
    if (n !== undefined && n in SIMPLE) {
      value += SIMPLE[n];
      i++;
      continue;
    }
    const u = n === "u" ? /^u\{([0-9a-fA-F]{1,6})\}/.exec(body.slice(i + 1)) : null;
    if (u && parseInt(u[1], 16) <= 0x10ffff) {
      value += String.fromCodePoint(parseInt(u[1], 16));
      i += u[0].length;
      continue;
    }
    const len = n === undefined ? 1 : 2;
    errors.push({ offset: base + i, length: len, text: body.slice(i, i + len) });
    i += len - 1;
  }
  return { value, errors };
}
