/**
 * Embedding answers checked before use: one vector per text, each a non-empty list of finite
 * numbers of the same length, so a server that answers short or garbled fails the request
 * instead of a later `cosine`.
 */
import { itemOf } from "./answers.js";
import { fail, type Call } from "./call.js";

/** The vectors, as plain number arrays, or a failure naming the first bad one. */
export function vectorsOf(call: Call, vectors: readonly unknown[] | null | undefined, count: number): number[][] {
  if (!Array.isArray(vectors)) throw fail(call, "the provider answered with no embeddings", { reason: "answer" });
  if (vectors.length !== count) {
    throw fail(call, `the provider answered with ${vectors.length} embedding${vectors.length === 1 ? "" : "s"} for ${count} text${count === 1 ? "" : "s"}`, { reason: "answer" });
  }
  const out: number[][] = new Array(vectors.length);
  const which = (i: number) => (count > 1 ? `embedding ${i + 1} of ${count}` : "the embedding");
  for (let i = 0; i < vectors.length; i++) {
    const v: unknown = vectors[i];
    if (!isVector(v)) throw fail(call, `${which(i)} is not a list of numbers`, { reason: "answer", item: itemOf(i, count) });
    if (i > 0 && v.length !== out[0].length) {
      throw fail(call, `${which(i)} has ${v.length} dimensions, the first has ${out[0].length}`, { reason: "answer", item: itemOf(i, count) });
    }
    out[i] = Array.isArray(v) ? v : Array.from(v);
  }
  return out;
}

function isVector(v: unknown): v is ArrayLike<number> {
  if (!Array.isArray(v) && !(v instanceof Float32Array)) return false;
  const xs = v as ArrayLike<unknown>;
  if (xs.length === 0) return false;
  for (let i = 0; i < xs.length; i++) if (typeof xs[i] !== "number" || !Number.isFinite(xs[i])) return false;
  return true;
}
