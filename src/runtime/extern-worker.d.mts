/** Types of `extern-worker.mjs`, which stays plain JavaScript so worker threads can load it unbuilt. */

/** The worker's task: import `url` (once per thread) and call `fn` of it. */
export default function runTask(task: { url: string; label: string; fn: string; args: unknown[] }): Promise<{ value: unknown } | { error: string }>;

/** Calls `fn` of a loaded module; the answer as JSON data, or a message in the CLI's voice. */
export function callExtern(exports: Readonly<Record<string, unknown>>, label: string, fn: string, args: readonly unknown[]): Promise<{ value: unknown } | { error: string }>;
