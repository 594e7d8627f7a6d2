/** Recording what a run sends, for `feste exec --trace FILE`. */
export { TraceRecorder, type TracedLookup, type TracedRequest } from "./trace-recorder.js";
export { tracingBackend } from "./tracing-backend.js";
export { toChromeTrace, type ChromeTrace, type TraceEvent } from "./chrome-trace.js";
