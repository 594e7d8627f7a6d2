/**
 * Test blocks lowered and run in process: each assert is checked and a failed comparison
 * carries both sides; the test's model calls are batched like a graph's; a test whose run
 * fails reports the runtime error instead of assert outcomes.
 */
import { describe, expect, it } from "vitest";
import { compileTests } from "../../src/compile.js";
import { memoryHost } from "../../src/phases/1-parse/index.js";
import { passed, runTest } from "../../src/runtime/run-tests.js";
import { FakeBackend } from "../../src/testing/index.js";

const PROGRAM = `
client davinci: openai.completion { model: "gpt-3.5-turbo-instruct", temperature: 0 }
prompt ask(q: string) """Q: {{ q }}"""

test batched {
  let answers = for q in ["a", "b", "c", "d"] { davinci(ask(q)) }
  assert len(answers) == 4
  assert (len(answers) == 5)
  assert contains(answers, "nothing like this")
}

test crashes {
  assert [1, 2][5] == 1
}
`;

function suite() {
  const r = compileTests("main.feste", memoryHost({ "main.feste": PROGRAM }));
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.suite!;
}

describe("runTest", () => {
  it("checks every assert, with both sides of a failed comparison, and batches the test's calls", async () => {
    const s = suite();
    const backend = new FakeBackend();
    const o = await runTest(s.program, s.tests[0], { backend });
    expect(passed(o)).toBe(false);
    expect(o.failures.map((f) => [f.assert.compare, f.left, f.right])).toEqual([["==", 4, 5], [undefined, undefined, undefined]]);
    expect(o.failures[0].assert.span.start).toBe(PROGRAM.indexOf("(len(answers) == 5)"));
    // Four completions in one request: the optimizer batched the test's loop.
    expect(backend.log).toEqual([{ client: "davinci", endpoint: "complete", items: 4 }]);
  });

  it("reports a run that fails as an error of the test, at its line", async () => {
    const s = suite();
    const o = await runTest(s.program, s.tests[1], { backend: new FakeBackend() });
    expect(o.failures).toEqual([]);
    expect(o.error).toMatchObject({ code: "FE4003", span: { start: PROGRAM.indexOf("[1, 2][5]") } });
  });
});
