/**
 * What every endpoint of the stand-in shares: a route reads a parsed body and either refuses
 * it the way the real API would (a `Failure`) or returns a `Job` that the server answers after
 * the simulated latency. Rendering is separate from answering so an override can swap the
 * texts while the envelope (ids, usage, indexes) stays in the real shape.
 */

/** Which wire format a path speaks, and so which error body shape it uses. */
export type Provider = "openai" | "cohere";

/** An HTTP error with its JSON body. */
export interface Failure {
  readonly status: number;
  readonly body: unknown;
}

/** A request the route accepted. */
export interface Job {
  readonly model: string;
  readonly items: number;
  /** The request's input tokens as `usage` estimates them, which a token limit charges before answering. */
  readonly promptTokens: number;
  /** Answer texts, one per item, for the text endpoints; empty for vectors and rankings. */
  readonly texts: readonly (string | null)[];
  /** The response body for `texts` (the job's own or an override's); vector and ranking routes ignore them. */
  render(texts: readonly (string | null)[], finishReason?: string): unknown;
}

/** Settings of the server that shape answers. */
export interface RouteContext {
  readonly outOfOrder: boolean;
}

/** One endpoint. */
export interface Route {
  readonly provider: Provider;
  handle(body: any, ctx: RouteContext): Job | Failure;
}

/** Tells a refusal from an accepted job. */
export function isFailure(x: Job | Failure): x is Failure {
  return "status" in x;
}

/** OpenAI's error body: `{ error: { message, type, param, code } }`, which openai-node reads for its message. */
export function openaiError(status: number, message: string, param: string | null = null, code: string | null = null): Failure {
  const type = status >= 500 ? "server_error" : "invalid_request_error";
  return { status, body: { error: { message, type, param, code } } };
}

/** Cohere's error body: `{ message }`. */
export function cohereError(status: number, message: string): Failure {
  return { status, body: { message } };
}

/** A JSON object, not an array or a scalar. */
export function isObject(x: unknown): x is Record<string, any> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
