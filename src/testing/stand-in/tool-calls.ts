/**
 * How the stand-in answers a chat request that offers tools: deterministically, it calls every
 * offered tool once per round (arguments made from each tool's parameter schema), for as many
 * rounds as the conversation asks with a line `tool rounds: N` in any message (1 if none),
 * then answers as usual. Rounds already made are counted from the conversation's assistant
 * turns with tool calls, so each request is answered from its own body alone.
 */
import { fakeFromSchema } from "./fake-from-schema.js";

/** A tool call as both wire formats write it. */
export interface StandInToolCall {
  readonly id: string;
  readonly type: "function";
  readonly function: { readonly name: string; readonly arguments: string };
}

/** The tool calls to answer with, or undefined when the answer is the final text. */
export function standInToolCalls(model: string, tools: unknown, messages: readonly any[]): StandInToolCall[] | undefined {
  if (!Array.isArray(tools) || tools.length === 0) return undefined;
  const done = messages.filter((m) => m?.role === "assistant" && Array.isArray(m.tool_calls) && m.tool_calls.length > 0).length;
  const texts = messages.map((m) => (typeof m?.content === "string" ? m.content : "")).join("\n");
  const asked = /tool rounds:\s*(\d+)/i.exec(texts);
  const wanted = asked ? Number(asked[1]) : 1;
  if (done >= wanted) return undefined;
  return tools.flatMap((t: any, i: number) => {
    const name = t?.function?.name;
    if (typeof name !== "string") return [];
    const args = fakeFromSchema(t.function.parameters ?? { type: "object", properties: {} }, `${model}\n${name}\n${done}`);
    return [{ id: `call_${done}_${i}`, type: "function" as const, function: { name, arguments: JSON.stringify(args) } }];
  });
}
