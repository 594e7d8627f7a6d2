/**
 * Rate limits nobody declared: the client learns the server's rate, from `x-ratelimit-*`
 * headers where it sends them and from 429s with `retry-after` where it does not, and after
 * the first push-back releases calls at that rate instead of all at once when a hold ends.
 * The first wave may overshoot (nothing is known before the first answer); after it, 429s
 * are rare, nothing fails, and the run ends near the rate floor.
 */
import { describe, expect, it } from "vitest";
import { optimize } from "../../src/phases/4-optimize/index.js";
import { providerBackend } from "../../src/providers/index.js";
import { runGraph } from "../../src/runtime/run.js";
import { pointAt, startStandIn } from "../../src/testing/index.js";
import { lowerSource } from "../support/pipeline.js";

const CALLS = 100;
const PER_WINDOW = 25;
/** A provider minute lasts 2 s: long beside a loaded machine's event-loop delays. */
const SCALE = 30;
const WINDOW_REAL_MS = 60_000 / SCALE;

describe("undeclared rate limits", () => {
  for (const limitHeaders of [true, false]) {
    it(`${limitHeaders ? "with" : "without"} rate-limit headers: no failure, few 429s after the first window, near the rate floor`, async () => {
      const server = await startStandIn({ rateLimit: { requests: PER_WINDOW, windowMs: 60_000, timeScale: SCALE, limitHeaders } });
      try {
        const program = optimize(lowerSource(`client gpt: openai.chat { model: "m", temperature: 0.5 }\ngraph main(xs: string[]) -> string[] { for x in xs { gpt(x) } }\n`));
        const xs = Array.from({ length: CALLS }, (_, i) => `question ${i}`);
        const r = await runGraph(program, "main", { xs }, { backend: providerBackend({ override: pointAt(server) }), timeScale: SCALE });
        expect(r.value).toHaveLength(CALLS);
        const log = [...server.log];
        expect(log.filter((e) => e.status === 200)).toHaveLength(CALLS);
        const first = Math.min(...log.map((e) => e.start));
        const later = log.filter((e) => e.start > first + WINDOW_REAL_MS);
        const refused = later.filter((e) => e.status === 429).length;
        expect(refused).toBeLessThanOrEqual(Math.ceil(later.length * (limitHeaders ? 0.05 : 0.1)));
        // The rate floor is calls / rate; half a window more covers a loaded machine's delays.
        const floor = (CALLS / PER_WINDOW) * WINDOW_REAL_MS;
        const wall = Math.max(...log.map((e) => e.end)) - first;
        expect(wall).toBeLessThanOrEqual(floor * 1.2 + WINDOW_REAL_MS / 2);
      } finally {
        await server.close();
      }
    }, 60_000);
  }
});
