/**
 * Cohere's wire format: chat, embed and rerank v2 and the legacy generate v1, with the limits
 * the real API enforces and the fields cohere-ai 8 parses (it maps snake_case to camelCase and
 * skips validation, so a missing field reaches the caller as `undefined`, not as an error).
 */
import { fakeRanking, fakeVector } from "../fake-answers.js";
import { answerText, chatSeed, completionText, contentText, estimateTokens, stableId } from "./answers.js";
import { cohereError, isObject, type Failure, type Route } from "./route.js";
import { standInToolCalls } from "./tool-calls.js";

const MAX_EMBED_TEXTS = 96;
/** Cohere advises at most 1,000 documents a rerank; past this the stand-in calls it absurd. */
const MAX_RERANK_DOCUMENTS = 10_000;
const MAX_GENERATIONS = 5;

/** `POST /v2/chat`: one conversation; `response_format: { type: "json_object", json_schema }` asks for JSON. */
export const cohereChat: Route = {
  provider: "cohere",
  handle(body) {
    const refused = common(body);
    if (refused) return refused;
    if (!Array.isArray(body.messages) || body.messages.length === 0) return cohereError(400, "invalid request: messages must contain at least one message");
    if (body.messages.some((m: unknown) => !isObject(m) || typeof m.role !== "string")) return cohereError(400, "invalid request: each message needs a role");
    const format = isObject(body.response_format) ? body.response_format : {};
    const messages = (body.messages as any[]).map((m) => ({ role: String(m.role), text: contentText(m.content) }));
    const text = answerText(chatSeed(body.model, messages), {
      schema: format.type === "json_object" && isObject(format.json_schema) ? format.json_schema : undefined,
      json: format.type === "json_object",
    });
    const inputTokens = estimateTokens(messages.map((m) => m.text).join("\n"));
    const toolCalls = standInToolCalls(body.model, body.tools, body.messages);
    return {
      model: body.model,
      items: 1,
      promptTokens: inputTokens,
      texts: [toolCalls ? "" : text],
      render: (texts, finishReason = "COMPLETE") => {
        if (toolCalls && texts.length === 1 && texts[0] === "") {
          const tokens = { input_tokens: inputTokens, output_tokens: estimateTokens(JSON.stringify(toolCalls)) };
          return { id: stableId("", body), finish_reason: "TOOL_CALL", message: { role: "assistant", tool_plan: "I will call the tools.", tool_calls: toolCalls }, usage: { billed_units: tokens, tokens } };
        }
        const outputTokens = texts.reduce((a, t) => a + (t === null ? 0 : estimateTokens(t)), 0);
        const tokens = { input_tokens: inputTokens, output_tokens: outputTokens };
        return {
          id: stableId("", body),
          finish_reason: finishReason,
          message: { role: "assistant", content: texts.filter((t) => t !== null).map((t) => ({ type: "text", text: t })) },
          usage: { billed_units: tokens, tokens },
        };
      },
    };
  },
};

/** `POST /v1/generate` (legacy, kept for the seed's example): one prompt, `num_generations` answers. */
export const cohereGenerate: Route = {
  provider: "cohere",
  handle(body) {
    if (body.stream === true) return cohereError(400, "invalid request: the stand-in server does not stream");
    if (typeof body.prompt !== "string" || body.prompt === "") return cohereError(400, "invalid request: prompt must be a non-empty string");
    if (body.model !== undefined && (typeof body.model !== "string" || body.model === "")) return cohereError(400, "invalid request: model must be a non-empty string");
    const n = body.num_generations ?? 1;
    if (!Number.isInteger(n) || n < 1 || n > MAX_GENERATIONS) return cohereError(400, `invalid request: num_generations must be between 1 and ${MAX_GENERATIONS}`);
    // Generate is the one Cohere endpoint whose model is optional; the API defaults to `command`.
    const model: string = body.model ?? "command";
    const inputTokens = estimateTokens(body.prompt);
    return {
      model,
      items: 1,
      promptTokens: inputTokens,
      texts: [completionText(model, body.prompt)],
      render: (texts, finishReason = "COMPLETE") => {
        const id = stableId("", body);
        const generations = texts.flatMap((text) => Array.from({ length: n }, () => text));
        const outputTokens = generations.reduce((a, t) => a + (t === null ? 0 : estimateTokens(t)), 0);
        const tokens = { input_tokens: inputTokens, output_tokens: outputTokens };
        return {
          id,
          prompt: body.prompt,
          generations: generations.map((text, index) => ({ id: `${id}-${index}`, text, index, finish_reason: finishReason })),
          meta: { api_version: { version: "1" }, billed_units: tokens, tokens },
        };
      },
    };
  },
};

/** `POST /v2/embed`: float embeddings only, in input order (Cohere's embed results carry no index). */
export const cohereEmbed: Route = {
  provider: "cohere",
  handle(body) {
    const refused = common(body);
    if (refused) return refused;
    if (body.images !== undefined) return cohereError(400, "invalid request: the stand-in server embeds texts only");
    const texts = embedTexts(body);
    if (typeof texts === "string") return cohereError(400, `invalid request: ${texts}`);
    if (typeof body.input_type !== "string") return cohereError(400, "invalid request: valid input_type must be provided with the provided model");
    const types: unknown = body.embedding_types ?? ["float"];
    if (!Array.isArray(types) || types.some((t) => t !== "float")) return cohereError(400, `invalid request: the stand-in server only returns "float" embeddings, got embedding_types ${JSON.stringify(types)}`);
    const dimensions = body.output_dimension ?? 8;
    if (!Number.isInteger(dimensions) || dimensions < 1) return cohereError(400, "invalid request: output_dimension must be a positive integer");
    const inputTokens = texts.reduce((a, t) => a + estimateTokens(t), 0);
    return {
      model: body.model,
      items: texts.length,
      promptTokens: inputTokens,
      texts: [],
      render: () => ({
        id: stableId("", body),
        response_type: "embeddings_by_type",
        embeddings: { float: texts.map((t) => fakeVector(`${body.model}\n${t}`, dimensions)) },
        texts,
        meta: { api_version: { version: "2" }, billed_units: { input_tokens: inputTokens } },
      }),
    };
  },
};

/** `POST /v2/rerank`: results sorted by relevance, each with the document's `index`. */
export const cohereRerank: Route = {
  provider: "cohere",
  handle(body) {
    const refused = common(body);
    if (refused) return refused;
    if (typeof body.query !== "string" || body.query === "") return cohereError(400, "invalid request: query must be a non-empty string");
    if (!Array.isArray(body.documents) || body.documents.length === 0) return cohereError(400, "invalid request: list of documents must not be empty");
    if (body.documents.length > MAX_RERANK_DOCUMENTS) return cohereError(400, `invalid request: number of documents must be at most ${MAX_RERANK_DOCUMENTS} - received ${body.documents.length}`);
    const documents = (body.documents as unknown[]).map((d) => (typeof d === "string" ? d : isObject(d) && typeof d.text === "string" ? d.text : undefined));
    if (documents.some((d) => d === undefined)) return cohereError(400, "invalid request: documents must be strings");
    const topN = body.top_n;
    if (topN !== undefined && (!Number.isInteger(topN) || topN < 1)) return cohereError(400, "invalid request: top_n must be a positive integer");
    return {
      model: body.model,
      items: documents.length,
      promptTokens: estimateTokens(body.query) + (documents as string[]).reduce((a, d) => a + estimateTokens(d), 0),
      texts: [],
      render: () => ({
        id: stableId("", body),
        results: fakeRanking(body.query, documents as string[], topN).map((r) => ({ index: r.index, relevance_score: r.score })),
        meta: { api_version: { version: "2" }, billed_units: { search_units: 1 } },
      }),
    };
  },
};

/** What every Cohere v2 endpoint checks first. */
function common(body: Record<string, any>): Failure | undefined {
  if (typeof body.model !== "string" || body.model === "") return cohereError(400, "invalid request: model must be provided");
  if (body.stream === true) return cohereError(400, "invalid request: the stand-in server does not stream");
  return undefined;
}

/** The texts of an embed request (`texts`, or `inputs` with text content), or why the API would refuse them. */
function embedTexts(body: Record<string, any>): string[] | string {
  const raw: unknown = body.texts ?? (Array.isArray(body.inputs) ? body.inputs.map((i: any) => contentText(i?.content)) : undefined);
  if (!Array.isArray(raw) || raw.length === 0) return "texts must be a non-empty list of strings";
  if (raw.length > MAX_EMBED_TEXTS) return `total number of texts must be at most ${MAX_EMBED_TEXTS} - received ${raw.length}`;
  if (raw.some((t) => typeof t !== "string")) return "texts must be strings";
  return raw as string[];
}
