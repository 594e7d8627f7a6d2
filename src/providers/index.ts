/**
 * Model providers: the `ModelBackend` that sends a program's model calls through the official
 * OpenAI and Cohere SDKs (or OpenAI's as Batch API jobs), and the error type its failures carry.
 */
export { providerBackend, type ProviderOptions } from "./provider-backend.js";
export { batchApiBackend, type BatchApiOptions } from "./batch-api.js";
export type { Usage } from "./call.js";
export { ProviderError, type FailureFacts, type FailureReason } from "./errors.js";
export { KEY_VARIABLE, resolveApiKey } from "./api-keys.js";
