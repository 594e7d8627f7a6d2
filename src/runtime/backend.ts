/**
 * What the runtime asks of the model side: one method call is one request to the provider.
 * A request may carry several prompts or texts (a batch, never more than the endpoint's
 * `itemsPerRequest`); the answers come back in the same order. Splitting, concurrency and
 * (later) retries belong to the dispatcher, not to the backend. A failure is thrown as a
 * `FesteRuntimeError` (FE4004) whose message names the client and what the provider said;
 * the runtime adds the `.feste` location. The SDK providers, the tests' in-process fake and
 * any custom backend implement it.
 */
import type { IrClient, Settings } from "../ir/nodes.js";
import type { IrTypeDef } from "../ir/nodes.js";
import type { Type } from "../ir/types.js";
import type { Data, PromptValue } from "../ir/value.js";

/** What every request carries besides its items. */
export interface RequestBase {
  readonly signal?: AbortSignal;
  /** Told the response's headers (rate-limit state), also for error responses. */
  readonly onHeaders?: (headers: Headers) => void;
  /** Told the tokens this request used, as the provider counted them (a trace shows them per request). */
  readonly onUsage?: (usage: { readonly inputTokens: number; readonly outputTokens: number }) => void;
}

export interface CompleteRequest extends RequestBase {
  readonly client: IrClient;
  readonly settings: Settings;
  readonly prompts: readonly PromptValue[];
  /** The answer's type; records and enums are defined in `types`. */
  readonly output: Type;
  readonly types: Readonly<Record<string, IrTypeDef>>;
}

export interface EmbedRequest extends RequestBase {
  readonly client: IrClient;
  readonly settings: Settings;
  readonly texts: readonly string[];
}

export interface RerankRequest extends RequestBase {
  readonly client: IrClient;
  readonly settings: Settings;
  readonly query: string;
  readonly documents: readonly string[];
}

export interface ModelBackend {
  complete(req: CompleteRequest): Promise<Data[]>;
  embed(req: EmbedRequest): Promise<number[][]>;
  rerank(req: RerankRequest): Promise<Data>;
  /**
   * Optional: get ready to send to these clients (load SDKs, make SDK clients), so the first
   * request of each does not wait for that. A run calls it before its first request with the
   * clients its graph can call; failures are left for the requests to report.
   */
  warm?(clients: readonly IrClient[]): Promise<void>;
}
