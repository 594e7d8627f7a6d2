/**
 * A batch over a list that is all there when it starts goes to the dispatcher in one piece and
 * is cut into requests there: requests as full as the endpoint allows, every answer at its
 * element's index, other calls of the same client joining its last request, and a failed
 * request failing only its own elements.
 */
import { describe, expect, it } from "vitest";
import { FesteRuntimeError } from "../../src/ir/errors.js";
import type { Data } from "../../src/ir/value.js";
import { optimize } from "../../src/phases/4-optimize/index.js";
import type { CompleteRequest, EmbedRequest, ModelBackend, RerankRequest } from "../../src/runtime/backend.js";
import { runGraph } from "../../src/runtime/run.js";
import { FakeBackend } from "../../src/testing/index.js";
import { lowerSource } from "../support/pipeline.js";

/** The fake's answers; each request's texts are logged, and `fails` picks requests to refuse. */
class Logged implements ModelBackend {
  readonly requests: string[][] = [];
  private readonly fake = new FakeBackend();

  constructor(private readonly fails: (texts: readonly string[]) => boolean = () => false) {}

  async embed(req: EmbedRequest): Promise<number[][]> {
    this.requests.push([...req.texts]);
    if (this.fails(req.texts)) throw new FesteRuntimeError("FE4004", `client \`${req.client.name}\` (openai.embedding): HTTP 400: refused`);
    return this.fake.embed(req);
  }
  complete(req: CompleteRequest): Promise<Data[]> {
    return this.fake.complete(req);
  }
  rerank(req: RerankRequest): Promise<Data> {
    return this.fake.rerank(req);
  }
}

const SRC = `
client e: openai.embedding { model: "e", retries: 0 }
graph main(xs: string[], y: string) -> float[][] {
  let vs = for x in xs { e(x) }
  flatten([vs, [e(y)]])
}
`;
const xs = Array.from({ length: 5000 }, (_, i) => `text ${i}`);

describe("a batch over a complete list", () => {
  it("sends 5,001 texts in three even requests (3 x 1,667, within 2,048), each vector in its element's place", async () => {
    const ir = optimize(lowerSource(SRC));
    const backend = new Logged();
    const r = await runGraph(ir, "main", { xs, y: "alone" }, { backend });
    const reference = await runGraph(ir, "main", { xs, y: "alone" }, { backend: new FakeBackend(), eager: true });
    expect(r.value).toEqual(reference.value);
    expect(backend.requests.map((t) => t.length)).toEqual([1667, 1667, 1667]);
    // In order, and the call outside the loop rides in the last request.
    expect(backend.requests.flat()).toEqual([...xs, "alone"]);
  });

  it("with keepGoing, a refused request fails its own elements only; the others keep their vectors", async () => {
    const ir = optimize(lowerSource(SRC));
    // The second of three even requests (texts 1,667 to 3,333) is refused.
    const backend = new Logged((texts) => texts.includes("text 2048"));
    const r = await runGraph(ir, "main", { xs, y: "alone" }, { backend, keepGoing: true });
    const reference = (await runGraph(ir, "main", { xs, y: "alone" }, { backend: new FakeBackend() })).value as Data[];
    const value = r.value as Data[];
    expect(value.slice(0, 1667)).toEqual(reference.slice(0, 1667));
    expect(value.slice(1667, 3334).every((v) => v === null)).toBe(true);
    expect(value.slice(3334)).toEqual(reference.slice(3334));
    expect(r.failures.length).toBeGreaterThan(0);
    const e = r.failures[0] as FesteRuntimeError;
    expect(e.message).toContain("refused");
    expect(SRC.slice(e.span!.start, e.span!.end)).toBe("e(x)");
  });

  it("without keepGoing, the refused request fails the run at the loop's call and nothing more is sent", async () => {
    const ir = optimize(lowerSource(SRC));
    const backend = new Logged(() => true);
    const e = (await runGraph(ir, "main", { xs, y: "alone" }, { backend }).catch((err: unknown) => err)) as FesteRuntimeError;
    expect(e).toBeInstanceOf(FesteRuntimeError);
    expect(e.message).toContain("refused");
    expect(SRC.slice(e.span!.start, e.span!.end)).toBe("e(x)");
    // The two full requests left at once; the rest was still waiting and never went.
    expect(backend.requests.length).toBeLessThanOrEqual(2);
  });
});
