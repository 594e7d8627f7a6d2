/**
 * Probes 5 and 13: `--input` mistakes get a message that says what is wrong and where, and a
 * damaged cache says so in one readable line (FE4009).
 */
import { describe, expect, it } from "vitest";
import { feste, scratch, STACK_LINE } from "./support.js";

const PROGRAM = "graph main(query: string, limit: int?) -> string { query }\n";

describe("--input", () => {
  const s = scratch();
  const file = s.file("in.feste", PROGRAM);
  const bad = s.file("bad.json", '{\n  "query": "a",\n  "limit": }\n');
  const good = s.file("good.json", '{ "query": "a" }\n');

  const cases: [string, string, RegExp][] = [
    ["an unknown key, with did-you-mean", '{"query": "a", "limt": 3}', /^error: --input: `limt` is not a parameter of `main`: did you mean `limit`\?$/m],
    ["an integer beyond 2^53", '{"query": "a", "limit": 9007199254740993}', /^error: --input has an integer beyond 2\^53 - 1 .*pass it as a string$/m],
    ["a JSON error in a file, with file:line:col", `@${bad}`, new RegExp(`^error: --input is not valid JSON at ${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3:12: `, "m")],
    ["a JSON error in text, with line and column", '{"query": "a",,}', /^error: --input is not valid JSON at line 1, column 15: /m],
    ["a file named without @, with a hint", good, new RegExp(`^help: to read the file, write --input @${good.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m")],
  ];
  for (const [name, input, expected] of cases) {
    it(name, async () => {
      const r = await feste(["exec", file, "--fake", "--input", input]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(expected);
      expect(r.err).not.toMatch(STACK_LINE);
      expect(r.out).toBe("");
    });
  }

  it("a correct input still runs", async () => {
    const r = await feste(["exec", file, "--fake", "--json", "--input", `@${good}`]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toBe("a");
  });
});

describe("a damaged cache", () => {
  it("FE4009 reads as one sentence naming the file", async () => {
    const s = scratch();
    const file = s.file("main.feste", "client gpt: openai.chat { model: \"m\", temperature: 0 }\ngraph main() -> string { gpt(\"hi\") }\n");
    const cache = s.file("cache.sqlite", "this is not a database, just text that is long enough to look like a header".repeat(20));
    const r = await feste(["exec", file, "--fake", "--cache", cache]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`error[FE4009]: the cache file \`${cache}\` is not a Feste cache: it is not an SQLite database; delete it, or run with --no-cache`);
    expect(r.err).not.toContain("undefined");
    expect(r.err.match(/the cache file/g)).toHaveLength(1);
  });
});

describe("a base_url read from the environment", () => {
  const s = scratch();
  const file = s.file("env.feste", 'client gpt: openai.chat { model: "m", temperature: 0, base_url: env("FESTE_ABUSE_BASE_URL") }\ngraph main(q: string) -> string { gpt(q) }\n');

  it("is not needed by plan --input or exec --fake, which send nothing there", async () => {
    const [plan, fake] = await Promise.all([feste(["plan", file, "--input", '{"q": "a"}']), feste(["exec", file, "--fake", "--json", "--input", '{"q": "a"}'])]);
    expect(plan.err).not.toContain("FESTE_ABUSE_BASE_URL");
    expect(plan.code).toBe(0);
    expect(fake.err).toBe("");
    expect(fake.code).toBe(0);
    expect(typeof JSON.parse(fake.out)).toBe("string");
  });

  it("is still required by a real run, naming the variable", async () => {
    const r = await feste(["exec", file, "--input", '{"q": "a"}'], { env: { OPENAI_API_KEY: "sk-test-0000000000" } });
    expect(r.code).toBe(1);
    expect(r.err).toContain("setting `base_url` reads FESTE_ABUSE_BASE_URL, which is not set");
  });
});
