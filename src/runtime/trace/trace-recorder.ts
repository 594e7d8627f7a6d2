/**
 * What a trace of one run holds: every request sent to a provider (client, endpoint, model,
 * items, tokens, start and end, how it ended, which attempt it was) and every cache lookup.
 * Times are milliseconds since the recorder was made. Nothing from a request's settings is
 * kept but the model's name, so an API key can never reach a trace.
 */

/** One request as it went out and came back (or failed). */
export interface TracedRequest {
  readonly client: string;
  /** `openai.chat`, `cohere.embedding`, ... */
  readonly endpoint: string;
  readonly model?: string;
  readonly method: "complete" | "embed" | "rerank";
  /** Prompts, texts or (for rerank) documents in the request. */
  readonly items: number;
  readonly startMs: number;
  endMs: number;
  inputTokens?: number;
  outputTokens?: number;
  status: "pending" | "ok" | "failed";
  /** The failure's message (providers' messages never carry the key). */
  error?: string;
  /** 1 for the first request with these items to this client; 2 and more for retries. */
  readonly attempt: number;
}

/** The cache answered `hits` of a call group's `items` before anything was sent. */
export interface TracedLookup {
  readonly client: string;
  readonly atMs: number;
  readonly hits: number;
  readonly items: number;
}

/** Collects a run's requests and cache lookups; `toChromeTrace` turns them into a file. */
export class TraceRecorder {
  readonly requests: TracedRequest[] = [];
  readonly lookups: TracedLookup[] = [];
  /** The whole run, for a slice that frames the requests. */
  readonly run: { label: string; startMs: number; endMs?: number };
  private readonly origin = performance.now();
  /** Items of failed requests, by client, to number the attempts that follow. */
  private readonly failed = new Map<string, (readonly unknown[])[]>();

  constructor(label: string) {
    this.run = { label, startMs: 0 };
  }

  /** Milliseconds since the recorder was made. */
  now(): number {
    return performance.now() - this.origin;
  }

  /** Records a request going out; the caller fills in how it ended. */
  begin(r: Omit<TracedRequest, "startMs" | "endMs" | "status" | "attempt">, items: readonly unknown[]): TracedRequest {
    const earlier = (this.failed.get(r.client) ?? []).filter((f) => sameItems(f, items)).length;
    const entry: TracedRequest = { ...r, startMs: this.now(), endMs: 0, status: "pending", attempt: earlier + 1 };
    this.requests.push(entry);
    return entry;
  }

  end(entry: TracedRequest, failure: { error: string; items: readonly unknown[] } | undefined): void {
    entry.endMs = this.now();
    entry.status = failure ? "failed" : "ok";
    if (failure) {
      entry.error = failure.error;
      const list = this.failed.get(entry.client) ?? [];
      list.push(failure.items);
      this.failed.set(entry.client, list);
    }
  }

  lookup(client: string, hits: number, items: number): void {
    this.lookups.push({ client, atMs: this.now(), hits, items });
  }

  finish(): void {
    this.run.endMs = this.now();
  }
}

/** A retry carries the same items (the same prompt objects, or equal texts). */
function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
