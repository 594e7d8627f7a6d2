/**
 * Cancellation stops new requests at once (by the server's log), and an API key never shows
 * in any output: values, errors (even when a hostile server echoes it back), the CLI's
 * streams, plans and generated modules.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileToTypeScript } from "../../src/compile.js";
import { memoryHost } from "../../src/phases/1-parse/index.js";
import { optimize } from "../../src/phases/4-optimize/index.js";
import { dryRun } from "../../src/plan/plan.js";
import { providerBackend } from "../../src/providers/index.js";
import { runGraph } from "../../src/runtime/run.js";
import { pointAt, startStandIn, type StandInServer } from "../../src/testing/index.js";
import { root, scratch } from "../support/cli.js";
import { lowerSource } from "../support/pipeline.js";

const KEY = "sk-feste-test-RECOGNISABLE-0123456789abcdef";

describe("cancellation", () => {
  it("stops sending within 100 ms of the abort", async () => {
    const server = await startStandIn({ latencyMs: 40 });
    try {
      const ir = optimize(lowerSource(`client gpt: openai.chat { model: "m", temperature: 0, max_concurrency: 4 }\ngraph main(xs: string[]) -> string[] { for x in xs { gpt(x) } }\n`));
      const abort = new AbortController();
      let abortedAt = 0;
      setTimeout(() => {
        abortedAt = performance.now();
        abort.abort(new Error("stop"));
      }, 150);
      const xs = Array.from({ length: 100 }, (_, i) => `q${i}`);
      await expect(runGraph(ir, "main", { xs }, { backend: providerBackend({ override: pointAt(server) }), signal: abort.signal })).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 150));
      expect(server.requests()).toBeGreaterThan(0);
      expect(server.requests()).toBeLessThan(100);
      for (const e of server.log) expect(e.start).toBeLessThan(abortedAt + 100);
    } finally {
      await server.close();
    }
  });
});

describe("API keys never appear", () => {
  let server: StandInServer;
  beforeAll(async () => {
    // A hostile server that echoes the Authorization header back in its error message.
    server = await startStandIn({ override: (req) => (req.body?.messages?.[0]?.content === "echo" ? { status: 401, body: { error: { message: `bad key ${req.body.auth ?? ""} Bearer ${KEY}` } } } : undefined) });
  });
  afterAll(() => server.close());

  const program = () => `client gpt: openai.chat { model: "m", temperature: 0, base_url: "${server.openaiBaseURL}", api_key: env("FESTE_KEY") }
graph main(q: string) -> string { gpt(q) }
`;

  it("in values, errors, plans and generated modules", async () => {
    const ir = optimize(lowerSource(program()));
    const backend = providerBackend({ env: { FESTE_KEY: KEY } });
    const ok = await runGraph(ir, "main", { q: "hello" }, { backend });
    const failed = await runGraph(ir, "main", { q: "echo" }, { backend }).catch((e: Error) => e);
    const plan = await dryRun(ir, "main", { q: "hello" });
    const generated = compileToTypeScript(["main.feste"], memoryHost({ "main.feste": program() }), "out").files;
    const everything = JSON.stringify([ok, String(failed), (failed as Error).message, (failed as Error).stack, plan, generated]);
    expect(everything).toContain("bad key");
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain("RECOGNISABLE");
  });

  it("in the CLI's output", async () => {
    const file = scratch("feste-keys-")("main.feste", program());
    const run = (q: string) =>
      new Promise<string>((resolve) => {
        const child = spawn(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), "exec", file, "--input", JSON.stringify({ q })], {
          cwd: root,
          env: { ...process.env, FESTE_KEY: KEY, NO_COLOR: "1" },
        });
        let out = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (out += d));
        child.on("close", () => resolve(out));
      });
    const both = (await run("hello")) + (await run("echo"));
    expect(both).toContain("bad key");
    expect(both).not.toContain(KEY);
  }, 30_000);
});
