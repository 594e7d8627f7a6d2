/** `feste/runtime`: what generated modules and `feste exec` run on. */
export { builtins, renderValue, valuesEqual, type BuiltinName, type Value } from "../ir/builtins.js";
export { FesteRuntimeError } from "../ir/errors.js";
export { applyOp } from "../ir/ops.js";
export { evaluate, Evaluator, type EvaluateOptions } from "./evaluate.js";
export type { CompleteRequest, EmbedRequest, ModelBackend, RerankRequest } from "./backend.js";
