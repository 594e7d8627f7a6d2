/**
 * Where a distributed run keeps things in Redis. Everything is addressed by content: an
 * answer by the hash of the request item it answers (the response cache's key), a program
 * by the hash of its record. No key or value holds an API key.
 */

/** An answered model-call item: JSON of the answer. */
export const answerKey = (hex: string): string => `feste:answer:${hex}`;
/** The result of an extern call, by the hash of its program, function and arguments. */
export const externKey = (hex: string): string => `feste:extern:${hex}`;
/** A program record (IR and bundled extern modules), by its hash. */
export const programKey = (hash: string): string => `feste:program:${hash}`;
/** The queues workers serve: a hash from queue name to its `QueueSpec` as JSON. */
export const REGISTRY = "feste:queues";
/** Where workers announce a finished job: a `DoneMessage` as JSON. */
export const DONE_CHANNEL = "feste:done";
/** Tokens charged to a client's queue in one window of its `tpm` budget. */
export const tokensKey = (queue: string, window: number): string => `feste:tokens:${queue}:${window}`;
