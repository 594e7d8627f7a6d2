/**
 * Bytes to source text. Valid UTF-8 decodes as usual. At the first invalid byte, the text
 * holds a lone low surrogate (U+DC80 + the byte, as Python's `surrogateescape` does), which no
 * valid UTF-8 can produce, so the lexer reports FE1020 exactly there instead of a U+FFFD
 * slipping silently into a prompt; the rest decodes leniently, for the frame around it.
 */
const strict = new TextDecoder("utf-8", { fatal: true });
const lenient = new TextDecoder("utf-8", { fatal: false });

/** `bytes` as text, with the first invalid byte marked (see the module comment). */
export function decodeSource(bytes: Uint8Array): string {
  try {
    return strict.decode(bytes);
  } catch {
    const bad = firstInvalidByte(bytes);
    if (bad >= bytes.length) return lenient.decode(bytes);
    return lenient.decode(bytes.subarray(0, bad)) + String.fromCharCode(0xdc00 + bytes[bad]) + lenient.decode(bytes.subarray(bad + 1));
  }
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
export function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    // The second byte's range excludes overlong forms, surrogates and code points past U+10FFFF.
    const low = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const high = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c < (k === 1 ? low : 0x80) || c > (k === 1 ? high : 0xbf)) return i;
    }
    i += length;
  }
  return bytes.length;
}
