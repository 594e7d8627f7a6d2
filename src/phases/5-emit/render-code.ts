/**
 * Prompt renderers as plain string building: each role section's subgraph becomes one
 * expression (`"Ticket: " + ticket`, loops as `items.map((x) => ...).join("")`, `{% if %}`
 * as a conditional expression), and the sections become the prompt's array of messages (a
 * `messages` section's list spread into it).
 */
import type { IrPrompt } from "../../ir/nodes.js";
import { Locals, operand, Prec, ScopeWriter, type Code, type WriterContext } from "./expr-writer.js";
import { literal } from "./names.js";

/**
 * The statements of a renderer's body. `params` are the parameters' identifiers in order;
 * `taken` the module's names, which locals must not shadow.
 */
export function rendererBody(p: IrPrompt, params: readonly string[], taken: Iterable<string>, cx: WriterContext): string[] {
  const locals = new Locals([...taken, ...params]);
  const w = new ScopeWriter(cx, locals, new Map(p.params.map((param, i) => [param.name, { text: params[i], mode: "typed", prec: 7 } satisfies Code])));
  for (const s of p.sections) w.learn(s.text);
  const messages = p.sections.map((s) => message(s.role, w.scope(s.text)));
  return [...w.lines, `return feste.prompt(${literal(p.lang)}, [\n${messages.join("\n")}\n]);`];
}

/** One message of the array, on one line when it is short; a `messages` section's turns spread in its place. */
function message(role: string, content: Code): string {
  if (role === "messages") {
    if (content.mode !== "typed") return `  ...feste.messages(${content.text}),`;
    return (content.items ?? [`...${operand(content, Prec.Conditional)}`]).map((item) => `  ${item},`).join("\n");
  }
  const text = content.mode === "typed" ? content : { ...content, text: `feste.text(${content.text})`, parts: undefined };
  const one = `  { role: ${literal(role)}, content: ${text.text} },`;
  if (one.length <= 100 && !text.text.includes("\n")) return one;
  const parts = text.parts && text.text.length > 90 ? text.parts : [text.text];
  const at = (part: string) => part.split("\n").join("\n      ");
  return `  {\n    role: ${literal(role)},\n    content:\n      ${parts.map(at).join(" +\n      ")},\n  },`;
}
