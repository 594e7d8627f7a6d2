/**
 * OpenAI's wire format: `/v1/chat/completions`, `/v1/completions` and `/v1/embeddings`, with
 * the limits the real API enforces and the response fields openai-node reads.
 */
import { fakeVector } from "../fake-answers.js";
import { answerText, chatSeed, completionText, contentText, estimateTokens, shuffled, stableId } from "./answers.js";
import { isObject, openaiError, type Failure, type Route } from "./route.js";
import { standInToolCalls } from "./tool-calls.js";

/** Fixed so that whole responses, not only answers, are the same from run to run. */
const CREATED = 1_700_000_000;
/** The real API's cap on inputs per embeddings request. */
const MAX_EMBEDDING_INPUTS = 2048;
/** Choices per completions request (prompts × n), as DESIGN's provider facts give it. */
const MAX_COMPLETION_CHOICES = 128;

/** `POST /v1/chat/completions`: one conversation; `n` repeats its answer. */
export const openaiChat: Route = {
  provider: "openai",
  handle(body) {
    const refused = common(body) ?? refuseMessages(body.messages);
    if (refused) return refused;
    const format = body.response_format;
    if (isObject(format) && format.type === "json_schema" && !isObject(format.json_schema?.schema)) {
      return openaiError(400, "Missing required parameter: 'response_format.json_schema.schema'.", "response_format.json_schema.schema", "missing_required_parameter");
    }
    const messages = (body.messages as any[]).map((m) => ({ role: String(m.role), text: contentText(m.content) }));
    const text = answerText(chatSeed(body.model, messages), {
      schema: format?.type === "json_schema" ? format.json_schema.schema : undefined,
      json: format?.type === "json_object",
    });
    const n = typeof body.n === "number" ? body.n : 1;
    const promptTokens = estimateTokens(messages.map((m) => m.text).join("\n"));
    const toolCalls = standInToolCalls(body.model, body.tools, body.messages);
    return {
      model: body.model,
      items: 1,
      promptTokens,
      // A turn that calls tools has no text; a test's override of the texts answers instead.
      texts: [toolCalls ? "" : text],
      render: (texts, finishReason = "stop") => toolCalls && texts.length === 1 && texts[0] === "" ? {
        id: stableId("chatcmpl-", body),
        object: "chat.completion",
        created: CREATED,
        model: body.model,
        choices: [{ index: 0, message: { role: "assistant", content: null, tool_calls: toolCalls, refusal: null, annotations: [] }, logprobs: null, finish_reason: "tool_calls" }],
        usage: usage(promptTokens, [JSON.stringify(toolCalls)], 1),
      } : ({
        id: stableId("chatcmpl-", body),
        object: "chat.completion",
        created: CREATED,
        model: body.model,
        choices: texts.flatMap((content) =>
          Array.from({ length: n }, () => ({ message: { role: "assistant", content, refusal: null, annotations: [] }, logprobs: null, finish_reason: finishReason })),
        ).map((choice, index) => ({ index, ...choice })),
        usage: usage(promptTokens, texts, n),
      }),
    };
  },
};

/** `POST /v1/completions`: `prompt` is a string or a list; choice `index` is prompt × n + j. */
export const openaiCompletions: Route = {
  provider: "openai",
  handle(body, ctx) {
    const refused = common(body);
    if (refused) return refused;
    const prompts: unknown[] = typeof body.prompt === "string" ? [body.prompt] : Array.isArray(body.prompt) ? body.prompt : [];
    if (prompts.length === 0 || !prompts.every((p) => typeof p === "string")) {
      return openaiError(400, "'$.prompt' is invalid: expected a string or a non-empty list of strings.", "prompt");
    }
    const n = typeof body.n === "number" ? body.n : 1;
    if (prompts.length * n > MAX_COMPLETION_CHOICES) {
      return openaiError(400, `Too many choices: ${prompts.length} prompts × n=${n} is over the limit of ${MAX_COMPLETION_CHOICES} per request.`, "prompt");
    }
    const texts = (prompts as string[]).map((p) => completionText(body.model, p));
    const promptTokens = (prompts as string[]).reduce((a, p) => a + estimateTokens(p), 0);
    return {
      model: body.model,
      items: prompts.length,
      promptTokens,
      texts,
      render: (answers, finishReason = "stop") => {
        const choices = answers.flatMap((text, i) => Array.from({ length: n }, (_, j) => ({ text, index: i * n + j, logprobs: null, finish_reason: finishReason })));
        return {
          id: stableId("cmpl-", body),
          object: "text_completion",
          created: CREATED,
          model: body.model,
          choices: shuffled(choices, (c) => `${body.model}\n${c.text}`, ctx.outOfOrder),
          usage: usage(promptTokens, answers, n),
        };
      },
    };
  },
};

/** `POST /v1/embeddings`: float vectors, or little-endian float32 in base64 as openai-node asks by default. */
export const openaiEmbeddings: Route = {
  provider: "openai",
  handle(body, ctx) {
    const refused = common(body);
    if (refused) return refused;
    if (body.input === undefined) return openaiError(400, "Missing required parameter: 'input'.", "input", "missing_required_parameter");
    const inputs = embeddingInputs(body.input);
    if (typeof inputs === "string") return openaiError(400, `'$.input' is invalid: ${inputs}. Please check the API reference: https://platform.openai.com/docs/api-reference.`, "input");
    const dimensions = body.dimensions ?? 8;
    if (!Number.isInteger(dimensions) || dimensions < 1) return openaiError(400, `Invalid 'dimensions': ${JSON.stringify(body.dimensions)}; expected a positive integer.`, "dimensions");
    const encoding = body.encoding_format ?? "float";
    if (encoding !== "float" && encoding !== "base64") return openaiError(400, `Invalid value for 'encoding_format': ${JSON.stringify(encoding)}; supported values are 'float' and 'base64'.`, "encoding_format");
    const tokens = inputs.reduce((a, text) => a + estimateTokens(text), 0);
    return {
      model: body.model,
      items: inputs.length,
      promptTokens: tokens,
      texts: [],
      render: () => {
        const data = inputs.map((text, index) => {
          const vector = fakeVector(`${body.model}\n${text}`, dimensions);
          return { object: "embedding", index, embedding: encoding === "base64" ? float32Base64(vector) : vector };
        });
        return {
          object: "list",
          data: shuffled(data, (d) => inputs[d.index], ctx.outOfOrder),
          model: body.model,
          usage: { prompt_tokens: tokens, total_tokens: tokens },
        };
      },
    };
  },
};

/** What every OpenAI endpoint checks first. */
function common(body: Record<string, any>): Failure | undefined {
  if (typeof body.model !== "string" || body.model === "") return openaiError(400, "you must provide a model parameter", "model");
  if (body.stream === true) return openaiError(400, "The stand-in server does not stream; send `stream: false`.", "stream", "unsupported_value");
  if (body.n !== undefined && (!Number.isInteger(body.n) || body.n < 1 || body.n > 128)) return openaiError(400, `${JSON.stringify(body.n)} is not a valid value for 'n': expected an integer from 1 to 128.`, "n");
  return undefined;
}

function refuseMessages(messages: unknown): Failure | undefined {
  if (!Array.isArray(messages)) return openaiError(400, "Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
  if (messages.length === 0) return openaiError(400, "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", "messages", "empty_array");
  const bad = messages.findIndex((m) => !isObject(m) || typeof m.role !== "string");
  if (bad >= 0) return openaiError(400, `Invalid 'messages[${bad}]': expected an object with a 'role'.`, `messages[${bad}]`);
  return undefined;
}

/**
 * The texts of an embeddings `input` (a string, strings, a token list or token lists), or
 * why the real API would refuse it. Token lists are seeded by their numbers joined with spaces.
 */
function embeddingInputs(input: unknown): string[] | string {
  const isTokens = (x: unknown): x is number[] => Array.isArray(x) && x.length > 0 && x.every((t) => Number.isInteger(t));
  const list: unknown[] = typeof input === "string" || isTokens(input) ? [input] : Array.isArray(input) ? input : [];
  if (list.length === 0) return "expected a non-empty string or list";
  if (list.length > MAX_EMBEDDING_INPUTS) return `array length must be ${MAX_EMBEDDING_INPUTS} or less, got ${list.length}`;
  const texts = list.map((x) => (typeof x === "string" ? x : isTokens(x) ? x.join(" ") : undefined));
  const bad = texts.findIndex((t) => t === undefined || t === "");
  if (bad >= 0) return `item ${bad} is ${texts[bad] === "" ? "an empty string" : "neither a string nor a token list"}`;
  return texts as string[];
}

function float32Base64(vector: readonly number[]): string {
  const buf = Buffer.alloc(vector.length * 4);
  vector.forEach((x, i) => buf.writeFloatLE(x, i * 4));
  return buf.toString("base64");
}

/** Usage as OpenAI reports it; each answer counts once per choice it fills. */
function usage(promptTokens: number, answers: readonly (string | null)[], n: number) {
  const completion = n * answers.reduce((a, t) => a + (t === null ? 0 : estimateTokens(t)), 0);
  return { prompt_tokens: promptTokens, completion_tokens: completion, total_tokens: promptTokens + completion };
}
