/**
 * The stand-in server in a process of its own, so that answering never shares an event loop
 * with the system being measured. Started and driven over IPC by `server-process.ts`: its
 * options arrive as JSON in argv[2]; it answers `stats`, `reset` and `close` messages.
 */
import { startStandIn } from "../../../dist/testing/index.js";
import type { ServerReply, ServerRequest } from "./server-process.js";

const server = await startStandIn(JSON.parse(process.argv[2] ?? "{}"));
const send = (m: ServerReply) => process.send!(m);
send({ kind: "ready", url: server.url, openaiBaseURL: server.openaiBaseURL, cohereBaseURL: server.cohereBaseURL, timeScale: server.timeScale });

process.on("message", async (m: ServerRequest) => {
  if (m.op === "stats") {
    const status429 = server.log.filter((e) => e.status === 429).length;
    const failed = server.log.filter((e) => e.status !== 200 && e.status !== 429).length;
    // Cohere's routes are /v2/* and the legacy /v1/generate; the rest are OpenAI's.
    const provider = (path: string) => (path.startsWith("/v2/") || path === "/v1/generate" ? "cohere" : "openai");
    const firstStart: { openai?: number; cohere?: number } = {};
    for (const e of server.log) firstStart[provider(e.path)] = Math.min(firstStart[provider(e.path)] ?? Infinity, e.start);
    send({ kind: "reply", id: m.id, stats: { requests: server.requests(), status429, otherErrors: failed, byPath: server.byPath(), firstStart } });
  } else if (m.op === "reset") {
    server.reset();
    send({ kind: "reply", id: m.id });
  } else {
    await server.close();
    send({ kind: "reply", id: m.id });
    process.disconnect();
  }
});
