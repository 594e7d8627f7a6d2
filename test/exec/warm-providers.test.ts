/**
 * Warm providers: a run loads the SDKs of the clients its graph can call before its first
 * request, so the seed's OpenAI and Cohere requests leave together instead of the Cohere one
 * waiting for its SDK (hundreds of modules, loaded on first use) while the other is out.
 * This file must be the process's first Cohere use, so it holds this one test.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { nodeHost } from "../../src/cli/node-host.js";
import { compileFile } from "../../src/compile.js";
import { providerBackend } from "../../src/providers/index.js";
import { runGraph } from "../../src/runtime/run.js";
import { pointAt, startStandIn } from "../../src/testing/index.js";

const root = join(__dirname, "..", "..");

it("the seed's OpenAI and Cohere requests reach the server together", async () => {
  const program = compileFile(join("examples", "seed.feste"), nodeHost).optimized!;
  const inputs = JSON.parse(readFileSync(join(root, "examples", "seed.input.json"), "utf8"));
  const server = await startStandIn({ latencyMs: 300 });
  try {
    // Node loads its fetch on first use: done here, so only the SDKs are left to load.
    await (await fetch(`${server.url}/health`)).text();
    await runGraph(program, "main", inputs, { backend: providerBackend({ override: pointAt(server) }) });
    const openai = server.log.find((e) => e.path.includes("/completions"))!;
    const cohere = server.log.find((e) => e.path.includes("generate"))!;
    expect(openai).toBeDefined();
    expect(cohere).toBeDefined();
    // Loading the SDK from the sources takes far longer than this margin, even on an idle machine.
    expect(Math.abs(cohere.start - openai.start)).toBeLessThan(40);
  } finally {
    await server.close();
  }
}, 30_000);
