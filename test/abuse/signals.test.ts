/**
 * Probe 9: SIGTERM ends a run as SIGINT does. Requests in flight are aborted (the run ends
 * long before the stand-in would answer), the cache is closed, the trace is written, and the
 * exit code is 143 (130 for SIGINT), with no stack trace.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { feste, scratch, STACK_LINE } from "./support.js";

const PROGRAM = `client gpt: openai.chat { model: "m", temperature: 0 }
graph main(xs: string[]) -> string[] { for x in xs { gpt(x) } }
`;

describe("signals during a run", () => {
  for (const [signal, code, word] of [["SIGTERM", 143, "terminated"], ["SIGINT", 130, "interrupted"]] as const) {
    it(`${signal}: aborts what is in flight, writes the trace, closes the cache, exits ${code}`, async () => {
      const s = scratch();
      const file = s.file("main.feste", PROGRAM);
      const trace = join(s.dir, "trace.json");
      const cache = join(s.dir, "cache.sqlite");
      let sentAt = 0;
      const r = await feste(["exec", file, "--fake", "--fake-latency", "20000", "--cache", cache, "--trace", trace, "--input", JSON.stringify({ xs: ["a", "b", "c"] })], {
        timeoutMs: 15_000,
        // Long enough for the requests to be in flight; they would take 20 s to answer.
        started: (pid) => setTimeout(() => {
          sentAt = performance.now();
          process.kill(pid, signal);
        }, 2500),
      });
      expect(r.timedOut).toBe(false);
      expect(performance.now() - sentAt).toBeLessThan(5000);
      expect(r.code).toBe(code);
      expect(r.err).toContain(`${word}\n`);
      expect(r.err).not.toMatch(STACK_LINE);
      expect(r.out).toBe("");
      const written = JSON.parse(readFileSync(trace, "utf8")) as { traceEvents: { cat?: string }[] };
      expect(written.traceEvents.some((e) => e.cat === "request")).toBe(true);
      expect(existsSync(cache)).toBe(true);
      // Closed cleanly: no write-ahead log left behind for the next run to recover.
      expect(existsSync(`${cache}-wal`)).toBe(false);
    }, 30_000);
  }
});
