/**
 * An in-process model backend with deterministic answers and a request log, for tests and
 * for comparing how many requests two versions of a graph send.
 */
import type { CompleteRequest, EmbedRequest, ModelBackend, RerankRequest } from "../runtime/backend.js";
import type { Data } from "../ir/value.js";
import { answerKey, fakeRanking, fakeValue, fakeVector, promptContent } from "./fake-answers.js";

export interface LoggedRequest {
  readonly client: string;
  readonly endpoint: "complete" | "embed" | "rerank";
  /** Prompts or texts carried by the request. */
  readonly items: number;
}

export class FakeBackend implements ModelBackend {
  readonly log: LoggedRequest[] = [];

  async complete(req: CompleteRequest): Promise<Data[]> {
    this.log.push({ client: req.client.name, endpoint: "complete", items: req.prompts.length });
    return req.prompts.map((p) => fakeValue(req.output, answerKey(req.settings, promptContent(p)), req.types));
  }

  async embed(req: EmbedRequest): Promise<number[][]> {
    this.log.push({ client: req.client.name, endpoint: "embed", items: req.texts.length });
    const dims = typeof req.settings.dimensions === "number" ? req.settings.dimensions : 8;
    return req.texts.map((t) => fakeVector(answerKey(req.settings, t), dims));
  }

  async rerank(req: RerankRequest): Promise<Data> {
    this.log.push({ client: req.client.name, endpoint: "rerank", items: req.documents.length });
    const topN = typeof req.settings.top_n === "number" ? req.settings.top_n : undefined;
    return fakeRanking(answerKey(req.settings, req.query), req.documents, topN);
  }

  get requests(): number {
    return this.log.length;
  }
}
