/**
 * `extern io fn`: effects run on the main event loop, once per call (two calls with equal
 * arguments are two calls, in every mode and after every optimizer pass), with `timeout`
 * and `retries`; `feste plan` lists them.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { nodeHost } from "../../src/cli/node-host.js";
import { optimize } from "../../src/phases/4-optimize/index.js";
import { planGraph } from "../../src/plan/plan.js";
import { createExternPool } from "../../src/runtime/extern-pool.js";
import { recordingExterns, replayingExterns } from "../../src/runtime/fixtures/index.js";
import { runGraph } from "../../src/runtime/run.js";
import { FakeBackend } from "../../src/testing/index.js";
import { lowerFile } from "../support/pipeline.js";

const dir = mkdtempSync(join(tmpdir(), "feste-io-"));
writeFileSync(
  join(dir, "effects.mjs"),
  `
const calls = (globalThis.__festeIoCalls ??= []);
export async function bump(key) {
  calls.push(key);
  const n = calls.filter((k) => k === key).length;
  await new Promise((r) => setTimeout(r, 2));
  return n;
}
export async function flaky(key) {
  calls.push("flaky:" + key);
  if (calls.filter((k) => k === "flaky:" + key).length < 3) throw new Error("service unavailable");
  return "ok " + key;
}
export function slow() {
  return new Promise((r) => setTimeout(() => r("late"), 2000));
}
export function pure(x) { return x * 2; }
`,
);
writeFileSync(
  join(dir, "main.feste"),
  `
extern io fn bump(key: string) -> int from "./effects.mjs"
extern io fn flaky(key: string) -> string from "./effects.mjs" { retries: 2 }
extern io fn flaky_once(key: string) -> string from "./flaky.mjs" { retries: 0 }
extern io fn slow() -> string from "./effects.mjs" { timeout: 0.05 }
extern fn pure(x: int) -> int from "./effects.mjs"

graph twice(keys: string[]) -> int[] {
  let a = bump("k")
  let b = bump("k")
  let each = for k in keys { bump(k) }
  flatten([[a + b, pure(2), pure(2)], each])
}

graph retried() -> string { flaky("r") }
graph timed() -> string { slow() }
`.replace(`extern io fn flaky_once(key: string) -> string from "./flaky.mjs" { retries: 0 }\n`, ""),
);

const ioCalls = () => ((globalThis as { __festeIoCalls?: string[] }).__festeIoCalls ??= []);
const pool = createExternPool({ maxThreads: 1 });
afterAll(() => pool.close());
const unoptimized = lowerFile(join(dir, "main.feste"), nodeHost);
const optimized = optimize(unoptimized);

describe("extern io fn", () => {
  for (const [mode, program, eager] of [["graph", optimized, false], ["eager", optimized, true], ["unoptimized", unoptimized, false]] as const) {
    it(`${mode}: two calls with equal arguments are two calls`, async () => {
      ioCalls().length = 0;
      const { value } = await runGraph(program, "twice", { keys: ["k", "m", "k"] }, { backend: new FakeBackend(), externs: pool.run, eager });
      expect(ioCalls().filter((k) => k === "k")).toHaveLength(4);
      expect(ioCalls()).toHaveLength(5);
      const v = value as number[];
      // Each call returns how many calls with its key came so far: the four "k" calls see 1 to 4.
      expect(v[0] + v[3] + v[5]).toBe(1 + 2 + 3 + 4);
      expect(v[4]).toBe(1);
      expect(v.slice(1, 3)).toEqual([4, 4]);
      if (mode === "eager") expect(v).toEqual([3, 4, 4, 3, 1, 4]);
    });
  }

  it("retries a failing call and names the function when the last try fails", async () => {
    ioCalls().length = 0;
    const { value } = await runGraph(optimized, "retried", {}, { backend: new FakeBackend(), externs: pool.run });
    expect(value).toBe("ok r");
    expect(ioCalls()).toEqual(["flaky:r", "flaky:r", "flaky:r"]);
    const failed = runGraph(optimized, "timed", {}, { backend: new FakeBackend(), externs: pool.run });
    await expect(failed).rejects.toMatchObject({ code: "FE4074", message: expect.stringContaining("`slow` failed: `slow` timed out after 0.05 s") });
    await expect(failed).rejects.toHaveProperty("span.start");
  });

  it("feste test --record writes io results and --replay answers them without running anything", async () => {
    const files = new Map<string, string>();
    const store = { read: (n: string) => files.get(n), write: (n: string, t: string) => void files.set(n, t), where: (n: string) => n };
    ioCalls().length = 0;
    const recorded = await runGraph(optimized, "twice", { keys: ["k"] }, { backend: new FakeBackend(), externs: recordingExterns(pool.run, store) });
    expect(files.size).toBe(3); // bump("k") three times: three results, numbered
    ioCalls().length = 0;
    const offline: typeof pool.run = async (module, fn, args, signal, mode) => {
      if (mode === "io") throw new Error("an io extern ran during replay");
      return pool.run(module, fn, args, signal);
    };
    const replayed = await runGraph(optimized, "twice", { keys: ["k"] }, { backend: new FakeBackend(), externs: replayingExterns(offline, store) });
    expect(replayed.value).toEqual(recorded.value);
    expect(ioCalls()).toEqual([]);
    files.clear();
    await expect(runGraph(optimized, "retried", {}, { backend: new FakeBackend(), externs: replayingExterns(offline, store) })).rejects.toMatchObject({ code: "FE4020" });
  });

  it("feste plan lists io calls, never merged, however many elements", () => {
    const plan = planGraph(optimized, "twice");
    expect(plan.effects.map((e) => [e.fn, e.calls.text])).toEqual([["bump", "1"], ["bump", "1"], ["bump", "len(keys)"]]);
  });
});
