/**
 * A whole graph against a second OpenAI-compatible server written here in a few lines, not
 * the stand-in: `base_url` is all it takes, so nothing depends on the stand-in's quirks. The
 * server answers chat completions by echoing the last user message, in upper case.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { optimize } from "../../src/phases/4-optimize/index.js";
import { providerBackend } from "../../src/providers/index.js";
import { runGraph } from "../../src/runtime/run.js";
import { lowerSource } from "../support/pipeline.js";

let server: Server;
let requests = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      requests++;
      const body = JSON.parse(raw) as { model: string; messages: { role: string; content: string }[] };
      const last = body.messages.at(-1)!.content;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: "x", object: "chat.completion", created: 0, model: body.model, choices: [{ index: 0, message: { role: "assistant", content: last.toUpperCase() }, finish_reason: "stop" }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

it("runs a graph against any OpenAI-compatible server named by base_url", async () => {
  const port = (server.address() as AddressInfo).port;
  const ir = optimize(
    lowerSource(`
client local: openai.chat { model: "llama-3", base_url: "http://127.0.0.1:${port}/v1", api_key: env("LOCAL_KEY"), temperature: 0 }
prompt shout(x: string) """say {{ x }}"""
graph main(words: string[]) -> string[] {
  for w in words { local(shout(local(shout(w)))) }
}
`),
  );
  const backend = providerBackend({ env: { LOCAL_KEY: "k" } });
  const r = await runGraph(ir, "main", { words: ["a", "b", "c"] }, { backend });
  expect(r.value).toEqual(["SAY SAY A", "SAY SAY B", "SAY SAY C"]);
  expect(requests).toBe(6);
});
