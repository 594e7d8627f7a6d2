/**
 * Which members of a `fallback` or `round_robin` client are worth asking. A client that has
 * failed most of its recent calls (after retries) cools down for a while: calls go straight
 * to the next member instead of paying its retries first. After the pause it is tried again.
 */
import type { Clock } from "./clock.js";

const RECENT = 10;
const COOL_DOWN_MS = 30_000;

export class Health {
  private readonly outcomes = new Map<string, boolean[]>();
  private readonly coolUntil = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  record(client: string, ok: boolean): void {
    const recent = this.outcomes.get(client) ?? [];
    recent.push(ok);
    if (recent.length > RECENT) recent.shift();
    this.outcomes.set(client, recent);
    const failed = recent.filter((x) => !x).length;
    if (recent.length >= 4 && failed * 2 > recent.length) {
      this.coolUntil.set(client, this.clock.now() + this.clock.real(COOL_DOWN_MS));
      this.outcomes.set(client, []);
    }
  }

  /** Whether `client` is cooling down now. */
  cooling(client: string): boolean {
    return (this.coolUntil.get(client) ?? 0) > this.clock.now();
  }
}
