/**
 * `feste plan FILE [--graph NAME] [--input JSON|@file] [--no-opt=PASS] [--json]`: what running
 * the graph will send, from the optimized IR, without sending anything.
 */
import { PASSES } from "../phases/4-optimize/index.js";
import { dryRun, planGraph, type Plan, type PlanStep } from "../plan/plan.js";
import { runExtern } from "./extern-loader.js";
import { chooseGraph, compileOrExit, disabledPasses, readInputs } from "./program-options.js";
import { lineLocator } from "./source-lines.js";

export interface PlanOptions {
  graph?: string;
  input?: string;
  opt?: unknown;
  json?: boolean;
  batchApi?: boolean;
}

export async function runPlan(file: string, opts: PlanOptions): Promise<number> {
  const disabled = disabledPasses(opts.opt);
  const result = compileOrExit(file, disabled);
  const program = result.optimized;
  const graph = chooseGraph(result, program, opts.graph, file);
  const inputs = readInputs(program, graph, opts.input);
  const plan = planGraph(program, graph);
  const dry = inputs ? await dryRun(program, graph, inputs, runExtern, { batchApi: opts.batchApi === true }) : undefined;
  const locate = lineLocator(result.program.sources);
  const lineOf = (s: { readonly span?: PlanStep["span"] }) => {
    const at = locate(s.span);
    return at && `${at.file}:${at.line}`;
  };
  const passes = PASSES.map((p) => p.name).filter((n) => !disabled.has(n));
  if (opts.json) {
    const steps = plan.steps.map((s) => ({ ...s, span: undefined, via: undefined, at: lineOf(s), ...(s.via ? { callSite: lineOf({ span: s.via }) } : {}), sharesWith: s.sharesWith?.map((sp) => lineOf({ span: sp })) }));
    const effects = plan.effects.map((e) => ({ ...e, span: undefined, via: undefined, at: lineOf(e), ...(e.via ? { callSite: lineOf({ span: e.via }) } : {}) }));
    process.stdout.write(JSON.stringify({ ...plan, passes, steps, effects, ...(dry ? { dryRun: dry } : {}) }, null, 2) + "\n");
    return 0;
  }
  process.stdout.write(renderPlan(plan, passes, lineOf, dry ? { ...plan, dryRun: dry } : undefined));
  return 0;
}

const money = (x: number) => `$${x < 0.01 ? x.toFixed(5) : x.toFixed(4)}`;
const count = (n: number) => n.toLocaleString("en-US");

function renderPlan(plan: Plan, passes: string[], lineOf: (s: { readonly span?: PlanStep["span"] }) => string | undefined, withRun?: Plan): string {
  // A step of an inlined graph: the call site in this graph, then the callee's own line.
  const where = (s: { readonly span?: PlanStep["span"]; readonly via?: PlanStep["span"] }) => {
    const at = lineOf(s);
    const via = s.via && lineOf({ span: s.via });
    return via && at ? `${via}, in ${at}` : at;
  };
  const out: string[] = [`plan for graph \`${plan.graph}\` (passes: ${passes.join(", ") || "none"})`, ""];
  let level = 0;
  for (const s of plan.steps) {
    if (s.level !== level) {
      level = s.level;
      out.push(`level ${level}`);
    }
    const what = s.kind === "batch" ? "batch" : s.kind;
    const cond = s.conditional ? " (if taken)" : "";
    const at = where(s);
    const shares = s.sharesWith?.length ? `, in the same requests as ${s.sharesWith.map((sp) => lineOf({ span: sp }) ?? "?").join(", ")}` : "";
    out.push(`  ${what.padEnd(6)} ${s.client} (${s.endpoint}): ${s.items.text} item${s.items.value === 1 ? "" : "s"}, ${s.requests.text} request${s.requests.value === 1 ? "" : "s"}${shares}${cond}${at ? `  [${at}]` : ""}`);
  }
  if (plan.steps.length === 0) out.push("no model calls");
  for (const e of plan.effects) {
    const at = where(e);
    out.push(`  io     ${e.fn}: ${e.calls.text} call${e.calls.value === 1 ? "" : "s"}, never merged or cached${e.conditional ? " (if reached)" : ""}${at ? `  [${at}]` : ""}`);
  }
  out.push("", `critical path: ${plan.criticalPath} model call${plan.criticalPath === 1 ? "" : "s"} in sequence`);
  out.push(`requests: ${plan.requests.text}${plan.requests.bound ? " (at most: loops may stop early, branches may not run, calls may leave apart)" : ""}`);
  if (plan.dedupes) out.push("identical calls (embeddings, completions at temperature 0) are asked once: inputs with repeated elements send fewer");
  const run = withRun?.dryRun;
  if (run) {
    const by = Object.entries(run.byClient).map(([c, m]) => `${c} ${count(m.requests)}`).join(", ");
    out.push(`with this input: ${count(run.requests)} request${run.requests === 1 ? "" : "s"}${by ? ` (${by})` : ""}`);
    out.push(`tokens (estimate): ${count(run.inputTokens)} in, up to ${count(run.outputTokens)} out`);
    const batch = run.batchApi ? ", OpenAI calls at the Batch API's half price" : "";
    out.push(run.cost === undefined ? "cost: not estimated (a model is missing from the price table)" : `cost (estimate, prices as of ${run.pricesAsOf}${batch}): ${money(run.cost)}`);
  } else {
    out.push("give --input for exact request counts and a token and cost estimate");
  }
  return out.join("\n") + "\n";
}
