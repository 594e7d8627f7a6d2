/**
 * What a user sees when a distributed run cannot start: Redis unreachable is FE4012 with the
 * host and port (never a password, never a stack trace), and flags that do not go together
 * are usage errors.
 */
import { describe, expect, it } from "vitest";
import { feste } from "../support/cli.js";
import { freePort } from "../support/redis-server.js";

describe("feste exec --scheduler bullmq and feste worker without Redis", () => {
  it("exec: FE4012 naming the host and port, not the password; exit 1", async () => {
    const port = await freePort();
    const r = feste(["exec", "examples/seed.feste", "--fake", "--scheduler", "bullmq", "--redis", `redis://:s3cret@127.0.0.1:${port}`]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("error[FE4012]");
    expect(r.err).toContain(`127.0.0.1:${port}`);
    expect(r.err).not.toContain("s3cret");
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it("worker: FE4012, exit 1", async () => {
    const port = await freePort();
    const r = feste(["worker", "--redis", `redis://127.0.0.1:${port}`]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("error[FE4012]: cannot reach Redis");
  });

  it("a URL that is not redis:// is FE4012 too", () => {
    const r = feste(["worker", "--redis", "http://127.0.0.1:6379"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("FE4012");
  });

  it("usage errors: an unknown scheduler, bullmq without --redis, --redis alone, --eager with bullmq", () => {
    const cases: [string[], string][] = [
      [["--scheduler", "dask"], "--scheduler takes local or bullmq"],
      [["--scheduler", "bullmq"], "needs --redis"],
      [["--redis", "redis://127.0.0.1:1"], "--redis goes with --scheduler bullmq"],
      [["--scheduler", "bullmq", "--redis", "redis://127.0.0.1:1", "--eager"], "does not go with --scheduler bullmq"],
    ];
    for (const [flags, text] of cases) {
      const r = feste(["exec", "examples/seed.feste", "--fake", ...flags]);
      expect(r.code, flags.join(" ")).toBe(2);
      expect(r.err).toContain(text);
    }
  });
});
