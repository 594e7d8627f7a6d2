/**
 * Probe 10: with `--json`, every failure is one JSON document on stdout of one documented
 * shape, `{ "error": E, "errors": [E, ...] }`, E a diagnostic with `kind` (see
 * `src/cli/failure.ts` and the README): usage, input, key, deadline and runtime failures,
 * one test each, plus a program that does not check.
 */
import { describe, expect, it } from "vitest";
import { feste, scratch, STACK_LINE, type Ran } from "./support.js";

interface Failure {
  kind: string;
  code: string | null;
  severity: string;
  message: string;
  span?: { file: string; line: number; column: number };
  labels: unknown[];
  notes: unknown[];
  help?: string;
}

/** The failure document on stdout, checked for its shape; nothing on stderr says `error`. */
function failure(r: Ran): Failure {
  expect(r.err).not.toMatch(STACK_LINE);
  expect(r.err).not.toMatch(/^error/m);
  const doc = JSON.parse(r.out) as { error: Failure; errors: Failure[] };
  expect(Object.keys(doc).sort()).toEqual(["error", "errors"]);
  expect(doc.errors.length).toBeGreaterThanOrEqual(1);
  expect(doc.error).toEqual(doc.errors[0]);
  for (const e of doc.errors) {
    expect(typeof e.kind).toBe("string");
    expect(e.code === null || /^FE\d{4}$/.test(e.code)).toBe(true);
    expect(e.severity).toBe("error");
    expect(typeof e.message).toBe("string");
    expect(Array.isArray(e.labels) && Array.isArray(e.notes)).toBe(true);
  }
  return doc.error;
}

const PROGRAM = `client gpt: openai.chat { model: "m", temperature: 0, api_key: env("FESTE_JSON_TEST_KEY") }
graph main(xs: string[]) -> string[] { for x in xs { gpt(x) } }
`;
const INPUT = JSON.stringify({ xs: ["a"] });

describe("--json failures: one document, one shape", () => {
  const s = scratch();
  const file = s.file("main.feste", PROGRAM);

  it("usage: an unknown flag", async () => {
    const r = await feste(["exec", file, "--json", "--fake", "--bogus"]);
    expect(r.code).toBe(2);
    expect(failure(r)).toMatchObject({ kind: "usage", code: null, message: "unknown option '--bogus'" });
  });

  it("usage: a flag's value", async () => {
    const r = await feste(["exec", file, "--json", "--fake", "--input", INPUT, "--deadline", "soon"]);
    expect(r.code).toBe(2);
    expect(failure(r)).toMatchObject({ kind: "usage", code: null, message: "--deadline takes seconds, not `soon`" });
  });

  it("input: broken JSON, with the hint for a file named without @", async () => {
    s.file("in.json", INPUT);
    const r = await feste(["exec", file, "--json", "--fake", "--input", `${s.dir}/in.json`]);
    expect(r.code).toBe(2);
    const e = failure(r);
    expect(e).toMatchObject({ kind: "input", code: null, help: `to read the file, write --input @${s.dir}/in.json` });
    expect(e.message).toMatch(/^--input is not valid JSON at line 1, column 1: /);
  });

  it("key: a missing API key, at the call that needs it", async () => {
    const env = { FESTE_JSON_TEST_KEY: "" };
    const r = await feste(["exec", file, "--json", "--input", INPUT], { env });
    expect(r.code).toBe(1);
    const e = failure(r);
    expect(e).toMatchObject({ kind: "key", code: "FE4006", span: { file, line: 2 } });
    expect(e.message).toContain("FESTE_JSON_TEST_KEY");
  });

  it("deadline", async () => {
    const r = await feste(["exec", file, "--json", "--fake", "--fake-latency", "10000", "--deadline", "0.5", "--input", INPUT]);
    expect(r.code).toBe(1);
    expect(failure(r)).toMatchObject({ kind: "deadline", code: null, message: "the run passed its deadline of 0.5 s; nothing more was sent" });
  });

  it("runtime: a failing call, at its .feste line", async () => {
    s.file("ex.ts", `export function boom(x: string): string { throw new Error("no " + x); }\n`);
    const ext = s.file("ext.feste", `extern fn boom(x: string) -> string from "./ex.ts"\ngraph main(x: string) -> string { boom(x) }\n`);
    const r = await feste(["exec", ext, "--json", "--no-cache", "--input", '{"x":"way"}']);
    expect(r.code).toBe(1);
    expect(failure(r)).toMatchObject({ kind: "runtime", code: "FE4005", message: "`boom` threw Error: no way", span: { file: ext, line: 2, column: 35 } });
  });

  it("compile: a program that does not check", async () => {
    const bad = s.file("bad.feste", "graph main(x: int) -> int { y }\n");
    const r = await feste(["exec", bad, "--json", "--fake", "--input", '{"x":1}']);
    expect(r.code).toBe(1);
    expect(failure(r)).toMatchObject({ kind: "compile", code: "FE2003", help: "did you mean `x`?" });
  });
});
