export { lower, lowerDeclarations } from "./lower.js";
export { lowerTests } from "./lower-tests.js";
