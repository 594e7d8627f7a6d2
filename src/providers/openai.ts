/**
 * OpenAI endpoints through the official `openai` SDK: chat (one conversation a request, or
 * several through vLLM's `/chat/completions/batch` when the client sets `batch_endpoint`),
 * legacy completions (`prompt: string[]`, choices placed by `index`) and embeddings. Any
 * OpenAI-compatible server works through `base_url`. The SDK's retries are off: the scheduler
 * owns retries, or they multiply.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { Completion, CompletionCreateParamsNonStreaming } from "openai/resources/completions";
import type { CreateEmbeddingResponse, EmbeddingCreateParams } from "openai/resources/embeddings";
import type { CompleteRequest, EmbedRequest } from "../runtime/backend.js";
import { outputFormat, type OutputFormat } from "../runtime/structured/index.js";
import { withSchemaInstruction } from "../runtime/structured/instruction.js";
import { promptText, type Data, type PromptValue } from "../ir/value.js";
import type { Env } from "./api-keys.js";
import { byIndex, decodeAnswer, itemOf } from "./answers.js";
import { checkItems, fail, modelOf, numberSetting, stringsSetting, usage, type Call } from "./call.js";
import { ProviderError } from "./errors.js";
import { cancelledFailure, httpFailure, networkFailure, timeoutFailure, unreadableFailure } from "./failures.js";
import { toolCallsAnswer, toolsOf } from "./tools.js";
import { vectorsOf } from "./vectors.js";

/** Where OpenAI clients without `base_url` (or `OPENAI_BASE_URL`) go. */
export const OPENAI_BASE_URL = "https://api.openai.com/v1";

/** Error bodies as the server sent them (see `OpenAIClient`). */
const errorBodies = new WeakMap<object, unknown>();

/**
 * The SDK keeps only the `error` field of an error body; OpenAI-compatible servers often say
 * what went wrong in `message` or `detail` instead, so the whole body is kept aside.
 */
class OpenAIClient extends OpenAI {
  protected override makeStatusError(status: number, error: object, message: string | undefined, headers: Headers): APIError {
    const e = super.makeStatusError(status, error, message, headers);
    errorBodies.set(e, error ?? message);
    return e;
  }
}

/** An SDK client for one base URL and key: no retries, no logging, organisation from `env` only. */
export function openaiClient(baseURL: string, apiKey: string, env: Env): OpenAI {
  return new OpenAIClient({
    apiKey,
    baseURL,
    maxRetries: 0,
    organization: env.OPENAI_ORG_ID ?? null,
    project: env.OPENAI_PROJECT_ID ?? null,
    adminAPIKey: null,
    webhookSecret: null,
    logLevel: "off",
  });
}

/** Chat or completion answers, one per prompt, in order. */
export async function openaiComplete(sdk: OpenAI, call: Call, req: CompleteRequest): Promise<Data[]> {
  try {
    if (call.endpoint === "openai.completion") return await completion(sdk, call, req);
    if (req.prompts.length > 1 && call.settings.batch_endpoint === true) return await batchChat(sdk, call, req);
    checkItems(call, req.prompts.length, 1, "prompts");
    return await chat(sdk, call, req);
  } catch (e) {
    throw openaiFailure(call, e);
  }
}

/** One vector per text, in order. */
export async function openaiEmbed(sdk: OpenAI, call: Call, req: EmbedRequest): Promise<number[][]> {
  try {
    const { data, response } = await sdk.embeddings.create(embeddingBody(call, req), requestOptions(call)).withResponse();
    call.onHeaders(response.headers);
    return readEmbeddings(call, req, data);
  } catch (e) {
    throw openaiFailure(call, e);
  }
}

/**
 * The embeddings body as the caller writes it. openai-node adds `encoding_format: "base64"`
 * when it is missing and decodes the answer to float32 values; the Batch API path does both
 * itself, so both paths send the same body and read the same numbers.
 */
export function embeddingBody(call: Call, req: EmbedRequest): EmbeddingCreateParams {
  const dimensions = numberSetting(call, "dimensions");
  return { model: modelOf(call), input: [...req.texts], ...(dimensions === undefined ? {} : { dimensions }) };
}

/** The vectors of an embeddings answer, placed by `index`; usage reported. */
export function readEmbeddings(call: Call, req: EmbedRequest, data: CreateEmbeddingResponse): number[][] {
  call.onUsage(usage(data.usage?.prompt_tokens, 0));
  const placed = byIndex(call, data.data, req.texts.length, "embeddings");
  return vectorsOf(call, placed.map((d) => d.embedding), req.texts.length);
}

async function chat(sdk: OpenAI, call: Call, req: CompleteRequest): Promise<Data[]> {
  const format = outputFormat(req.output, req.types);
  const { data, response } = await sdk.chat.completions.create(chatBody(call, req, format), requestOptions(call)).withResponse();
  call.onHeaders(response.headers);
  return readChat(call, req, format, data);
}

/** The body of a chat request: the request's one conversation (see `checkItems`). */
export function chatBody(call: Call, req: CompleteRequest, format: OutputFormat | undefined): ChatCompletionCreateParamsNonStreaming {
  const tools = toolsOf(call);
  const offered = tools ? { tools: tools.map((t) => ({ type: "function" as const, function: { name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.parameters } })) } : {};
  return { model: modelOf(call), messages: chatMessages(req.prompts[0]), ...samplingParams(call), ...responseFormat(format), ...offered };
}

/** The one answer of a chat completion, decoded to the call's output type; usage reported. */
export function readChat(call: Call, req: CompleteRequest, format: OutputFormat | undefined, data: ChatCompletion): Data[] {
  call.onUsage(usage(data.usage?.prompt_tokens, data.usage?.completion_tokens));
  const choice = data.choices?.[0];
  if (!choice) throw fail(call, "the provider answered with no choices", { reason: "answer" });
  const asked = choice.message?.tool_calls;
  if (asked && asked.length > 0 && toolsOf(call)) {
    return [toolCallsAnswer(call, asked.map((tc) => ({ id: tc.id, ...(tc.type === "function" ? { name: tc.function?.name, arguments: tc.function?.arguments } : {}) }))) as unknown as Data];
  }
  return [decodeAnswer(call, req, format, messageText(call, choice, undefined), choice.finish_reason, undefined)];
}

/**
 * vLLM's multi-conversation chat: the body of a chat request whose `messages` is a list of
 * conversations; the answer is a chat completion with one choice per conversation, `index`
 * giving its position.
 */
async function batchChat(sdk: OpenAI, call: Call, req: CompleteRequest): Promise<Data[]> {
  const format = outputFormat(req.output, req.types);
  const body = { model: modelOf(call), messages: req.prompts.map(chatMessages), ...samplingParams(call), ...responseFormat(format) };
  const { data, response } = await sdk.post<ChatCompletion>("/chat/completions/batch", { body, ...requestOptions(call) }).withResponse();
  call.onHeaders(response.headers);
  call.onUsage(usage(data?.usage?.prompt_tokens, data?.usage?.completion_tokens));
  const n = req.prompts.length;
  const choices = byIndex(call, data?.choices, n, "choices");
  return choices.map((c, i) => decodeAnswer(call, req, format, messageText(call, c, itemOf(i, n)), c.finish_reason, itemOf(i, n)));
}

async function completion(sdk: OpenAI, call: Call, req: CompleteRequest): Promise<Data[]> {
  const format = outputFormat(req.output, req.types);
  const { data, response } = await sdk.completions.create(completionBody(call, req, format), requestOptions(call)).withResponse();
  call.onHeaders(response.headers);
  return readCompletion(call, req, format, data);
}

/** The body of a legacy completions request: every prompt as text, a structured output's schema in the prompt. */
export function completionBody(call: Call, req: CompleteRequest, format: OutputFormat | undefined): CompletionCreateParamsNonStreaming {
  const prompt = req.prompts.map((p) => (format ? withSchemaInstruction(promptText(p), format.schema) : promptText(p)));
  return { model: modelOf(call), prompt, ...samplingParams(call) };
}

/** One answer per prompt from a completions answer, choices placed by `index`; usage reported. */
export function readCompletion(call: Call, req: CompleteRequest, format: OutputFormat | undefined, data: Completion): Data[] {
  call.onUsage(usage(data.usage?.prompt_tokens, data.usage?.completion_tokens));
  const n = req.prompts.length;
  const choices = byIndex(call, data.choices, n, "choices");
  return choices.map((c, i) => {
    if (typeof c.text !== "string") throw fail(call, answerWithout("text", i, n), { reason: "answer", item: itemOf(i, n) });
    return decodeAnswer(call, req, format, c.text, c.finish_reason, itemOf(i, n));
  });
}

/** A prompt's role sections as chat messages. */
export function chatMessages(p: PromptValue): ChatCompletionMessageParam[] {
  return p.$prompt.messages.map((m): ChatCompletionMessageParam => {
    if (m.role === "tool") return { role: "tool", tool_call_id: m.toolCallId ?? "", content: m.content };
    if (m.role === "assistant" && m.toolCalls) {
      return { role: "assistant", content: null, tool_calls: m.toolCalls.map((tc) => ({ id: tc.id, type: "function" as const, function: { name: tc.name, arguments: tc.arguments } })) };
    }
    return { role: m.role, content: m.content };
  });
}

interface Sampling {
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  seed?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  stop?: string[];
}

const NUMERIC = ["temperature", "top_p", "max_tokens", "seed", "presence_penalty", "frequency_penalty"] as const;

/** The sampling settings the client or call sets, under OpenAI's names (which Feste's match). */
export function samplingParams(call: Call): Sampling {
  const out: Sampling = {};
  for (const key of NUMERIC) {
    const v = numberSetting(call, key);
    if (v !== undefined) out[key] = v;
  }
  const stop = stringsSetting(call, "stop");
  if (stop) out.stop = stop;
  return out;
}

/** Strict `json_schema` response format for a structured output; nothing for plain text. */
export function responseFormat(format: OutputFormat | undefined): { response_format?: OpenAI.ResponseFormatJSONSchema } {
  if (!format) return {};
  return { response_format: { type: "json_schema", json_schema: { name: format.name, schema: format.schema as Record<string, unknown>, strict: format.open !== true } } };
}

function messageText(call: Call, choice: ChatCompletion.Choice, item: number | undefined): string {
  const m = choice?.message;
  if (typeof m?.content === "string") return m.content;
  if (typeof m?.refusal === "string" && m.refusal) throw fail(call, `${item === undefined ? "" : `answer ${item + 1}: `}the model refused: ${m.refusal}`, { reason: "answer", item });
  throw fail(call, item === undefined ? "the answer has no text" : `answer ${item + 1} has no text`, { reason: "answer", item });
}

function answerWithout(what: string, i: number, n: number): string {
  return n > 1 ? `answer ${i + 1} of ${n} has no ${what}` : `the answer has no ${what}`;
}

/** No SDK retries, the request's signal, and the `timeout` setting for each HTTP request. */
export function requestOptions(call: Call): OpenAI.RequestOptions {
  return { maxRetries: 0, signal: call.signal, ...(call.timeoutMs === undefined ? {} : { timeout: call.timeoutMs }) };
}

/** Any failure of an SDK call, in Feste's words. */
export function openaiFailure(call: Call, e: unknown): ProviderError {
  if (e instanceof ProviderError) return e;
  if (e instanceof APIUserAbortError || call.signal?.aborted) return cancelledFailure(call);
  if (e instanceof APIConnectionTimeoutError) return timeoutFailure(call);
  if (e instanceof APIConnectionError) return networkFailure(call, e);
  if (e instanceof APIError && typeof e.status === "number") {
    if (e.headers) call.onHeaders(e.headers);
    return httpFailure(call, e.status, errorBodies.has(e) ? errorBodies.get(e) : e.error, e.headers);
  }
  // The SDK parses a successful answer's body with JSON.parse and lets its error through.
  if (e instanceof SyntaxError) return fail(call, `the provider's answer is not JSON: ${e.message.charAt(0).toLowerCase()}${e.message.slice(1)}`, { reason: "answer", retryable: true });
  return unreadableFailure(call, e);
}
