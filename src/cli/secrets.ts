/**
 * The last line of defence for API keys: every byte the CLI writes to stdout, stderr or a
 * trace file passes through `redactSecrets`, which masks the value of every environment
 * variable that looks like a secret (by name: `*KEY*`, `*TOKEN*`, `*SECRET*`, `*PASSWORD*`),
 * raw and trimmed, any variable a program's `api_key: env(...)` names, any URL's user and
 * password, and anything shaped like an `sk-` key or a bearer token. The providers already
 * mask the key they send with; this catches what reaches the terminal by any other way (a
 * cause chain, a stack, a worker's message read back from Redis).
 */
import { redact } from "../providers/errors.js";

const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL/i;

const secrets = new Set<string>();

/** Adds the values of `env`'s secret-looking variables, and of `names`, to what is masked. */
export function rememberSecrets(env: Readonly<Record<string, string | undefined>>, names: readonly string[] = []): void {
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && (SECRET_NAME.test(name) || names.includes(name))) secrets.add(value);
  }
}

/** `text` with every remembered secret and every URL credential masked. */
export function redactSecrets(text: string): string {
  return redact(text, ...secrets);
}

/**
 * Routes `process.stdout` and `process.stderr` through `redactSecrets`, once, at start-up:
 * only the CLI prints, so guarding its two streams covers every message, JSON document,
 * progress line and summary.
 */
export function guardOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (typeof chunk === "string") return write(redactSecrets(chunk), ...rest);
      if (chunk instanceof Uint8Array) return write(redactSecrets(Buffer.from(chunk).toString("utf8")), ...rest);
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
}
