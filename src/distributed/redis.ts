/**
 * Connections to the Redis server a distributed run shares. BullMQ workers block on Redis
 * commands, so every connection handed to BullMQ has `maxRetriesPerRequest: null`; a first
 * probe with no retries turns "no server there" into FE4012 at once instead of a hang.
 */
import { Redis } from "ioredis";
import { FesteRuntimeError } from "../ir/errors.js";

/** How long the first contact may take before the server counts as unreachable. */
const PROBE_TIMEOUT_MS = 3_000;

/** `host:port` of a Redis URL, for messages: never its password. */
export function redisWhere(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || "6379"}`;
  } catch {
    return "(not a URL)";
  }
}

/** FE4012 unless `url` is a `redis://` or `rediss://` URL. */
export function checkRedisUrl(url: string): void {
  let protocol = "";
  try {
    protocol = new URL(url).protocol;
  } catch {
    // reported below
  }
  if (protocol !== "redis:" && protocol !== "rediss:") {
    throw new FesteRuntimeError("FE4012", `\`--redis\` takes a URL such as redis://127.0.0.1:6379, not \`${url.replace(/\/\/[^@/]*@/, "//***@")}\``);
  }
}

/**
 * A connection for BullMQ and for Feste's own keys; it reconnects for as long as the process
 * runs. Commands wait through an outage, unless `failFast`: then a command fails after a
 * couple of reconnection attempts (a coordinator reports a lost Redis instead of hanging;
 * BullMQ's blocking connections must never be fail-fast).
 */
export function connectRedis(url: string, options: { failFast?: boolean } = {}): Redis {
  checkRedisUrl(url);
  // Fail-fast commands wait through two reconnection attempts, at most a second apart.
  const c = new Redis(url, options.failFast ? { maxRetriesPerRequest: 2, retryStrategy: (times) => Math.min(times * 200, 1_000) } : { maxRetriesPerRequest: null });
  // Failures surface as failed commands; an unhandled "error" event would only be printed.
  c.on("error", () => undefined);
  return c;
}

/** `e` unless it is a Redis failure, which becomes FE4012 naming the server (never its password). */
export function asRedisFailure(e: unknown, url: string): unknown {
  if (e instanceof FesteRuntimeError || (e as Error)?.name === "AbortError") return e;
  return new FesteRuntimeError("FE4012", `lost Redis at ${redisWhere(url)}: ${(e as Error)?.message ?? String(e)}`);
}

/**
 * Resolves when the server at `url` answers PING; otherwise rejects with FE4012 naming the
 * host and port (never the password) and what went wrong.
 */
export async function probeRedis(url: string): Promise<void> {
  checkRedisUrl(url);
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: PROBE_TIMEOUT_MS, enableOfflineQueue: false });
  // The socket's own error (ECONNREFUSED, a DNS failure) says more than the "connection is closed" that follows it.
  let cause: Error | undefined;
  probe.on("error", (e: Error) => (cause ??= e));
  try {
    await probe.connect();
    await probe.ping();
  } catch (e) {
    throw new FesteRuntimeError("FE4012", `cannot reach Redis at ${redisWhere(url)}: ${(cause ?? (e as Error))?.message ?? String(e)}`);
  } finally {
    probe.disconnect();
  }
}
