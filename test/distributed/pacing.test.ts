/**
 * The pure parts of distributed pacing: how a client's rpm becomes a BullMQ limiter (a fixed
 * window counting jobs) that can never let a provider's minute see more than the limit, and
 * the program a coordinator schedules with pacing left to the queues.
 */
import { describe, expect, it } from "vitest";
import { modelQueue, perWindow, withoutPacing } from "../../src/distributed/queues.js";
import { compileFile } from "../../src/compile.js";
import { memoryHost } from "../../src/phases/1-parse/index.js";

describe("perWindow", () => {
  for (const rpm of [1, 2, 3, 10, 20, 60, 500, 10_000]) {
    it(`rpm ${rpm}: no minute, wherever it starts, holds more than ${rpm} jobs`, () => {
      const { max, windowMs } = perWindow(rpm, 1);
      // A minute overlaps at most ceil(60 s / window) + 1 windows of at most `max` jobs each;
      // a window opens at its first job (BullMQ's counter expires `duration` after it), so
      // one-job windows space their jobs a whole window apart.
      const windows = Math.ceil(60_000 / windowMs - 1e-9);
      const worst = max === 1 ? windows : max * (windows + 1);
      expect(worst).toBeLessThanOrEqual(Math.max(rpm, 1));
      expect(max).toBeGreaterThanOrEqual(1);
    });
  }

  it("keeps most of a limit usable: 54 of 60 a minute, 18 of 20", () => {
    const use = (rpm: number) => {
      const w = perWindow(rpm, 1);
      return Math.round((w.max * 60_000) / w.windowMs);
    };
    expect(use(60)).toBe(54);
    expect(use(20)).toBe(18);
  });

  it("a scaled clock shortens the windows, not the counts", () => {
    expect(perWindow(60, 60)).toEqual({ max: perWindow(60, 1).max, windowMs: perWindow(60, 1).windowMs / 60 });
  });
});

const source = `client a: openai.chat { model: "m", rpm: 60, tpm: 1000, api_key: env("A_KEY") }
client b: openai.chat { model: "m", rpm: 60, api_key: env("B_KEY") }
graph main(x: string) -> string { a(x) + b(x) }
`;

describe("queues", () => {
  const program = compileFile("main.feste", memoryHost({ "main.feste": source })).optimized!;

  it("one queue per account: clients reading different keys do not share a limit", () => {
    const a = modelQueue(program.clients.a, 1);
    const b = modelQueue(program.clients.b, 1);
    expect(a.name).not.toBe(b.name);
    expect(a.limiter).toEqual({ max: 6, duration: 60_000 / 9 });
    expect(a.tokens?.budget).toBe(perWindow(1000, 1).max);
    expect(b.tokens).toBeUndefined();
  });

  it("the coordinator's program leaves pacing to the queues and changes nothing else", () => {
    const stripped = withoutPacing(program);
    expect(JSON.stringify(stripped)).not.toMatch(/"rpm"|"tpm"/);
    expect(stripped.clients.a.settings).toEqual({ model: "m", api_key: { env: "A_KEY" } });
    expect(JSON.stringify(withoutPacing(stripped))).toBe(JSON.stringify(stripped));
  });
});
