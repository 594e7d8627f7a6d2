/**
 * What the evaluator asks of the model side: one method per request. A request may carry
 * several prompts or texts (a batch); the answers come back in the same order. The real
 * providers, the stand-in server's clients and the tests' in-process fake all implement it.
 */
import type { IrClient, Settings } from "../ir/nodes.js";
import type { IrTypeDef } from "../ir/nodes.js";
import type { Type } from "../ir/types.js";
import type { Data, PromptValue } from "../ir/value.js";

export interface CompleteRequest {
  readonly client: IrClient;
  readonly settings: Settings;
  readonly prompts: readonly PromptValue[];
  /** The answer's type; records and enums are defined in `types`. */
  readonly output: Type;
  readonly types: Readonly<Record<string, IrTypeDef>>;
}

export interface EmbedRequest {
  readonly client: IrClient;
  readonly settings: Settings;
  readonly texts: readonly string[];
}

export interface RerankRequest {
  readonly client: IrClient;
  readonly settings: Settings;
  readonly query: string;
  readonly documents: readonly string[];
}

export interface ModelBackend {
  complete(req: CompleteRequest): Promise<Data[]>;
  embed(req: EmbedRequest): Promise<number[][]>;
  rerank(req: RerankRequest): Promise<Data>;
}
