/**
 * A chat call with `tools`: a conversation of up to `maxSteps` model turns. Each turn is sent
 * with the tools' definitions (their JSON schemas, in the `tools` setting the providers read);
 * a turn that asks for tool calls gets them run (in parallel), their results appended as
 * `tool` messages after the assistant's turn, and the conversation goes on; the first turn
 * that answers without tool calls is the call's value. Past `maxSteps` the call fails (FE4070).
 *
 * The scheduler, eager mode and the reference evaluator call `runToolLoop` with their own way
 * of sending one turn, so every mode runs the same loop; generated code can call it the same way.
 */
import type { Span } from "../diagnostics/diagnostic.js";
import { FesteRuntimeError } from "../ir/errors.js";
import type { IrTool, IrTypeDef, Settings } from "../ir/nodes.js";
import { validate } from "../ir/validate.js";
import { isToolCallsAnswer, type Data, type Message, type PromptValue, type ToolCall, type Value } from "../ir/value.js";
import { runIoExtern } from "./io-extern.js";
import type { ExternRunner } from "./run-hooks.js";
import { parametersSchema } from "../ir/schema.js";

/** What the loop needs of the call: its client's name, settings, tools and bound. */
export interface ToolLoopCall {
  readonly client: string;
  readonly settings: Settings;
  readonly tools: readonly IrTool[];
  readonly maxSteps: number;
}

/** Sends one turn: the conversation so far, with the settings that carry the tools. */
export type SendTurn = (prompt: PromptValue, settings: Settings) => Promise<Value>;

/** The setting the provider adapters read tool definitions from (JSON text of `ToolDefinition[]`). */
export const TOOLS_SETTING = "tools";

/** A tool as the providers send it. */
export interface ToolDefinition {
  readonly name: string;
  readonly description?: string;
  readonly parameters: Record<string, unknown>;
}

/** The tools of a call as provider-neutral definitions, in the order written. */
export function toolDefinitions(tools: readonly IrTool[], types: Readonly<Record<string, IrTypeDef>>): ToolDefinition[] {
  return tools.map((t) => ({ name: t.name, ...(t.description ? { description: t.description } : {}), parameters: parametersSchema(t.params, types) as Record<string, unknown> }));
}

/** Runs the conversation; see the module comment. */
export async function runToolLoop(
  call: ToolLoopCall,
  prompt: PromptValue,
  send: SendTurn,
  externs: ExternRunner | undefined,
  types: Readonly<Record<string, IrTypeDef>>,
  signal?: AbortSignal,
): Promise<Value> {
  const settings: Settings = { ...call.settings, [TOOLS_SETTING]: JSON.stringify(toolDefinitions(call.tools, types)) };
  let messages: Message[] = [...prompt.$prompt.messages];
  for (let step = 1; step <= call.maxSteps; step++) {
    const answer = await send({ $prompt: { lang: prompt.$prompt.lang, messages } }, settings);
    if (!isToolCallsAnswer(answer)) return answer;
    const results = await Promise.all(answer.$toolCalls.map((tc) => runTool(call, tc, externs, types, signal)));
    messages = [
      ...messages,
      { role: "assistant", content: "", toolCalls: answer.$toolCalls },
      ...answer.$toolCalls.map((tc, i): Message => ({ role: "tool", content: JSON.stringify(results[i]), toolCallId: tc.id })),
    ];
  }
  throw new FesteRuntimeError(
    "FE4070",
    `the chat call to \`${call.client}\` still asked for tools after ${call.maxSteps} step${call.maxSteps === 1 ? "" : "s"} (max_steps: ${call.maxSteps})`,
  );
}

/** Runs one tool call: the named tool, its arguments checked against its parameters. */
async function runTool(call: ToolLoopCall, tc: ToolCall, externs: ExternRunner | undefined, types: Readonly<Record<string, IrTypeDef>>, signal?: AbortSignal): Promise<Data> {
  const tool = call.tools.find((t) => t.name === tc.name);
  if (!tool) {
    const offered = call.tools.map((t) => `\`${t.name}\``).join(", ");
    throw new FesteRuntimeError("FE4072", `the model asked the chat call to \`${call.client}\` for a tool \`${tc.name}\`, which it does not offer (its tools: ${offered})`);
  }
  const args = toolArguments(call, tool, tc);
  let result: Data;
  try {
    if (tool.io) result = await runIoExtern({ fn: tool.name, module: tool.module, io: tool.io }, args, externs, signal);
    else if (!externs) throw new Error("no extern function runner was given");
    else result = await externs(tool.module, tool.name, args, signal);
  } catch (e) {
    signal?.throwIfAborted();
    throw toolFailure(call, tool, e instanceof Error ? e.message : String(e));
  }
  const wrong = validate(result, tool.output, types, "result");
  if (wrong) throw toolFailure(call, tool, `it returned a value that does not fit its type: ${wrong}`);
  return result;
}

/** The arguments in parameter order, checked: FE4073 when they are not JSON or do not fit. */
function toolArguments(call: ToolLoopCall, tool: IrTool, tc: ToolCall): Data[] {
  const bad = (why: string) => new FesteRuntimeError("FE4073", `the model called the tool \`${tool.name}\` of the chat call to \`${call.client}\` with arguments that ${why}`, tool.span);
  let parsed: unknown;
  try {
    parsed = JSON.parse(tc.arguments === "" ? "{}" : tc.arguments);
  } catch {
    throw bad(`are not JSON: ${tc.arguments.slice(0, 80)}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw bad("are not a JSON object");
  const given = parsed as Record<string, Data>;
  const unknown = Object.keys(given).find((k) => !tool.params.some((p) => p.name === k));
  if (unknown !== undefined) throw bad(`name no parameter \`${unknown}\``);
  return tool.params.map((p) => {
    const v = Object.hasOwn(given, p.name) ? given[p.name] : undefined;
    if (v === undefined && p.type.kind !== "optional") throw bad(`miss the parameter \`${p.name}\``);
    const wrong = validate(v ?? null, p.type, {}, p.name);
    if (wrong) throw bad(`do not fit: ${wrong}`);
    return v ?? null;
  });
}

function toolFailure(call: ToolLoopCall, tool: IrTool, detail: string): FesteRuntimeError {
  // Located at the tool's declaration: that is the `.feste` line to look at.
  return new FesteRuntimeError("FE4071", `the tool \`${tool.name}\` (called by the chat call to \`${call.client}\`) failed: ${detail}`, tool.span as Span | undefined);
}
