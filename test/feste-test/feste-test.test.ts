/**
 * `feste test` as a user runs it: a passing and a failing program against the stand-in
 * (`--fake`, started inside the spawned CLI), the whole output of the failing run as a golden
 * file, `--filter`, and record then replay: the replayed run, with no stand-in, no network and
 * no API key, prints exactly what the recorded run printed.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { feste } from "../support/cli.js";
import { expectGolden } from "../support/golden.js";

const PASSING = "test/feste-test/programs/passing.feste";
const FAILING = "test/feste-test/programs/failing.feste";
/** No key anywhere: a run that tried to reach a provider would stop with FE4006. */
const NO_KEYS = { OPENAI_API_KEY: "", CO_API_KEY: "" };

describe("feste test", () => {
  it("passes a passing program, one line per test", () => {
    const r = feste(["test", PASSING, "--fake"]);
    expect(r.code).toBe(0);
    expect(r.out.split("\n").filter((l) => l.startsWith("ok"))).toHaveLength(3);
    expect(r.out).toContain('ok    test/feste-test/programs/passing.feste  "triage keeps one ticket per input, in order"');
    expect(r.out).toMatch(/3 tests: 3 passed, 0 failed\n$/);
  });

  it("a bare run at the repository root passes: fixture folders marked .feste-test-skip are not collected", () => {
    const r = feste(["test", "--fake"], NO_KEYS);
    expect(r.err + r.out).not.toMatch(/FAIL|error\[/);
    expect(r.out).toMatch(/(\d+) tests: \1 passed, 0 failed\n$/);
    expect(r.code).toBe(0);
    // Named on the command line, a marked folder's program still runs.
    expect(feste(["test", FAILING, "--fake"], NO_KEYS).code).toBe(1);
  });

  it("fails a failing program with each failed assert's line and both sides", () => {
    const r = feste(["test", FAILING, "--fake"]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("FAIL  test/feste-test/programs/failing.feste  urgent_tickets_escalate");
    expect(r.out).toContain("error[FE4021]: assertion failed: `t.urgency == 99`");
    expect(r.out).toContain("--> test/feste-test/programs/failing.feste:20:10");
    expect(r.out).toContain("= note: right: 99");
    expectGolden(join(__dirname, "programs"), "failing.stdout", r.out);
  });

  it("--json prints the results, with both sides of a failed comparison as values", () => {
    const r = feste(["test", FAILING, "--fake", "--json"]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({ passed: 1, failed: 1 });
    expect(json.tests[1].failures[0]).toMatchObject({ code: "FE4021", left: 3, right: 99, span: { line: 20, column: 10 } });
  });

  it("--filter runs the tests whose name contains the text, and exits 1 when none does", () => {
    const r = feste(["test", FAILING, "--fake", "--filter", "arith"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("1 test: 1 passed, 0 failed");
    const none = feste(["test", FAILING, "--fake", "--filter", "nothing-like-this"]);
    expect(none.code).toBe(1);
    expect(none.err).toContain("no test name contains `nothing-like-this`");
  });

  it("stops before sending anything when a client has no key and there is no --fake or --replay", () => {
    const r = feste(["test", PASSING], NO_KEYS);
    expect(r.code).toBe(1);
    expect(r.err).toContain("error[FE4006]");
  });

  it("--replay does not go with --fake or --record", () => {
    expect(feste(["test", PASSING, "--fake", "--replay", "somewhere"]).code).toBe(2);
  });
});

describe("feste test --record, then --replay offline", () => {
  it("replays the recorded results exactly, with no stand-in, no network and no key", () => {
    const dir = mkdtempSync(join(tmpdir(), "feste-fixtures-"));
    try {
      const recorded = feste(["test", PASSING, FAILING, "--fake", "--record", dir]);
      expect(recorded.code).toBe(1);
      const fixtures = readdirSync(dir).sort();
      // Calls of the passing program and the failing one; each file named by its 64-digit key.
      expect(fixtures.length).toBeGreaterThanOrEqual(5);
      for (const f of fixtures) expect(f).toMatch(/^[0-9a-f]{64}\.json$/);
      const fixture = JSON.parse(readFileSync(join(dir, fixtures[0]), "utf8"));
      expect(Object.keys(fixture)).toEqual(expect.arrayContaining(["client", "provider", "endpoint", "settings", "request", "answer"]));

      // No --fake: nothing is listening, and without keys the providers could not be used.
      const replayed = feste(["test", PASSING, FAILING, "--replay", dir], NO_KEYS);
      expect(replayed.err).toBe("");
      expect(replayed.code).toBe(1);
      expect(replayed.out).toBe(recorded.out);

      // A call that was never recorded fails at its line, naming the fixture it looked for.
      const malvolio = fixtures.find((f) => readFileSync(join(dir, f), "utf8").includes("What is Malvolio?"))!;
      rmSync(join(dir, malvolio));
      const missing = feste(["test", PASSING, "--replay", dir], NO_KEYS);
      expect(missing.code).toBe(1);
      expect(missing.out).toContain("FAIL  test/feste-test/programs/passing.feste  answers_are_text");
      expect(missing.out).toContain(`error[FE4020]: no recorded answer for this call to \`gpt\`: the fixture ${join(dir, malvolio)} is missing`);
      expect(missing.out).toContain("passing.feste:26:15");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
