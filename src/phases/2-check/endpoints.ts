/**
 * The endpoints a client may use and the settings each accepts, with their types and ranges.
 * Ranges follow the providers' documented limits; per-call settings are the ones that may be
 * overridden in a model call (`gpt(p, temperature: 0.7)`).
 */

export type EndpointKind = "chat" | "completion" | "embedding" | "rerank";
export type Provider = "openai" | "cohere";

export interface SettingSpec {
  readonly type: "string" | "int" | "float" | "bool" | "string[]" | "secret";
  readonly min?: number;
  readonly max?: number;
  readonly oneOf?: readonly string[];
  /** May be given per call as a named argument. */
  readonly perCall?: boolean;
}

export interface EndpointSpec {
  readonly provider: Provider;
  readonly name: string;
  readonly kind: EndpointKind;
  readonly settings: Readonly<Record<string, SettingSpec>>;
  /** Items per request the provider accepts, the ceiling for `max_batch`. */
  readonly maxBatch: number;
}

const COMMON: Record<string, SettingSpec> = {
  model: { type: "string", perCall: true },
  base_url: { type: "string" },
  api_key: { type: "secret" },
  max_concurrency: { type: "int", min: 1, max: 10_000 },
  rpm: { type: "int", min: 1 },
  tpm: { type: "int", min: 1 },
  timeout: { type: "float", min: 0.001, max: 86_400 },
  retries: { type: "int", min: 0, max: 100 },
  dedupe: { type: "bool" },
};

const sampling = (maxTemperature: number): Record<string, SettingSpec> => ({
  temperature: { type: "float", min: 0, max: maxTemperature, perCall: true },
  top_p: { type: "float", min: 0, max: 1, perCall: true },
  max_tokens: { type: "int", min: 1, perCall: true },
  stop: { type: "string[]", perCall: true },
  seed: { type: "int", min: 0, perCall: true },
  presence_penalty: { type: "float", min: -2, max: 2, perCall: true },
  frequency_penalty: { type: "float", min: -2, max: 2, perCall: true },
});

function spec(provider: Provider, name: string, kind: EndpointKind, maxBatch: number, extra: Record<string, SettingSpec>): EndpointSpec {
  return {
    provider,
    name,
    kind,
    maxBatch,
    settings: { ...COMMON, max_batch: { type: "int", min: 1, max: maxBatch }, ...extra },
  };
}

/** Every endpoint by its written name, e.g. `openai.chat`. */
export const ENDPOINTS: Readonly<Record<string, EndpointSpec>> = {
  "openai.chat": spec("openai", "openai.chat", "chat", 50_000, { ...sampling(2), batch_endpoint: { type: "bool" } }),
  "openai.completion": spec("openai", "openai.completion", "completion", 128, sampling(2)),
  "openai.embedding": spec("openai", "openai.embedding", "embedding", 2048, {
    dimensions: { type: "int", min: 1, max: 3072, perCall: true },
  }),
  "cohere.chat": spec("cohere", "cohere.chat", "chat", 50_000, sampling(1)),
  // Legacy, kept for the seed's example; one prompt per request.
  "cohere.generate": spec("cohere", "cohere.generate", "completion", 1, sampling(5)),
  "cohere.embedding": spec("cohere", "cohere.embedding", "embedding", 96, {
    input_type: { type: "string", oneOf: ["classification", "clustering", "search_document", "search_query"], perCall: true },
  }),
  "cohere.rerank": spec("cohere", "cohere.rerank", "rerank", 1000, { top_n: { type: "int", min: 1, perCall: true } }),
};

export const COMBINATORS = ["fallback", "round_robin"] as const;
export type Combinator = (typeof COMBINATORS)[number];
