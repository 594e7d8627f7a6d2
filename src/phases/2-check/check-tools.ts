/**
 * `tools: [f, g]` and `max_steps: N` on a chat call: the tools are `extern fn` / `extern io fn`
 * names (every type an extern can declare is data, so each has a JSON schema); the bound is a
 * positive whole number known at compile time. Reported here, apart from the endpoint
 * settings, because they are not settings: they make the call a conversation.
 */
import type * as A from "../1-parse/ast.js";
import { didYouMean } from "../../diagnostics/index.js";
import type { ExprChecker } from "./check-expr.js";
import { constantValue } from "./check-extern-io.js";
import type { EndpointSpec } from "./endpoints.js";
import { SYM_WHAT, type Sym } from "./symbols.js";

/** The named arguments that make a chat call a tool-calling conversation. */
export const TOOL_ARGS: ReadonlySet<string> = new Set(["tools", "max_steps"]);

/** Model turns a tool-calling conversation may take unless the call says otherwise. */
export const DEFAULT_MAX_STEPS = 8;

export interface ToolsInfo {
  readonly externs: readonly Extract<Sym, { kind: "extern" }>[];
  readonly maxSteps: number;
}

/** Checks `tools` and `max_steps` (either may be absent); undefined when there are no tools. */
export function checkTools(c: ExprChecker, e: A.Call, endpoint: EndpointSpec | undefined, args: readonly { key: A.Name; value: A.Expr }[]): ToolsInfo | undefined {
  const ctx = c.ctx;
  const tools = args.find((a) => a.key.text === "tools");
  const steps = args.find((a) => a.key.text === "max_steps");
  if (!tools && !steps) return undefined;
  if (endpoint && endpoint.kind !== "chat") {
    ctx.report("FE2126", (tools ?? steps)!.key.span, [`a call of an \`${endpoint.name}\` client`], { help: "use an `openai.chat` or `cohere.chat` client for tool calling" });
    return undefined;
  }
  if (!tools) {
    ctx.report("FE2129", steps!.key.span, [], { help: "add `tools: [...]` or drop `max_steps`" });
    return undefined;
  }
  let maxSteps = DEFAULT_MAX_STEPS;
  if (steps) {
    const v = constantValue(ctx, c.file, steps.value);
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1) ctx.report("FE2128", steps.value.span, [], { help: "write a whole number such as `max_steps: 4`" });
    else maxSteps = v;
  }
  if (tools.value.kind !== "list" || tools.value.items.some((i) => i.kind !== "ident")) {
    ctx.report("FE2127", tools.value.span, [], { help: "name the tools in a list literal: `tools: [search]`" });
    return undefined;
  }
  const externs: Extract<Sym, { kind: "extern" }>[] = [];
  const scope = ctx.scope(c.file);
  for (const item of tools.value.items as A.Ident[]) {
    const sym = scope.get(item.name);
    if (!sym) {
      const candidates = [...scope].filter(([, s]) => s.kind === "extern").map(([n]) => n);
      ctx.report("FE2123", item.span, [item.name], { help: didYouMean(item.name, candidates) ?? "declare it with `extern fn` or `extern io fn`" });
      continue;
    }
    if (sym.kind !== "extern") {
      ctx.report("FE2124", item.span, [item.name, SYM_WHAT[sym.kind]]);
      continue;
    }
    externs.push(sym);
  }
  return { externs, maxSteps };
}
