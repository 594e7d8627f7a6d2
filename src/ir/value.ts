/**
 * Values of a Feste program at run time: JSON-shaped data, plus rendered prompts, which keep
 * their role sections and language until a model call reads them and are plain text
 * everywhere else.
 */
export type Value = Data | PromptValue;

/** JSON-shaped data: what graphs take and return, and what every non-model node works on. */
export type Data = string | number | boolean | null | readonly Data[] | { readonly [field: string]: Data };

export interface Message {
  readonly role: "system" | "user" | "assistant";
  readonly content: string;
}

export interface PromptValue {
  readonly $prompt: { readonly lang: string; readonly messages: readonly Message[] };
}

export function isPrompt(v: unknown): v is PromptValue {
  return typeof v === "object" && v !== null && "$prompt" in v;
}

/** A prompt as one text: its sections joined by blank lines. */
export function promptText(p: PromptValue): string {
  return p.$prompt.messages.map((m) => m.content).join("\n\n");
}

/** A value with any prompt turned into its text (what every non-model node sees). */
export function asData(v: Value): Data {
  return isPrompt(v) ? promptText(v) : v;
}
