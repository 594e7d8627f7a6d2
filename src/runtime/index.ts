/** `feste/runtime`: what generated modules and `feste exec` run on. */
export { builtins, renderValue, valuesEqual, type BuiltinName, type Value } from "../ir/builtins.js";
export { FesteRuntimeError } from "../ir/errors.js";
export { applyOp } from "../ir/ops.js";
export { evaluate, Evaluator, type EagerStep, type EvaluateOptions } from "./evaluate.js";
export type { CompleteRequest, EmbedRequest, ModelBackend, RerankRequest } from "./backend.js";
export { runGraph, DEFAULT_BATCH_WINDOW_MS, type GraphRunOptions, type Progress, type RunResult, type RunStats } from "./run.js";
export { TraceRecorder, toChromeTrace, tracingBackend, type ChromeTrace, type TraceEvent, type TracedRequest } from "./trace/index.js";
export type { IrProgram } from "../ir/nodes.js";
export type { Data } from "../ir/value.js";
export { runModule, type ClientOverride, type ExternModules, type RunOptions } from "./run-module.js";
export { context, type ContextSettings } from "./context.js";
export { createExternPool, type ExternPool, type ExternPoolOptions } from "./extern-pool.js";
export type { ExternRunner } from "./run-hooks.js";
export { outputFormat, parseAnswer, AnswerError, type OutputFormat, type JsonSchema } from "./structured/index.js";
export { providerBackend, type ProviderOptions, type Usage } from "../providers/index.js";
export { at, data, field, foldList, loopState, mapList, prompt, type Message, type Ranked, type Role } from "./generated-helpers.js";
export type { IrClient } from "../ir/nodes.js";
export type { PromptValue } from "../ir/value.js";
