/**
 * The SDK calls the hand-written systems make, as their users write them: one prompt per
 * completion or chat request, the API's documented maximum per embedding request. Each
 * sends exactly the model, prompt and settings the bench's `.feste` programs send.
 */
import { CohereClient, CohereClientV2 } from "cohere-ai";
import OpenAI from "openai";

export const KEY = "bench-key";

/** The servers a system talks to, and the workload's input. */
export interface PeerContext {
  readonly openaiBaseURL: string;
  readonly cohereBaseURL: string;
  readonly input: any;
}

/** The OpenAI SDK with its default settings (its own retries included), as a user creates it. */
export const openai = (c: PeerContext) => new OpenAI({ apiKey: KEY, baseURL: c.openaiBaseURL });

export async function complete(sdk: OpenAI, prompt: string): Promise<string> {
  const r = await sdk.completions.create({ model: "gpt-3.5-turbo-instruct", prompt, max_tokens: 60, temperature: 0 });
  return r.choices[0].text;
}

export async function chat(sdk: OpenAI, content: string, maxTokens: number): Promise<string> {
  const r = await sdk.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content }], max_tokens: maxTokens, temperature: 0 });
  return r.choices[0].message.content ?? "";
}

/** A structured chat call with no sampling settings, as a user's first version: strict JSON schema, parsed. */
export async function chatJson(sdk: OpenAI, content: string, schema: Record<string, unknown>): Promise<unknown> {
  const r = await sdk.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content }],
    response_format: { type: "json_schema", json_schema: { name: "Gist", schema, strict: true } },
  });
  return JSON.parse(r.choices[0].message.content ?? "null");
}

/** `texts` in slices of at most `size`. */
export function slices<T>(texts: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < texts.length; i += size) out.push(texts.slice(i, i + size));
  return out;
}

export async function embedOpenAI(sdk: OpenAI, texts: readonly string[]): Promise<number[][]> {
  const r = await sdk.embeddings.create({ model: "text-embedding-3-small", input: [...texts] });
  return r.data.sort((a, b) => a.index - b.index).map((d) => d.embedding);
}

/** W7's embeddings: the model and dimensions its `.feste` client sets. */
export async function embedSmall(sdk: OpenAI, texts: readonly string[]): Promise<number[][]> {
  const r = await sdk.embeddings.create({ model: "text-embedding-3-small", input: [...texts], dimensions: 64 });
  return r.data.sort((a, b) => a.index - b.index).map((d) => d.embedding);
}

/** Cosine similarity, as a user writes it (the same arithmetic as feste's `cosine`, so ties rank alike). */
export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** The indices of the `k` highest scores, highest first, ties by position. */
export function topK(scores: readonly number[], k: number): number[] {
  return scores
    .map((s, i) => ({ s, i }))
    .sort((x, y) => y.s - x.s || x.i - y.i)
    .slice(0, k)
    .map((x) => x.i);
}

/** What W7's chat call asks, given the passages found for the question. */
export function ragQuestion(passages: readonly string[], question: string): string {
  return "Answer from these passages:\n" + passages.join("\n") + "\nQuestion: " + question;
}

export const cohereV2 = (c: PeerContext) => new CohereClientV2({ token: KEY, environment: c.cohereBaseURL });
export const cohereV1 = (c: PeerContext) => new CohereClient({ token: KEY, environment: c.cohereBaseURL });

export async function embedCohere(sdk: CohereClientV2, texts: readonly string[]): Promise<number[][]> {
  const r = await sdk.embed({ model: "embed-english-v3.0", texts: [...texts], inputType: "search_document", embeddingTypes: ["float"] });
  return r.embeddings.float ?? [];
}

export async function cohereChat(sdk: CohereClientV2, content: string): Promise<string> {
  const r = await sdk.chat({ model: "command-r-plus", messages: [{ role: "user", content }], maxTokens: 200, temperature: 0 });
  const part = r.message?.content?.[0];
  return part && part.type === "text" ? part.text : "";
}

export async function cohereGenerate(sdk: CohereClient, prompt: string): Promise<string> {
  const r = await sdk.generate({ model: "command", prompt, maxTokens: 64, temperature: 0 });
  return r.generations[0].text;
}

/** The seed's prompt, as its template renders it. */
export function ask(question: string): string {
  return `Your name is SmartChat and you are an assistant.\nYou should answer the following question: ${question}`;
}

/** What W4's chat call asks, given the vectors. */
export function corpusQuestion(vectors: readonly number[][]): string {
  return `Of ${vectors.length} texts, ${vectors.filter((v) => v[0] > 0).length} lean positive. Summarise.`;
}

export const REPORT = "Write one paragraph from these summaries:\n";
export const SUMMARISE = "Summarise in one sentence: ";
