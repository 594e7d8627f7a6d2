/**
 * Run-time dedupe: at temperature 0 (or with `dedupe: true`) identical calls are asked once
 * per run, wherever they arise (other elements of a `for`, a static call beside it, other
 * branches), in graph and in eager mode; at a higher temperature without `dedupe` every call
 * is sent.
 */
import { describe, expect, it } from "vitest";
import type { Data } from "../../src/ir/value.js";
import { optimize } from "../../src/phases/4-optimize/index.js";
import { runGraph } from "../../src/runtime/run.js";
import { FakeBackend } from "../../src/testing/index.js";
import { lowerSource } from "../support/pipeline.js";

const program = (settings: string, body: string) =>
  lowerSource(`client gpt: openai.chat { model: "m"${settings} }\nprompt ask(x: string) """Q: {{ x }}"""\n${body}\n`);

async function sent(settings: string, body: string, inputs: Record<string, Data>, eager = false) {
  const backend = new FakeBackend();
  const r = await runGraph(optimize(program(settings, body)), "main", inputs, { backend, eager });
  return { requests: backend.requests, value: r.value };
}

const FOR = `graph main(xs: string[]) -> string[] { for x in xs { gpt(ask(x)) } }`;
const FOR_AND_ONE = `graph main(xs: string[], y: string) -> string[][] {
  let all = for x in xs { gpt(ask(x)) }
  let one = gpt(ask(y))
  [all, [one]]
}`;

describe("identical calls of one run", () => {
  for (const eager of [false, true]) {
    const mode = eager ? "eager" : "graph";
    it(`${mode}: for x in ["a", "a", "b"] sends 2 requests at temperature 0`, async () => {
      const r = await sent(", temperature: 0", FOR, { xs: ["a", "a", "b"] }, eager);
      expect(r.requests).toBe(2);
      const [a1, a2, b] = r.value as string[];
      expect(a1).toBe(a2);
      expect(b).not.toBe(a1);
    });

    it(`${mode}: ["a", "a", "a"] and a static call on "a" send 1 request`, async () => {
      const r = await sent(", temperature: 0", FOR_AND_ONE, { xs: ["a", "a", "a"], y: "a" }, eager);
      expect(r.requests).toBe(1);
      const [all, [one]] = r.value as string[][];
      expect(all).toEqual([one, one, one]);
    });

    it(`${mode}: dedupe: true merges them at a higher temperature too`, async () => {
      expect((await sent(", temperature: 0.9, dedupe: true", FOR, { xs: ["a", "a", "b"] }, eager)).requests).toBe(2);
    });

    it(`${mode}: at a higher temperature without dedupe every call is sent`, async () => {
      expect((await sent(", temperature: 0.9", FOR, { xs: ["a", "a", "b"] }, eager)).requests).toBe(3);
    });
  }

  it("branches of different elements asking the same thing share one request", async () => {
    const body = `graph main(xs: string[]) -> string[] { for x in xs { if x == "b" { gpt(ask("same")) } else { gpt(ask("same")) } } }`;
    const r = await sent(", temperature: 0", body, { xs: ["a", "b", "c"] });
    expect(r.requests).toBe(1);
  });
});
