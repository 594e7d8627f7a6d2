/**
 * Tool calling on the wire, shared by the adapters: the tool definitions a tool-calling turn
 * carries (in the `tools` setting, put there by `runToolLoop`), and the answer of a turn that
 * asked for tools instead of answering.
 */
import type { ToolCall, ToolCallsAnswer } from "../ir/value.js";
import type { ToolDefinition } from "../runtime/tool-loop.js";
import { fail, type Call } from "./call.js";

/** The tools this turn offers, or undefined for a call without tools. */
export function toolsOf(call: Call): ToolDefinition[] | undefined {
  const text = call.settings.tools;
  if (typeof text !== "string") return undefined;
  return JSON.parse(text) as ToolDefinition[];
}

/** A turn's tool calls as the runtime reads them; each must name a tool and have an id. */
export function toolCallsAnswer(call: Call, calls: readonly { id?: string; name?: string; arguments?: string }[]): ToolCallsAnswer {
  const out: ToolCall[] = calls.map((c, i) => {
    if (typeof c.name !== "string" || c.name === "") throw fail(call, `tool call ${i + 1} names no tool`, { reason: "answer" });
    return { id: typeof c.id === "string" && c.id !== "" ? c.id : `call_${i}`, name: c.name, arguments: typeof c.arguments === "string" ? c.arguments : "{}" };
  });
  return { $toolCalls: out };
}
