export { lower } from "./lower.js";
