/**
 * `loop.*` inside a template `{% for %}` (as in Jinja), list `+`, and `fold`/`loop` values,
 * pinned on a program with no model call: the reference interpreter, the scheduler, and
 * both on the optimized graph give the same text.
 */
import { expect, it } from "vitest";
import { optimize } from "../../src/phases/4-optimize/index.js";
import { evaluate } from "../../src/runtime/evaluate.js";
import { runGraph } from "../../src/runtime/run.js";
import { FakeBackend } from "../../src/testing/index.js";
import { lowerSource } from "../support/pipeline.js";

const PROGRAM = `
prompt listing(xs: string[]) """
  {% for x in xs if x != "skip" %}{{ loop.index }}/{{ loop.length }} {{ x }}{% if loop.first %} (first){% endif %}{% if !loop.last %}, {% endif %}{% for y in [1, 2] %}[{{ loop.index0 }}]{% endfor %}{% endfor %}
  """
graph main(xs: string[]) -> string[] {
  let more = xs + ["end"]
  let total = fold acc = 0 for x in more { acc + len(x) }
  let grown = loop s = "a" until len(s) >= 4 max 10 { s + "b" }
  [str(listing(more)), str(total), grown, str(max([1, total]))]
}
`;

it("loop variables, list concatenation, fold and loop agree in every mode", async () => {
  const raw = lowerSource(PROGRAM);
  const xs = ["a", "skip", "bc"];
  const expected = ["1/3 a (first), [0][1]2/3 bc, [0][1]3/3 end[0][1]", "10", "abbb", "10"];
  const backend = new FakeBackend();
  expect(await evaluate(raw, "main", { xs }, { backend })).toEqual(expected);
  expect(await evaluate(optimize(raw), "main", { xs }, { backend, eager: true })).toEqual(expected);
  expect((await runGraph(raw, "main", { xs }, { backend })).value).toEqual(expected);
  expect((await runGraph(optimize(raw), "main", { xs }, { backend })).value).toEqual(expected);
});
