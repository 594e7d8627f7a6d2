/**
 * Token counts for estimates, offline: OpenAI's o200k_base encoding from the gpt-tokenizer
 * package, which ships its data. Cohere models use their own tokenizer; counts for them are
 * an approximation, and the plan says estimates are estimates.
 */
import { createRequire } from "node:module";

type Encoding = typeof import("gpt-tokenizer/encoding/o200k_base");
/** Loaded at the first exact count: the encoding's tables take a quarter of a second to load, and most runs never count. */
let encoding: Encoding | undefined;

/** The exact o200k_base token count of `text`. */
export function tokensOf(text: string): number {
  if (text.length === 0) return 0;
  encoding ??= createRequire(import.meta.url)("gpt-tokenizer/encoding/o200k_base") as Encoding;
  return encoding.countTokens(text);
}

/** A bound no exact count exceeds: every token is at least one byte of UTF-8. */
export function tokensAtMost(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** What an answer is assumed to cost when the client sets no `max_tokens`. */
export const DEFAULT_ANSWER_TOKENS = 256;
