export { lower, lowerDeclarations } from "./lower.js";
