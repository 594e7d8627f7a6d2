/**
 * A `ModelBackend` that records every request it passes on (see `TraceRecorder`). It sits
 * right above the provider, below the cache and the counter, so it sees exactly what is
 * sent: each retry is a request of its own, and calls answered from the cache are not.
 */
import type { IrClient, Settings } from "../../ir/nodes.js";
import type { Data } from "../../ir/value.js";
import type { CompleteRequest, EmbedRequest, ModelBackend, RequestBase, RerankRequest } from "../backend.js";
import type { TraceRecorder, TracedRequest } from "./trace-recorder.js";

/** Wraps `inner` so each request is recorded in `trace`. */
export function tracingBackend(inner: ModelBackend, trace: TraceRecorder): ModelBackend {
  async function record<R extends RequestBase & { client: IrClient; settings: Settings }, T>(
    method: TracedRequest["method"],
    req: R,
    count: number,
    items: readonly unknown[],
    send: (req: R) => Promise<T>,
  ): Promise<T> {
    const model = req.settings.model ?? req.client.settings.model;
    const entry = trace.begin(
      { client: req.client.name, endpoint: req.client.endpoint ?? "", method, items: count, ...(typeof model === "string" ? { model } : {}) },
      items,
    );
    const onUsage: RequestBase["onUsage"] = (u) => {
      entry.inputTokens = (entry.inputTokens ?? 0) + u.inputTokens;
      entry.outputTokens = (entry.outputTokens ?? 0) + u.outputTokens;
      req.onUsage?.(u);
    };
    try {
      const answer = await send({ ...req, onUsage });
      trace.end(entry, undefined);
      return answer;
    } catch (e) {
      trace.end(entry, { error: e instanceof Error ? e.message : String(e), items });
      throw e;
    }
  }

  return {
    complete: (req: CompleteRequest): Promise<Data[]> => record("complete", req, req.prompts.length, req.prompts, (r) => inner.complete(r)),
    embed: (req: EmbedRequest): Promise<number[][]> => record("embed", req, req.texts.length, req.texts, (r) => inner.embed(r)),
    rerank: (req: RerankRequest): Promise<Data> => record("rerank", req, req.documents.length, [req.query, ...req.documents], (r) => inner.rerank(r)),
  };
}
