/**
 * LangChain.js as its users write it: a prompt template piped to the model, `.batch()` over a
 * level's inputs, `OpenAIEmbeddings.embedDocuments` for embeddings. `maxTokens` is always set,
 * so LangChain never fetches a tokenizer to work out a default. LangChain.js ships no Cohere
 * integration in `@langchain/openai`; the Cohere-shaped workloads are left to the SDK systems.
 */
import { PromptTemplate } from "@langchain/core/prompts";
import { ChatOpenAI, OpenAI, OpenAIEmbeddings } from "@langchain/openai";
import { corpusQuestion, KEY, REPORT, SUMMARISE, type PeerContext } from "./peer-calls.js";
import type { PeerPrograms } from "./workloads.js";

const chatModel = (c: PeerContext, maxTokens: number) => new ChatOpenAI({ model: "gpt-4o-mini", maxTokens, temperature: 0, apiKey: KEY, configuration: { baseURL: c.openaiBaseURL } });
const text = (m: { content: unknown }) => String(m.content);

/** `template` (one `{input}` slot) piped to the chat model, run over `inputs` at once. */
async function chatBatch(c: PeerContext, template: string, inputs: readonly string[]): Promise<string[]> {
  const chain = PromptTemplate.fromTemplate(template).pipe(chatModel(c, 60));
  return (await chain.batch(inputs.map((input) => ({ input })))).map(text);
}

async function report(c: PeerContext, summaries: readonly string[]): Promise<string> {
  const chain = PromptTemplate.fromTemplate(`${REPORT}{summaries}`).pipe(chatModel(c, 400));
  return text(await chain.invoke({ summaries: summaries.join("\n") }));
}

async function mapReduce(c: PeerContext): Promise<string> {
  const llm = new OpenAI({ model: "gpt-3.5-turbo-instruct", maxTokens: 60, temperature: 0, apiKey: KEY, configuration: { baseURL: c.openaiBaseURL } });
  const chain = PromptTemplate.fromTemplate(`${SUMMARISE}{doc}`).pipe(llm);
  const summaries = await chain.batch((c.input.docs as string[]).map((doc) => ({ doc })));
  return report(c, summaries);
}

/** Lists of `sizes` lengths cut from `flat`, in order. */
function regroup<T>(flat: readonly T[], sizes: readonly number[]): T[][] {
  let at = 0;
  return sizes.map((n) => flat.slice(at, (at += n)));
}

export const langchain: PeerPrograms = {
  w1: mapReduce,
  w2: mapReduce,
  async w2c(c) {
    return report(c, await chatBatch(c, `${SUMMARISE}{input}`, c.input.docs));
  },
  async w3(c) {
    const groups = c.input.groups as string[][];
    const sizes = groups.map((g) => g.length);
    const roots = regroup(await chatBatch(c, "Research: {input}", groups.flat()), sizes);
    const deps = regroup(await chatBatch(c, "Expand: {input}", roots.flat()), sizes);
    const aggs = await chatBatch(c, "Combine:\n{input}", deps.map((ds) => ds.join("\n")));
    const [final] = await chatBatch(c, "Conclude:\n{input}", [aggs.join("\n")]);
    return { roots, deps, aggs, final };
  },
  async w4o(c) {
    const embeddings = new OpenAIEmbeddings({ model: "text-embedding-3-small", apiKey: KEY, configuration: { baseURL: c.openaiBaseURL } });
    const vectors = await embeddings.embedDocuments(c.input.texts);
    return text(await chatModel(c, 200).invoke(corpusQuestion(vectors)));
  },
  async w5(c) {
    const model = chatModel(c, 60);
    let x: string = c.input.x;
    for (let i = 0; i < c.input.calls; i++) x = text(await model.invoke(x));
    return x;
  },
};
