/**
 * Counts what a run sends, by client: requests, items, requests in flight. It wraps any
 * backend, so graph mode, eager mode and every provider are counted the same way.
 */
import type { Data } from "../ir/value.js";
import type { CompleteRequest, EmbedRequest, ModelBackend, RerankRequest } from "./backend.js";

export interface ClientCount {
  requests: number;
  items: number;
  failed: number;
}

export class CountingBackend implements ModelBackend {
  readonly byClient: Record<string, ClientCount> = {};
  inFlight = 0;

  constructor(
    private readonly inner: ModelBackend,
    private readonly onChange?: () => void,
  ) {}

  complete(req: CompleteRequest): Promise<Data[]> {
    return this.count(req.client.name, req.prompts.length, () => this.inner.complete(req));
  }

  embed(req: EmbedRequest): Promise<number[][]> {
    return this.count(req.client.name, req.texts.length, () => this.inner.embed(req));
  }

  rerank(req: RerankRequest): Promise<Data> {
    return this.count(req.client.name, 1, () => this.inner.rerank(req));
  }

  get requests(): number {
    return Object.values(this.byClient).reduce((t, c) => t + c.requests, 0);
  }

  private async count<T>(client: string, items: number, send: () => Promise<T>): Promise<T> {
    const c = (this.byClient[client] ??= { requests: 0, items: 0, failed: 0 });
    c.requests++;
    c.items += items;
    this.inFlight++;
    this.onChange?.();
    try {
      return await send();
    } catch (e) {
      c.failed++;
      throw e;
    } finally {
      this.inFlight--;
      this.onChange?.();
    }
  }
}
