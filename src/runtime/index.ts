/** `feste/runtime`: what generated modules and `feste exec` run on. */
export { builtins, renderValue, valuesEqual, type BuiltinName, type Value } from "./builtins.js";
export { FesteRuntimeError } from "./errors.js";
