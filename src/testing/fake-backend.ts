/**
 * An in-process model backend with deterministic answers and a request log, for tests and
 * for comparing how many requests two versions of a graph send.
 */
import type { CompleteRequest, EmbedRequest, ModelBackend, RerankRequest } from "../runtime/backend.js";
import type { Data } from "../ir/value.js";
import { answerKey, fakeRanking, fakeValue, fakeVector, promptContent } from "./fake-answers.js";
import { standInToolCalls } from "./stand-in/tool-calls.js";

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
    // A turn that offers tools is answered as the stand-in answers it, so both agree on steps.
    if (typeof req.settings.tools === "string") return req.prompts.map((p) => fakeToolTurn(req, p) ?? fakeValue(req.output, answerKey(req.settings, promptContent(p)), req.types));
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

/** The stand-in's tool calls for a tool-offering turn, or undefined when it answers instead. */
function fakeToolTurn(req: CompleteRequest, p: CompleteRequest["prompts"][number]): Data | undefined {
  const tools = (JSON.parse(req.settings.tools as string) as { name: string; parameters: unknown }[]).map((t) => ({ type: "function", function: t }));
  const messages = p.$prompt.messages.map((m) => ({ role: m.role, content: m.content, ...(m.toolCalls ? { tool_calls: m.toolCalls } : {}) }));
  const model = typeof req.settings.model === "string" ? req.settings.model : "";
  const calls = standInToolCalls(model, tools, messages);
  return calls && ({ $toolCalls: calls.map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments })) } as unknown as Data);
}
