/**
 * A run's trace in Chrome's trace-event format (the JSON that Perfetto and chrome://tracing
 * open): `{ traceEvents, displayTimeUnit }` with complete events (`ph: "X"`, microseconds).
 * Each client is one process, named after the client, endpoint and model; its requests are
 * slices. Requests of one client that overlap in time go on separate lanes (threads), since
 * trace viewers draw slices on one thread as a stack of nested calls. Cache lookups are
 * instant events on their client. Process 0 holds one slice for the whole run. Events are
 * sorted, so equal runs give files that differ only in times.
 */
import { compareStrings } from "../../diagnostics/diagnostic.js";
import type { TraceRecorder, TracedRequest } from "./trace-recorder.js";

/** One trace event; only the fields this file writes. */
export interface TraceEvent {
  readonly name: string;
  readonly ph: "X" | "M" | "i";
  readonly pid: number;
  readonly tid: number;
  readonly ts?: number;
  readonly dur?: number;
  readonly cat?: string;
  readonly s?: "p";
  readonly args?: Readonly<Record<string, string | number>>;
}

export interface ChromeTrace {
  readonly traceEvents: readonly TraceEvent[];
  readonly displayTimeUnit: "ms";
}

/** Microseconds, to a tenth: viewers take fractions, and whole ones hide fast stand-in requests. */
const us = (ms: number) => Math.round(ms * 10_000) / 10;

/** The trace of `recorder`'s run. */
export function toChromeTrace(recorder: TraceRecorder): ChromeTrace {
  const clients = [...new Set([...recorder.requests.map((r) => r.client), ...recorder.lookups.map((l) => l.client)])].sort(compareStrings);
  const pidOf = new Map(clients.map((c, i) => [c, i + 1]));
  const meta: TraceEvent[] = [
    { name: "process_name", ph: "M", pid: 0, tid: 0, args: { name: "run" } },
    { name: "process_sort_index", ph: "M", pid: 0, tid: 0, args: { sort_index: 0 } },
    { name: "thread_name", ph: "M", pid: 0, tid: 0, args: { name: recorder.run.label } },
  ];
  const events: TraceEvent[] = [];
  const end = recorder.run.endMs ?? recorder.now();
  events.push({ name: recorder.run.label, cat: "run", ph: "X", pid: 0, tid: 0, ts: us(recorder.run.startMs), dur: us(end - recorder.run.startMs), args: { requests: recorder.requests.length } });
  for (const client of clients) {
    const pid = pidOf.get(client)!;
    // A request still out when the run ended (it failed or was cancelled) ends with the run.
    const requests = recorder.requests
      .filter((r) => r.client === client)
      .map((r) => (r.status === "pending" ? { ...r, endMs: Math.max(end, r.startMs) } : r))
      .sort((a, b) => a.startMs - b.startMs);
    const first = requests[0];
    const what = first ? [first.endpoint, first.model].filter(Boolean).join(", ") : "";
    meta.push({ name: "process_name", ph: "M", pid, tid: 0, args: { name: what ? `${client} (${what})` : client } });
    meta.push({ name: "process_sort_index", ph: "M", pid, tid: 0, args: { sort_index: pid } });
    const lanes = laneOf(requests);
    for (let lane = 1; lane <= Math.max(1, ...lanes.values()); lane++) {
      meta.push({ name: "thread_name", ph: "M", pid, tid: tidOf(pid, lane), args: { name: `lane ${lane}` } });
    }
    for (const r of requests) events.push(slice(r, pid, tidOf(pid, lanes.get(r)!)));
    for (const l of recorder.lookups.filter((x) => x.client === client)) {
      events.push({ name: `cache: ${l.hits} of ${l.items} answered`, cat: "cache", ph: "i", s: "p", pid, tid: tidOf(pid, 1), ts: us(l.atMs), args: { hits: l.hits, items: l.items } });
    }
  }
  events.sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0) || a.pid - b.pid || a.tid - b.tid || compareStrings(a.name, b.name));
  return { traceEvents: [...meta, ...events], displayTimeUnit: "ms" };
}

/** Thread ids unique across processes, as some viewers key threads by tid alone. */
const tidOf = (pid: number, lane: number) => pid * 1000 + lane;

function slice(r: TracedRequest, pid: number, tid: number): TraceEvent {
  const args: Record<string, string | number> = { client: r.client, endpoint: r.endpoint, items: r.items, attempt: r.attempt, status: r.status };
  if (r.model !== undefined) args.model = r.model;
  if (r.inputTokens !== undefined) args.tokens_in = r.inputTokens;
  if (r.outputTokens !== undefined) args.tokens_out = r.outputTokens;
  if (r.error !== undefined) args.error = r.error;
  const name = `${r.method} ×${r.items}${r.attempt > 1 ? ` (retry ${r.attempt - 1})` : ""}${r.status === "failed" ? " failed" : ""}`;
  return { name, cat: "request", ph: "X", pid, tid, ts: us(r.startMs), dur: us(Math.max(0, r.endMs - r.startMs)), args };
}

/** Lays requests (sorted by start) on the first lane free at their start: slices on a lane never overlap. */
function laneOf(requests: readonly TracedRequest[]): Map<TracedRequest, number> {
  const freeAt: number[] = [];
  const out = new Map<TracedRequest, number>();
  for (const r of requests) {
    let lane = freeAt.findIndex((t) => t <= r.startMs);
    if (lane < 0) lane = freeAt.push(0) - 1;
    freeAt[lane] = r.endMs;
    out.set(r, lane + 1);
  }
  return out;
}
