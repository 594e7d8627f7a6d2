/** How model calls are split into requests: item limits and the embedding token budget. */
import { describe, expect, it } from "vitest";
import { itemsPerRequest, requestCount, splitRequests, tokensPerRequest } from "../../src/ir/requests.js";
import type { IrClient } from "../../src/ir/nodes.js";
import { lowerSource, runWithFake } from "../support/pipeline.js";

const client = (endpoint: string, kind: IrClient["kind"]): IrClient => ({ name: "c", endpoint, kind, settings: {} });

describe("request limits", () => {
  it("follow each endpoint's item limits", () => {
    expect(itemsPerRequest(client("openai.completion", "completion"), {})).toBe(20);
    expect(itemsPerRequest(client("openai.completion", "completion"), { max_batch: 5 })).toBe(5);
    expect(itemsPerRequest(client("cohere.generate", "completion"), {})).toBe(1);
    expect(itemsPerRequest(client("openai.embedding", "embedding"), {})).toBe(2048);
    expect(itemsPerRequest(client("cohere.embedding", "embedding"), {})).toBe(96);
    expect(itemsPerRequest(client("openai.chat", "chat"), {})).toBe(1);
    expect(requestCount(client("openai.completion", "completion"), {}, 200)).toBe(10);
    expect(requestCount(client("cohere.embedding", "embedding"), {}, 5000)).toBe(53);
  });

  it("split by count and by token budget, in order", () => {
    const tokens = (s: string) => s.length;
    expect(splitRequests(["aa", "bb", "cc"], 2, undefined, tokens)).toEqual([["aa", "bb"], ["cc"]]);
    expect(splitRequests(["aaaa", "bb", "cc", "dddddd"], 10, 5, tokens)).toEqual([["aaaa"], ["bb", "cc"], ["dddddd"]]);
    expect(tokensPerRequest(client("openai.embedding", "embedding"))).toBe(300_000);
    expect(tokensPerRequest(client("cohere.embedding", "embedding"))).toBeUndefined();
  });

  it("keep an OpenAI embedding request under 300,000 tokens", async () => {
    const ir = lowerSource(`client emb: openai.embedding { model: "text-embedding-3-small" }\ngraph main(xs: string[]) -> float[][] { emb(xs) }`);
    // Three texts of about 120,000 tokens: two fit together, the third needs its own request.
    const big = "lorem ".repeat(120_000);
    const run = await runWithFake(ir, "main", { xs: [big, big + "a", big + "b"] });
    expect(run.log.map((r) => r.items)).toEqual([2, 1]);
    expect((run.value as number[][]).length).toBe(3);
  });
});
