/**
 * Deterministic model answers: a pure function of one request item (model, the settings that
 * change answers, the prompt or text, and the expected type), never of what else travelled
 * in the same request. So batching changes the number of requests, not the answers, and
 * every mode of running a program can be compared value for value.
 */
import type { IrTypeDef, Settings } from "../ir/nodes.js";
import { TRANSPORT_SETTINGS } from "../runtime/cache/request-key.js";
import type { Type } from "../ir/types.js";
import type { Data, PromptValue } from "../ir/value.js";


/** FNV-1a over UTF-16 code units: small, fast, stable. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The part of a request that decides an answer, as text. */
export function answerKey(settings: Settings, content: string): string {
  const relevant = Object.keys(settings).filter((k) => !TRANSPORT_SETTINGS.has(k)).sort().map((k) => [k, settings[k]]);
  return JSON.stringify([relevant, content]);
}

export function promptContent(p: PromptValue): string {
  return p.$prompt.messages.map((m) => `${m.role}: ${m.content}`).join("\n");
}

/** A value of type `t` derived from `seed`; records and enums come from `types` by name. */
export function fakeValue(t: Type, seed: string, types: Readonly<Record<string, IrTypeDef>>, depth = 0): Data {
  const h = hash32(seed);
  switch (t.kind) {
    case "string":
    case "prompt":
    case "unknown":
    case "error":
      return `answer ${h.toString(36)}`;
    case "int":
      return 1 + (h % 5);
    case "float":
      return (h % 1000) / 1000;
    case "bool":
      return h % 2 === 0;
    case "null":
      return null;
    case "optional":
      return h % 4 === 0 ? null : fakeValue(t.inner, `${seed}?`, types, depth);
    case "list": {
      const n = depth > 3 ? 0 : 1 + (h % 3);
      return Array.from({ length: n }, (_, i) => fakeValue(t.element, `${seed}[${i}]`, types, depth + 1));
    }
    case "map": {
      const n = depth > 3 ? 0 : 1 + (h % 3);
      return Object.fromEntries(Array.from({ length: n }, (_, i) => [`key${i}`, fakeValue(t.value, `${seed}{${i}}`, types, depth + 1)]));
    }
    case "enum":
    case "record": {
      const def = Object.values(types).find((d) => d.name === t.name && d.kind === t.kind);
      if (!def) return null;
      if (def.kind === "enum") return def.members[h % def.members.length];
      return Object.fromEntries(def.fields.map((f) => [f.name, fakeValue(f.optional ? { kind: "optional", inner: f.type } : f.type, `${seed}.${f.name}`, types, depth + 1)]));
    }
  }
}

/** A unit-length vector for a text, the same every time. */
export function fakeVector(text: string, dimensions = 8): number[] {
  const v = Array.from({ length: dimensions }, (_, i) => ((hash32(`${i}:${text}`) % 2001) - 1000) / 1000);
  const norm = Math.sqrt(v.reduce((a, x) => a + x * x, 0)) || 1;
  return v.map((x) => Math.round((x / norm) * 1e6) / 1e6);
}

/** Documents ranked by a score derived from the query and each document. */
export function fakeRanking(query: string, documents: readonly string[], topN?: number): { index: number; score: number; document: string }[] {
  const scored = documents.map((document, index) => ({ index, score: (hash32(`${query}\u0000${document}`) % 10_000) / 10_000, document }));
  scored.sort((a, b) => b.score - a.score || a.index - b.index);
  return scored.slice(0, topN ?? documents.length);
}
