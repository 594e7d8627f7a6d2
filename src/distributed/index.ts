/** Distributed runs on BullMQ over Redis: the coordinator's side and the worker's. */
export { startCoordinator, type Coordinator, type CoordinatorOptions } from "./coordinator.js";
export { startWorker, DEFAULT_LOCK_DURATION_MS, DEFAULT_WORKER_CONCURRENCY, type FesteWorker, type WorkerOptions } from "./worker.js";
export type { DistributedStats } from "./queue-backend.js";
export type { StandInAddress } from "./program-record.js";
