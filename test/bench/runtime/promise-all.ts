/** Promise.all over the `openai` (and `cohere-ai`) SDK with its default settings: each level's calls at once. */
import { complete64 } from "./naive.js";
import { ask, chat, chatJson, cosine, embedSmall, ragQuestion, topK, cohereChat, cohereGenerate, cohereV1, cohereV2, complete, corpusQuestion, embedCohere, embedOpenAI, openai, REPORT, slices, SUMMARISE, type PeerContext } from "./peer-calls.js";
import type { PeerPrograms } from "./workloads.js";

const GIST = "Name the topic of this feedback and rate its sentiment from 1 to 5: ";
const GIST_SCHEMA = {
  type: "object",
  properties: { topic: { type: "string" }, sentiment: { type: "integer" } },
  required: ["topic", "sentiment"],
  additionalProperties: false,
};

async function mapReduce(c: PeerContext): Promise<string> {
  const sdk = openai(c);
  const summaries = await Promise.all((c.input.docs as string[]).map((d) => complete(sdk, SUMMARISE + d)));
  return chat(sdk, REPORT + summaries.join("\n"), 400);
}

export const promiseAll: PeerPrograms = {
  async f200(c) {
    const sdk = openai(c);
    return Promise.all((c.input.docs as string[]).map((d) => chatJson(sdk, GIST + d, GIST_SCHEMA)));
  },
  w1: mapReduce,
  w2: mapReduce,
  async w2c(c) {
    const sdk = openai(c);
    const summaries = await Promise.all((c.input.docs as string[]).map((d) => chat(sdk, SUMMARISE + d, 60)));
    return chat(sdk, REPORT + summaries.join("\n"), 400);
  },
  async w3(c) {
    const sdk = openai(c);
    const groups = c.input.groups as string[][];
    const roots = await Promise.all(groups.map((g) => Promise.all(g.map((x) => chat(sdk, "Research: " + x, 60)))));
    const deps = await Promise.all(roots.map((rs) => Promise.all(rs.map((r) => chat(sdk, "Expand: " + r, 60)))));
    const aggs = await Promise.all(deps.map((ds) => chat(sdk, "Combine:\n" + ds.join("\n"), 60)));
    const final = await chat(sdk, "Conclude:\n" + aggs.join("\n"), 60);
    return { roots, deps, aggs, final };
  },
  async w4o(c) {
    const sdk = openai(c);
    const vectors = (await Promise.all(slices(c.input.texts as string[], 2048).map((s) => embedOpenAI(sdk, s)))).flat();
    return chat(sdk, corpusQuestion(vectors), 200);
  },
  async w4c(c) {
    const sdk = cohereV2(c);
    const vectors = (await Promise.all(slices(c.input.texts as string[], 96).map((s) => embedCohere(sdk, s)))).flat();
    return cohereChat(sdk, corpusQuestion(vectors));
  },
  async w7(c) {
    const sdk = openai(c);
    const docs = c.input.docs as string[];
    const queries = c.input.queries as string[];
    const [vectors, qvecs] = await Promise.all([
      Promise.all(slices(docs, 2048).map((s) => embedSmall(sdk, s))).then((v) => v.flat()),
      Promise.all(slices(queries, 2048).map((s) => embedSmall(sdk, s))).then((v) => v.flat()),
    ]);
    return Promise.all(
      queries.map((q, k) => {
        const best = topK(vectors.map((v) => cosine(qvecs[k], v)), 3);
        return chat(sdk, ragQuestion(best.map((i) => docs[i]), q), 60);
      }),
    );
  },
  async w6(c) {
    const sdk = openai(c);
    const [p1, p2, p3] = await Promise.all([complete64(sdk, ask("What is your name?")), complete64(sdk, ask("Who are you?")), cohereGenerate(cohereV1(c), ask("What is your name?"))]);
    return [p1, p2, p3, ask(p3)];
  },
};
