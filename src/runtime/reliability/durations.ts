/** Reading the waits providers send: Go durations (`6m0s`, `1.5s`, `120ms`) in rate-limit headers. */

const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1, us: 0.001, "µs": 0.001, ns: 0.000001 };

/** Milliseconds in a Go duration string, or undefined if it is not one. */
export function goDurationMs(text: string | null | undefined): number | undefined {
  if (!text) return undefined;
  const parts = text.trim().match(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g);
  if (!parts || parts.join("") !== text.trim()) return undefined;
  let ms = 0;
  for (const p of parts) {
    const [, n, unit] = /^(\d+(?:\.\d+)?)(.+)$/.exec(p)!;
    ms += Number(n) * UNIT_MS[unit];
  }
  return ms;
}
