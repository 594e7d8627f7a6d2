/**
 * A reference, not a system users would pick: W4 on Cohere by bare `fetch` and `JSON.parse`,
 * with no SDK. It measures what any client on this machine pays to receive and decode the 53
 * answers that arrive together, which the floor leaves out; the "ahead of every peer" check
 * does not count it.
 */
import { corpusQuestion, KEY, slices, type PeerContext } from "./peer-calls.js";
import type { PeerPrograms } from "./workloads.js";

async function post(c: PeerContext, path: string, body: unknown): Promise<any> {
  const r = await fetch(c.cohereBaseURL + path, { method: "POST", headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r.json();
}

export const bareFetch: PeerPrograms = {
  async w4c(c) {
    const embed = (texts: string[]) => post(c, "/v2/embed", { model: "embed-english-v3.0", texts, input_type: "search_document", embedding_types: ["float"] });
    const vectors = (await Promise.all(slices(c.input.texts as string[], 96).map(async (s) => (await embed(s)).embeddings.float as number[][]))).flat();
    const answer = await post(c, "/v2/chat", { model: "command-r-plus", messages: [{ role: "user", content: corpusQuestion(vectors) }], max_tokens: 200, temperature: 0 });
    const part = answer.message?.content?.[0];
    return part && part.type === "text" ? part.text : "";
  },
};
