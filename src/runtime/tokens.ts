/**
 * Token counts for estimates, offline: OpenAI's o200k_base encoding from the gpt-tokenizer
 * package, which ships its data. Cohere models use their own tokenizer; counts for them are
 * an approximation, and the plan says estimates are estimates.
 */
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";

export function tokensOf(text: string): number {
  return text.length === 0 ? 0 : countTokens(text);
}

/** What an answer is assumed to cost when the client sets no `max_tokens`. */
export const DEFAULT_ANSWER_TOKENS = 256;
