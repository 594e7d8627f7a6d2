/** `feste exec` as a user runs it: streams, exit codes, eager steps, errors with the .feste line. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { feste as run, root, scratch } from "../support/cli.js";

const NO_KEYS = { OPENAI_API_KEY: "", CO_API_KEY: "" };
const feste = (...args: string[]) => run(args, NO_KEYS);
const file = scratch("feste-exec-");

describe("feste exec", () => {
  it("runs the seed example offline: the value on stdout, the summary on stderr", () => {
    const r = feste("exec", "examples/seed.feste", "--fake");
    expect(r.code).toBe(0);
    const value = JSON.parse(r.out) as string[];
    expect(value).toHaveLength(4);
    expect(r.err).toMatch(/main: 2 requests in [\d.]+ s \(graph mode, stand-in server\)/);
    expect(r.err).toMatch(/davinci\s+1 request, 2 items/);
  }, 30_000);

  it("prints nothing but the value with --json, and picks up FILE.input.json", () => {
    const r = feste("exec", "examples/support.feste", "--fake", "--json");
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    const drafts = JSON.parse(r.out) as { ticket: { category: string }; reply: string; escalate: boolean }[];
    expect(drafts.length).toBeGreaterThan(0);
    expect(drafts[0]).toHaveProperty("ticket.category");
  }, 30_000);

  it("steps through the program with --eager, naming each call's line, with the same value", () => {
    const graph = feste("exec", "examples/seed.feste", "--fake", "--json");
    const eager = feste("exec", "examples/seed.feste", "--fake", "--eager");
    expect(eager.code).toBe(0);
    expect(JSON.parse(eager.out)).toEqual(JSON.parse(graph.out));
    const lineOf = (text: string) => readFileSync(join(root, "examples/seed.feste"), "utf8").split("\n").findIndex((l) => l.includes(text)) + 1;
    expect(eager.err).toMatch(new RegExp(`call davinci\\s+examples/seed\\.feste:${lineOf('let p1 = davinci(')}\\s+\\d+ ms`));
    expect(eager.err).toMatch(new RegExp(`call cohere_gen\\s+examples/seed\\.feste:${lineOf('let p3 = cohere_gen(')}\\s`));
    expect(eager.err).toMatch(/3 requests in .* \(eager mode/);
  }, 30_000);

  it("without keys: names every client, the variable to set and --fake, before sending anything, and exits 1", () => {
    const r = feste("exec", "examples/seed.feste");
    expect(r.code).toBe(1);
    expect(r.err).toContain("error[FE4006]: client `cohere_gen` has no API key: set CO_API_KEY");
    expect(r.err).toContain("error[FE4006]: client `davinci` has no API key: set OPENAI_API_KEY");
    expect(r.err).toContain("--fake");
    expect(r.err).toMatch(/--> examples\/seed\.feste:28:/);
    expect(r.out).toBe("");
  }, 30_000);

  it("a call that cannot reach its server fails with the .feste line of the call, and never prints the key", () => {
    const p = file(
      "down.feste",
      'client gpt: openai.chat { model: "m", base_url: "http://127.0.0.1:9/v1", api_key: env("FESTE_TEST_KEY") }\ngraph main(q: string) -> string {\n  gpt(q)\n}\n',
    );
    const r = run(["exec", p, "--input", '{"q": "hi"}'], { ...NO_KEYS, FESTE_TEST_KEY: "sk-secret-123" });
    expect(r.code).toBe(1);
    expect(r.err).toContain("error[FE4004]");
    expect(r.err).toContain("down.feste:3");
    expect(r.err).toContain("gpt(q)");
    expect(r.err + r.out).not.toContain("sk-secret-123");
  }, 30_000);

  it("--json keeps stderr empty even with warnings and many extern calls in flight", () => {
    const r = feste("exec", "examples/pipeline.feste", "--fake", "--json");
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(JSON.parse(r.out)).toHaveLength(JSON.parse(readFileSync(join(root, "examples/pipeline.input.json"), "utf8")).articles.length);
  }, 30_000);

  it("exits promptly after a failed Cohere request (the SDK's own timer does not hold the process)", () => {
    const p = file("co.feste", 'client c: cohere.chat { model: "command-r", base_url: "http://127.0.0.1:1" }\ngraph main(q: string) -> string {\n  c(q)\n}\n');
    const started = Date.now();
    const r = run(["exec", p, "--input", '{"q": "hi"}'], { CO_API_KEY: "test-key" });
    expect(r.code).toBe(1);
    expect(r.err).toContain("could not reach http://127.0.0.1:1");
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 30_000);

  it("a bad flag or cache file ends the run at once, with nothing left running", () => {
    expect(feste("exec", "examples/seed.feste", "--fake", "--deadline", "0").code).toBe(2);
    expect(feste("exec", "examples/seed.feste", "--fake", "--fake-latency", "soon").code).toBe(2);
    const scale = feste("exec", "examples/seed.feste", "--fake", "--time-scale", "0");
    expect(scale.code).toBe(2);
    expect(scale.err).toContain("--time-scale takes a factor");
    const bad = file("not-a-cache.sqlite", "not sqlite");
    const r = feste("exec", "examples/seed.feste", "--fake", "--cache", bad);
    expect(r.code).toBe(1);
    expect(r.err).toContain("FE4009");
  }, 60_000);

  it("rejects input that does not fit the graph with exit 2", () => {
    expect(feste("exec", "examples/support.feste", "--fake", "--input", '{"tickets": 3}').code).toBe(2);
    expect(feste("exec", "examples/support.feste", "--fake", "--input", "not json").code).toBe(2);
  }, 30_000);
});
