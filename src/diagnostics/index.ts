export * from "./catalogue.js";
export * from "./diagnostic.js";
export * from "./did-you-mean.js";
export * from "./line-index.js";
export * from "./render.js";
export * from "./report.js";
