/** The naive system: the `openai` (and `cohere-ai`) SDK, one awaited call after another. */
import { ask, chat, cohereChat, cohereGenerate, cohereV1, cohereV2, complete, corpusQuestion, embedCohere, embedOpenAI, openai, REPORT, slices, SUMMARISE, type PeerContext } from "./peer-calls.js";
import type { PeerPrograms } from "./workloads.js";

async function mapReduce(c: PeerContext): Promise<string> {
  const sdk = openai(c);
  const summaries: string[] = [];
  for (const d of c.input.docs) summaries.push(await complete(sdk, SUMMARISE + d));
  return chat(sdk, REPORT + summaries.join("\n"), 400);
}

export const naive: PeerPrograms = {
  w1: mapReduce,
  w2: mapReduce,
  async w2c(c) {
    const sdk = openai(c);
    const summaries: string[] = [];
    for (const d of c.input.docs) summaries.push(await chat(sdk, SUMMARISE + d, 60));
    return chat(sdk, REPORT + summaries.join("\n"), 400);
  },
  async w3(c) {
    const sdk = openai(c);
    const roots: string[][] = [];
    for (const g of c.input.groups as string[][]) {
      const answers: string[] = [];
      for (const x of g) answers.push(await chat(sdk, "Research: " + x, 60));
      roots.push(answers);
    }
    const deps: string[][] = [];
    for (const rs of roots) {
      const answers: string[] = [];
      for (const r of rs) answers.push(await chat(sdk, "Expand: " + r, 60));
      deps.push(answers);
    }
    const aggs: string[] = [];
    for (const ds of deps) aggs.push(await chat(sdk, "Combine:\n" + ds.join("\n"), 60));
    const final = await chat(sdk, "Conclude:\n" + aggs.join("\n"), 60);
    return { roots, deps, aggs, final };
  },
  async w4o(c) {
    const sdk = openai(c);
    const vectors: number[][] = [];
    for (const slice of slices(c.input.texts as string[], 2048)) vectors.push(...(await embedOpenAI(sdk, slice)));
    return chat(sdk, corpusQuestion(vectors), 200);
  },
  async w4c(c) {
    const sdk = cohereV2(c);
    const vectors: number[][] = [];
    for (const slice of slices(c.input.texts as string[], 96)) vectors.push(...(await embedCohere(sdk, slice)));
    return cohereChat(sdk, corpusQuestion(vectors));
  },
  async w5(c) {
    const sdk = openai(c);
    let x: string = c.input.x;
    for (let i = 0; i < c.input.calls; i++) x = await chat(sdk, x, 60);
    return x;
  },
  async w6(c) {
    const sdk = openai(c);
    const p1 = await complete64(sdk, ask("What is your name?"));
    const p2 = await complete64(sdk, ask("Who are you?"));
    const p3 = await cohereGenerate(cohereV1(c), ask("What is your name?"));
    return [p1, p2, p3, ask(p3)];
  },
};

/** The seed's davinci client asks for 64 tokens. */
export async function complete64(sdk: ReturnType<typeof openai>, prompt: string): Promise<string> {
  const r = await sdk.completions.create({ model: "gpt-3.5-turbo-instruct", prompt, max_tokens: 64, temperature: 0 });
  return r.choices[0].text;
}
