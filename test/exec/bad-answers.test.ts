/**
 * Bad answers through the whole runtime, from the stand-in server: each fails the run with
 * an error that names the client, carries the provider's or the validator's words, and
 * points at the `.feste` call it came from.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FesteRuntimeError } from "../../src/ir/errors.js";
import { optimize } from "../../src/phases/4-optimize/index.js";
import { providerBackend } from "../../src/providers/index.js";
import { runGraph } from "../../src/runtime/run.js";
import { pointAt, startStandIn, type StandInOverride, type StandInServer } from "../../src/testing/index.js";
import { lowerSource } from "../support/pipeline.js";

const PROGRAM = `
client gpt: openai.chat { model: "gpt-4o-mini", temperature: 0 }
enum Category { billing, bug }
type Ticket { category: Category, urgency: int }
prompt classify(t: string) -> Ticket """Classify: {{ t }}"""
graph main(t: string) -> Ticket {
  gpt(classify(t))
}
`;
const CALL = "gpt(classify(t))";

let server: StandInServer;
let answer: StandInOverride | undefined;
beforeAll(async () => {
  server = await startStandIn({ override: () => answer });
});
afterAll(() => server.close());

async function failure(override: StandInOverride): Promise<FesteRuntimeError> {
  answer = override;
  const ir = optimize(lowerSource(PROGRAM));
  const e = await runGraph(ir, "main", { t: "my card was charged twice" }, { backend: providerBackend({ override: pointAt(server) }) }).catch((err: unknown) => err);
  expect(e).toBeInstanceOf(FesteRuntimeError);
  const err = e as FesteRuntimeError;
  expect(err.code).toBe("FE4004");
  expect(err.message).toContain("client `gpt`");
  expect(PROGRAM.slice(err.span!.start, err.span!.end)).toBe(CALL);
  return err;
}

describe("bad answers name the client, the call and what went wrong", () => {
  it("malformed JSON", async () => {
    expect((await failure({ texts: ["Sure! Here it is: {category: bug, urgency: }"] })).message).toContain("the answer is not JSON: it starts with `Sure! Here it is:");
  });
  it("a value of the wrong type", async () => {
    expect((await failure({ texts: ['{"category": "bug", "urgency": "very"}'] })).message).toContain('`urgency` should be an int, got "very"');
  });
  it("a missing field", async () => {
    expect((await failure({ texts: ['{"category": "bug"}'] })).message).toContain("missing the field `urgency`");
  });
  it("an enum value that is not a member", async () => {
    expect((await failure({ texts: ['{"category": "refund", "urgency": 2}'] })).message).toContain("`category` should be one of `billing`, `bug`, got \"refund\"");
  });
  it("a truncated answer", async () => {
    expect((await failure({ texts: ['{"category": "bug", "urg'], finishReason: "length" })).message).toContain("cut off");
  });
  it("no choices at all", async () => {
    expect((await failure({ texts: [] })).message).toContain("the provider answered with no choices");
  });
  it("HTTP 400 with the provider's error body", async () => {
    const body = { error: { message: "Invalid schema for response_format 'Ticket'", type: "invalid_request_error", param: null, code: null } };
    const e = await failure({ status: 400, body });
    expect(e.message).toContain("HTTP 400");
    expect(e.message).toContain("Invalid schema for response_format 'Ticket'");
  });
  it("a body that is not JSON at all", async () => {
    expect((await failure({ raw: "<html>bad gateway</html>", status: 502 })).message).toContain("HTTP 502: <html>bad gateway</html>");
  });
});
