/** The stand-in LLM server, as `feste/testing` exports it. */
export { jitterFor, startStandIn } from "./server.js";
export { fakeFromSchema } from "./fake-from-schema.js";
export { pointAt } from "./point-at.js";
export type { StandInFault, StandInFaults, StandInRateLimit, StandInLogEntry, StandInOptions, StandInOverride, StandInRequest, StandInServer } from "./types.js";
