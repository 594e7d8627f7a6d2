export { startServer, EXPLAIN_REQUEST, type ServerOptions } from "./server.js";
export type { DiskAccess } from "./workspace.js";
