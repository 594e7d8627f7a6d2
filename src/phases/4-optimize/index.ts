export { optimize, type OptimizeOptions } from "./optimize.js";
export { PASSES } from "./passes.js";
export type { Pass } from "./pass.js";
