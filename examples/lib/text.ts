// lib/text.ts: pure text helpers that Feste programs call through `extern fn`.
//
// Each export is run on the worker pool with its arguments passed positionally, and its
// result is validated against the type the `.feste` declaration gives. Keep them pure: no
// I/O, no globals, same input same output.

/** Counts whitespace-separated words; an empty or blank string has zero words. */
export function word_count(text: string): number {
  const words = text.trim().split(/\s+/u);
  return words.length === 1 && words[0] === "" ? 0 : words.length;
}

/**
 * Turns a title into a URL slug: lowercase ASCII letters and digits joined by single dashes,
 * accents removed ("Café au lait!" -> "cafe-au-lait").
 */
export function slugify(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/gu, "-")
    .replace(/^-+|-+$/gu, "");
}
