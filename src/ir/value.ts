/**
 * Values of a Feste program at run time: JSON-shaped data, plus rendered prompts, which keep
 * their role sections and language until a model call reads them and are plain text
 * everywhere else.
 */
export type Value = Data | PromptValue | readonly Value[];

/** JSON-shaped data: what graphs take and return, and what every non-model node works on. */
export type Data = string | number | boolean | null | readonly Data[] | { readonly [field: string]: Data };

export interface Message {
  readonly role: "system" | "user" | "assistant" | "tool";
  readonly content: string;
  /** An assistant turn of a tool-calling conversation that asked for these calls. */
  readonly toolCalls?: readonly ToolCall[];
  /** A `tool` turn: the id of the call whose result `content` is. */
  readonly toolCallId?: string;
}

/** A tool call the model asked for: `arguments` is the JSON text it wrote. */
export interface ToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

/** The answer of a chat turn that asked for tools instead of answering (see `runToolLoop`). */
export interface ToolCallsAnswer {
  readonly $toolCalls: readonly ToolCall[];
}

export function isToolCallsAnswer(v: unknown): v is ToolCallsAnswer {
  return typeof v === "object" && v !== null && !Array.isArray(v) && Array.isArray((v as { $toolCalls?: unknown }).$toolCalls);
}

export interface PromptValue {
  readonly $prompt: { readonly lang: string; readonly messages: readonly Message[] };
}

export function isPrompt(v: unknown): v is PromptValue {
  return typeof v === "object" && v !== null && "$prompt" in v;
}

/** A rendered prompt section: a role and its text, or `messages` and the `Message[]` it inserts. */
export type RenderedSection = readonly ["system" | "user" | "assistant", Data] | readonly ["messages", Data];

/** The chat turns of a prompt's rendered sections, a `messages` section's turns in its place. */
export function promptMessages(sections: readonly RenderedSection[]): Message[] {
  const out: Message[] = [];
  for (const [role, value] of sections) {
    if (role !== "messages") out.push({ role, content: value as string });
    // A `Message` record's role is one of Role's members; the content is its text.
    else for (const m of value as readonly { role: Message["role"]; content: string }[]) out.push({ role: m.role, content: m.content });
  }
  return out;
}

/**
 * A prompt as one text: its turns' contents joined by blank lines, in order. This is also how
 * completion endpoints (which take text, not turns) receive a prompt with `messages`.
 */
export function promptText(p: PromptValue): string {
  return p.$prompt.messages.map((m) => m.content).join("\n\n");
}

/**
 * A value with its prompts turned into text: what every node but a model call reads. A value
 * is a prompt exactly where its type is `Prompt<T>`, so a list holds prompts in every
 * element or in none, and looking at the first element is enough.
 */
export function asData(v: Value | readonly Value[]): Data {
  if (isPrompt(v)) return promptText(v);
  if (!Array.isArray(v) || !holdsPromptsIn(v)) return v as Data;
  return v.map((x: Value) => asData(x));
}

/**
 * Whether a list holds prompts at some depth. Every element of a list is a prompt or none
 * is, so its first non-empty element decides: a list of 5,000 vectors is read as it is, in
 * a few steps, not walked.
 */
function holdsPromptsIn(v: readonly Value[]): boolean {
  for (const x of v) {
    if (isPrompt(x)) return true;
    if (!Array.isArray(x)) return false;
    if (x.length > 0) return holdsPromptsIn(x);
  }
  return false;
}
