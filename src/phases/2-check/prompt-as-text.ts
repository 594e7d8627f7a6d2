/**
 * A prompt is not an answer: it becomes text only inside another template or through
 * `str(p)`. Where a string is expected and a prompt is found, the user almost always forgot
 * the client, so the diagnostic shows the call with one (`gpt(summarise(r))`), naming a
 * declared client whose endpoint can answer that prompt.
 */
import type * as A from "../1-parse/ast.js";
import type { Extras, Suggestion } from "../../diagnostics/index.js";
import { clientInfo } from "./check-clients.js";
import type { CheckContext } from "./context.js";
import type { EndpointKind } from "./endpoints.js";
import type { Sym } from "./symbols.js";
import { assignable, type Type } from "./types.js";

/**
 * Whether `found` is a prompt (or a list of prompts) where text, or the prompt's own answer
 * type, is expected: a model call with its client left off.
 */
export function isPromptAsText(found: Type, expected: Type): boolean {
  const to = expected.kind === "optional" ? expected.inner : expected;
  if (found.kind === "prompt") return to.kind === "string" || to.kind === "enum" || (to.kind !== "prompt" && assignable(found.output, to));
  if (found.kind === "list" && to.kind === "list") return isPromptAsText(found.element, to.element);
  return false;
}

/** Reports FE2070 for the prompt `e` used where `expected` text is. */
export function reportPromptAsText(ctx: CheckContext, file: string, e: A.Expr, found: Type, expected: Type, show: (t: Type) => string): void {
  ctx.report("FE2070", e.span, [`\`${show(expected)}\``, `\`${show(found)}\``], promptCallHelp(ctx, file, e, found, expected));
}

/**
 * The help and suggestions that send the prompt `e` to a client, or, where text is expected,
 * take its text with `str`.
 */
export function promptCallHelp(ctx: CheckContext, file: string, e: A.Expr, found: Type, expected: Type): Extras {
  const client = fittingClient(ctx, file, found.kind === "prompt" && found.output.kind !== "string" ? ["chat"] : ["chat", "completion"]);
  if (found.kind !== "prompt") {
    return { help: `send each prompt to a client inside the \`for\`, e.g. \`${client ?? "gpt"}(...)\`` };
  }
  const text = ctx.host.readFile(e.span.file)?.slice(e.span.start, e.span.end) ?? "...";
  const asText: Suggestion[] = (expected.kind === "optional" ? expected.inner : expected).kind === "string" ? [{ span: e.span, text: `str(${text})` }] : [];
  const orText = asText.length > 0 ? `, or take its text with \`str(${text})\`` : "";
  if (!client) {
    return {
      help: `declare a chat client and send the prompt to it: \`client gpt: openai.chat { model: "gpt-4o-mini" }\`, then \`gpt(${text})\`${orText}`,
      suggestions: asText,
    };
  }
  return { help: `send it to a model: \`${client}(${text})\`${orText}`, suggestions: [{ span: e.span, text: `${client}(${text})` }, ...asText] };
}

/** The first client visible in `file`, in declaration order, whose endpoint is one of `kinds`. */
function fittingClient(ctx: CheckContext, file: string, kinds: readonly EndpointKind[]): string | undefined {
  for (const [name, sym] of ctx.scope(file)) {
    if (sym.kind !== "client") continue;
    const kind = endpointKind(ctx, sym, new Set());
    if (kind && kinds.includes(kind)) return name;
  }
  return undefined;
}

/** A client's endpoint kind; a combinator's is that of its first member that has one. */
export function endpointKind(ctx: CheckContext, sym: Extract<Sym, { kind: "client" }>, seen: Set<string>): EndpointKind | undefined {
  const info = clientInfo(ctx, sym);
  if (info.endpoint) return info.endpoint.kind;
  for (const m of info.combinator?.members ?? []) {
    const target = ctx.scope(sym.file).get(m);
    if (target?.kind === "client" && !seen.has(m)) {
      seen.add(m);
      const k = endpointKind(ctx, target, seen);
      if (k) return k;
    }
  }
  return undefined;
}
