import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { FesteRuntimeError } from "../../src/ir/errors.js";
import { createExternPool } from "../../src/runtime/extern-pool.js";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/externs/${name}`, import.meta.url));
const pool = createExternPool({ maxThreads: 2 });
afterAll(() => pool.close());

/** The FE4005 message a call fails with. */
async function failure(module: string, fn: string, args: unknown[] = []): Promise<string> {
  const e: unknown = await pool.run(fixture(module), fn, args as never).then(
    (v) => expect.fail(`expected a failure, got ${JSON.stringify(v)}`),
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(FesteRuntimeError);
  expect((e as FesteRuntimeError).code).toBe("FE4005");
  return (e as Error).message;
}

describe("extern pool: loading and calling", () => {
  it("runs a TypeScript module that imports another one", async () => {
    expect(await pool.run(fixture("text.ts"), "word_count", ["one two  three"])).toBe(3);
    expect(await pool.run(fixture("text.ts"), "shout", ["a b"])).toEqual({ text: "A B", words: ["a", "b"] });
  });

  it("runs a JavaScript module as it is", async () => {
    expect(await pool.run(fixture("math.mjs"), "add", [2, 3])).toBe(5);
  });

  it("gives null for undefined, as JSON does", async () => {
    expect(await pool.run(fixture("math.mjs"), "nothing", [])).toBeNull();
    expect(await pool.run(fixture("math.mjs"), "holes", [])).toEqual([1, null, { b: 2 }]);
  });

  it("evaluates a module once per thread and keeps its state between calls", async () => {
    const counts = await Promise.all(Array.from({ length: 8 }, () => pool.run(fixture("math.mjs"), "loadCount", [])));
    expect(counts.every((n) => n === 1)).toBe(true);
  });
});

describe("extern pool: failures are FE4005", () => {
  it("names a missing file", async () => {
    expect(await failure("missing.ts", "f")).toBe(`cannot find the extern module \`${fixture("missing.ts")}\``);
    expect(await failure("missing.mjs", "f")).toBe(`cannot find the extern module \`${fixture("missing.mjs")}\``);
  });

  it("says why a module cannot load", async () => {
    expect(await failure("broken.ts", "f")).toMatch(/^cannot load the extern module `.*broken\.ts`: Could not resolve "\.\/gone\.js" \(.*broken\.ts:3:\d+\)$/);
    expect(await failure("throws-on-load.mjs", "f")).toBe(`cannot load the extern module \`${fixture("throws-on-load.mjs")}\`: Error: cannot start`);
  });

  it("names a missing export", async () => {
    expect(await failure("math.mjs", "subtract")).toBe(`\`${fixture("math.mjs")}\` does not export a function \`subtract\``);
    expect(await failure("bad.mjs", "notAFunction")).toBe(`\`${fixture("bad.mjs")}\` does not export a function \`notAFunction\``);
  });

  it("names the function and what it threw, without a stack", async () => {
    expect(await failure("bad.mjs", "throwsError")).toBe("`throwsError` threw TypeError: bad input");
    expect(await failure("bad.mjs", "throwsString")).toBe('`throwsString` threw "just a string"');
    expect(await failure("bad.mjs", "rejects")).toBe("`rejects` threw Error: async failure");
  });

  it("rejects results that are not JSON data, saying where", async () => {
    expect(await failure("bad.mjs", "returnsFunction")).toBe("`returnsFunction` returned a function, which is not JSON data");
    expect(await failure("bad.mjs", "returnsDate")).toBe("`returnsDate` returned an instance of Date at `[0].when`, which is not JSON data");
    expect(await failure("bad.mjs", "returnsNaN")).toBe("`returnsNaN` returned NaN at `.score`, which is not JSON data");
    expect(await failure("bad.mjs", "returnsInfinity")).toBe("`returnsInfinity` returned Infinity, which is not JSON data");
    expect(await failure("bad.mjs", "returnsBigint")).toBe("`returnsBigint` returned the bigint 10n, which is not JSON data");
    expect(await failure("bad.mjs", "returnsSymbol")).toBe("`returnsSymbol` returned a symbol at `.s`, which is not JSON data");
    expect(await failure("bad.mjs", "returnsMap")).toBe("`returnsMap` returned an instance of Map, which is not JSON data");
    expect(await failure("bad.mjs", "returnsCycle")).toBe("`returnsCycle` returned a circular reference at `.self`, which is not JSON data");
  });

  it("keeps working after failures", async () => {
    expect(await pool.run(fixture("math.mjs"), "add", [1, 1])).toBe(2);
  });
});

describe("extern pool: threads", () => {
  it("runs two CPU-bound calls at the same time", async () => {
    // Warm both threads first, so thread start-up does not decide the outcome.
    await Promise.all([pool.run(fixture("busy.mjs"), "spin", [50]), pool.run(fixture("busy.mjs"), "spin", [50])]);
    const [a, b] = (await Promise.all([pool.run(fixture("busy.mjs"), "spin", [300]), pool.run(fixture("busy.mjs"), "spin", [300])])) as [number, number][];
    expect(a[0] < b[1] && b[0] < a[1], `intervals ${JSON.stringify([a, b])} should overlap`).toBe(true);
  });

  it("stops a running call when its signal aborts", async () => {
    const controller = new AbortController();
    const reason = new Error("no longer needed");
    const started = performance.now();
    const call = pool.run(fixture("busy.mjs"), "spin", [20_000], controller.signal);
    setTimeout(() => controller.abort(reason), 100);
    await expect(call).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(await pool.run(fixture("math.mjs"), "add", [1, 2])).toBe(3);
  });

  it("does not start a call whose signal has already aborted", async () => {
    const signal = AbortSignal.abort();
    await expect(pool.run(fixture("math.mjs"), "add", [1, 2], signal)).rejects.toBe(signal.reason);
  });

  it("refuses calls after close", async () => {
    const own = createExternPool({ maxThreads: 1 });
    expect(await own.run(fixture("math.mjs"), "add", [1, 2])).toBe(3);
    await own.close();
    await expect(own.run(fixture("math.mjs"), "add", [1, 2])).rejects.toThrow("`add` cannot run: the extern pool is closed");
  });
});

describe("extern pool: process exit", () => {
  const run = promisify(execFile);
  const script = fixture("exit-check.mjs");
  const tmp = mkdtempSync(join(tmpdir(), "feste-pool-exit-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("lets the process exit after close, leaving no bundled files", async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", script, "--close"], { env: { ...process.env, TMPDIR: tmp }, timeout: 20_000 });
    expect(stdout).toBe("3");
    expect(readdirSync(tmp).filter((f) => f.startsWith("feste-extern-"))).toEqual([]);
  });

  it("does not keep the process alive with idle threads, even unclosed", async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", script], { env: { ...process.env, TMPDIR: tmp }, timeout: 20_000 });
    expect(stdout).toBe("3");
  });
});
