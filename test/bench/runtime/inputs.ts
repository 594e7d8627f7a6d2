/** The inputs of the runtime workloads: deterministic, so every system asks the same questions. */

const PRODUCTS = ["the app", "the checkout", "the search page", "the mobile site", "delivery"];
const VERDICTS = ["crashes on start", "is slow in the evening", "works well", "needs a dark mode", "lost my order"];

/** `n` short pieces of customer feedback. */
export function feedback(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `Feedback ${i}: ${PRODUCTS[i % PRODUCTS.length]} ${VERDICTS[(i * 7) % VERDICTS.length]} (case ${i}).`);
}

/** `groups` groups of `size` research topics, for the ragged graph. */
export function topics(groups: number, size: number): string[][] {
  return Array.from({ length: groups }, (_, g) => Array.from({ length: size }, (_, i) => `topic ${g}.${i}`));
}

/** `n` questions about the feedback, for the RAG workload. */
export function questions(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `What do customers say about ${PRODUCTS[i % PRODUCTS.length]}? (${i})`);
}
