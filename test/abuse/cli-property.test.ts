/**
 * Probe: exit code 70 ("internal error") cannot be reached from any input. Random argv, files
 * and `--input` values drive the built CLI in child processes, a few at a time, each killed by
 * its pid when it overstays. Every run must end with no exit 70, no stack trace on stderr and,
 * with `--json`, stdout empty or one JSON document, and for a usage or input failure (exit
 * 2) the documented failure document (`src/cli/failure.ts`). FESTE_ABUSE_CASES sets the
 * number of cases, 500 by default. Each case is a process start (about 0.4 s of CPU), so
 * 500 cases take about 100 s on an idle 2-core machine, longer on a busy one; set
 * FESTE_ABUSE_CASES=100 for a quick look.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { feste, scratch, STACK_LINE, type Ran } from "./support.js";

const CASES = Number(process.env.FESTE_ABUSE_CASES ?? 500);

const s = scratch();
mkdirSync(join(s.dir, "folder.feste"));
const FILES = [
  s.file("good.feste", 'client gpt: openai.chat { model: "m", temperature: 0 }\ngraph main(q: string, n: int?) -> string { gpt(q) }\n'),
  s.file("pure.feste", 'graph main() -> string { "hi" }\n'),
  s.file("syntax.feste", "graph main( -> { \"\"\" {{ \n"),
  s.file("types.feste", "graph main(q: string) -> int { q }\n"),
  s.file("binary.feste", Buffer.from([0x67, 0xff, 0x00, 0xfe, 0x80])),
  s.file("empty.feste", ""),
  s.file("input.json", '{"q": "a"}'),
  s.file("broken.json", '{"q": '),
  join(s.dir, "folder.feste"),
  join(s.dir, "missing.feste"),
];

const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("", "-", "--", "0", "-1", "1e309", "NaN", "@", "{}", "[]", "null"));
const input = fc.oneof(
  fc.json({ maxDepth: 2 }),
  fc.constantFrom('{"q": "a"}', '{"q": 1}', '{"q": "a", "n": 9007199254740993}', '{"q": "a", "nn": 1}', `@${FILES[6]}`, `@${FILES[7]}`, FILES[6], "@"),
  text,
);
const file = fc.oneof(fc.constantFrom(...FILES), text);
const COMMANDS = ["check", "compile", "exec", "plan", "graph", "fmt", "test", "explain", "bogus"] as const;
const FLAGS: fc.Arbitrary<string[]>[] = [
  fc.constant(["--json"]),
  fc.constant(["--fake"]),
  fc.constant(["--eager"]),
  fc.constant(["--keep-going"]),
  input.map((v) => ["--input", v]),
  text.map((v) => ["--graph", v]),
  text.map((v) => ["--deadline", v]),
  text.map((v) => ["--no-opt", v]),
  text.map((v) => ["--format", v]),
  text.map((v) => ["--fake-latency", v]),
  fc.constant(["--no-cache"]),
  text.map((v) => ["-o", v.length > 0 && !v.startsWith("-") ? join(s.dir, "out") : v]),
  text.map((v) => [`--${v}`]),
];
const argv = fc
  .tuple(fc.constantFrom(...COMMANDS), fc.array(file, { maxLength: 2 }), fc.array(fc.oneof(...FLAGS), { maxLength: 4 }), fc.boolean())
  // `exec` without `--fake` would go to the network; every case is offline.
  .map(([command, files, flags, fake]) => [command, ...files, ...flags.flat(), ...(command === "exec" || command === "test" || fake ? ["--fake"] : [])]);

function check(args: string[], r: Ran): void {
  const what = `feste ${JSON.stringify(args)}\n${r.err}`;
  expect(r.timedOut, what).toBe(false);
  expect(r.code, what).not.toBe(70);
  expect(r.err, what).not.toMatch(STACK_LINE);
  expect(r.err, what).not.toContain("internal error");
  if (args.includes("--json") && r.out.trim() !== "") expect(() => JSON.parse(r.out), what).not.toThrow();
  if (args.includes("--json") && r.code === 2) {
    const doc = JSON.parse(r.out) as { error?: { kind?: unknown; message?: unknown }; errors?: unknown[] };
    expect(["usage", "input"], what).toContain(doc.error?.kind);
    expect(typeof doc.error?.message, what).toBe("string");
    expect(doc.errors?.[0], what).toEqual(doc.error);
  }
}

describe("the CLI under random argv, files and --input", () => {
  it(`never reaches exit 70 or prints a stack trace (${CASES} cases)`, async () => {
    const cases = fc.sample(argv, CASES);
    for (let i = 0; i < cases.length; i += 4) {
      const batch = cases.slice(i, i + 4);
      const runs = await Promise.all(batch.map((a) => feste(a, { cwd: s.dir, timeoutMs: 15_000, env: { OPENAI_API_KEY: "", CO_API_KEY: "" } })));
      batch.forEach((a, k) => check(a, runs[k]));
    }
  }, 900_000);
});
