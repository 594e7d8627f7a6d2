/**
 * Stable node ids: a hash of a node's canonical content (kind, arguments, dependency ids), so
 * equal nodes get equal ids in every run and on every machine. The hash is 53-bit cyrb53,
 * written out in base 36; an `IdTable` guards against the (unlikely) collision of two
 * different contents by salting the second.
 */
import type { Type } from "./types.js";

/** A 53-bit hash of a text, the same on every machine (also spreads round-robin calls). */
export function cyrb53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** A type written in full (records and enums with their module), for canonical keys. */
export function typeKey(t: Type): string {
  switch (t.kind) {
    case "list":
      return `${typeKey(t.element)}[]`;
    case "optional":
      return `${typeKey(t.inner)}?`;
    case "map":
      return `{string:${typeKey(t.value)}}`;
    case "record":
    case "enum":
      return `${t.kind}:${t.file}#${t.name}`;
    case "prompt":
      return `prompt:${t.lang}:${typeKey(t.output)}`;
    default:
      return t.kind;
  }
}

/** Remembers which content each id stands for, across all the subgraphs of a program. */
export class IdTable {
  private readonly contents = new Map<string, string>();

  /** The id for `content`, prefixed with the node kind for readable dumps. */
  idFor(kind: string, content: string): string {
    for (let salt = 0; ; salt++) {
      const id = `${kind}_${cyrb53(content, salt).toString(36).padStart(11, "0")}`;
      const known = this.contents.get(id);
      if (known === undefined) {
        this.contents.set(id, content);
        return id;
      }
      if (known === content) return id;
    }
  }
}
