/**
 * The failures both SDKs report, in Feste's words: an HTTP error status with the provider's
 * own message, a server that could not be reached, a timeout, a cancelled request, an answer
 * that could not be read. Each adapter recognises its SDK's error classes and calls these.
 */
import { fail, type Call } from "./call.js";
import { bodyMessage, networkCause, retryAfter, retryableStatus, type ProviderError } from "./errors.js";

/** "the provider answered HTTP 400: <its message>". */
export function httpFailure(call: Call, status: number, body: unknown, headers: Headers | undefined): ProviderError {
  const said = bodyMessage(body);
  return fail(call, `the provider answered HTTP ${status}${said ? `: ${said}` : " with no message"}`, {
    reason: "http",
    status,
    retryable: retryableStatus(status),
    retryAfterMs: retryAfter(headers),
  });
}

/** "could not reach http://127.0.0.1:8000/v1: connection refused". */
export function networkFailure(call: Call, error: unknown): ProviderError {
  return fail(call, `could not reach ${withoutCredentials(call.baseURL)}: ${networkCause(error)}`, { reason: "network", retryable: true });
}

/** A URL as shown in messages: a `user:password@` part is dropped. */
function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1");
}

/** "the provider did not answer within 30 s (setting `timeout`)". */
export function timeoutFailure(call: Call): ProviderError {
  const limit = call.timeoutMs === undefined ? "in time" : `within ${call.timeoutMs / 1000} s (setting \`timeout\`)`;
  return fail(call, `the provider did not answer ${limit}`, { reason: "timeout", retryable: true });
}

/** The run's signal was aborted while the request was out. */
export function cancelledFailure(call: Call): ProviderError {
  return fail(call, "the request was cancelled", { reason: "cancelled" });
}

/** An answer the SDK could not read (not JSON, cut off) or a request it refused to build. */
export function unreadableFailure(call: Call, error: unknown): ProviderError {
  const message = error instanceof Error ? error.message : String(error);
  const flat = message.replace(/\s+/g, " ").trim();
  return fail(call, `the request failed: ${flat.charAt(0).toLowerCase()}${flat.slice(1)}`, { reason: "request" });
}
