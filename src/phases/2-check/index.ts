export { check, type CheckedProgram } from "./check.js";
export * from "./types.js";
export * from "./symbols.js";
export { ENDPOINTS, type EndpointKind, type EndpointSpec, type Provider } from "./endpoints.js";
export { BUILTINS, FILTERS, type Builtin } from "./builtins.js";
