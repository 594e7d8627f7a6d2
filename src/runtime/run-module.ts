/**
 * What generated modules call: `runModule(program, "triage", input, options, externs)` runs
 * one graph of a compiled program the way its exported function promises. It checks the input
 * against the graph's parameters (FE4007), builds the model backend from the user's options
 * (real providers, a per-client server, key or model, the in-process stand-in server for
 * `fake`, or a backend of their own), runs `extern fn`s from the modules the generated code
 * imported, and hands everything to `runGraph`.
 *
 * The program is a module constant shared by every call, so option changes that live in the
 * program (a client's `model`, `max_concurrency`) are made on a copy, never on it.
 */
import { concreteMembers } from "../ir/clients.js";
import { FesteRuntimeError } from "../ir/errors.js";
import { unknownInputKey } from "../ir/input-keys.js";
import type { IrNode, IrProgram, SettingValue, Subgraph } from "../ir/nodes.js";
import { validate } from "../ir/validate.js";
import type { Data } from "../ir/value.js";
import { providerBackend } from "../providers/provider-backend.js";
import type { StandInServer } from "../testing/stand-in/types.js";
import type { ModelBackend } from "./backend.js";
import { callExtern } from "./extern-worker.mjs";
import type { ExternRunner } from "./run-hooks.js";
import { openCache, type AnswerCache } from "./cache/index.js";
import { runGraph, type GraphRunOptions } from "./run.js";
import type { Coordinator } from "../distributed/coordinator.js";

/** Another server, key or model for one client. */
export interface ClientOverride {
  readonly baseURL?: string;
  readonly apiKey?: string;
  readonly model?: string;
}

/** What a generated graph function takes as its second argument. */
export interface RunOptions {
  /** Statement by statement, no batching (default: the enclosing `context.run`'s setting). */
  readonly eager?: boolean;
  readonly signal?: AbortSignal;
  /** Per client (by its name in the .feste file): another server, key or model. */
  readonly clients?: Readonly<Record<string, ClientOverride>>;
  /**
   * Answer every call from the offline stand-in server (started in process once, on loopback,
   * and not keeping the process alive); an object sets its latency. Wins over `clients`'
   * servers and keys; `clients`' models still apply.
   */
  readonly fake?: boolean | { readonly latencyMs?: number; readonly perItemMs?: number };
  /** Caps requests in flight: for every client, or per client name (a combinator's cap holds for each member). */
  readonly maxConcurrency?: number | Readonly<Record<string, number>>;
  /** How long a ready call may wait for others to join while extern functions still run (ms). */
  readonly batchWindowMs?: number;
  /** Where API keys and `env("…")` settings are read; default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Replaces the providers entirely (tests, custom transports); `fake`, `env` and `clients`' servers and keys then do not apply. */
  readonly backend?: ModelBackend;
  readonly onProgress?: GraphRunOptions["onProgress"];
  /** The answer cache: a file path (opened for the call and closed after), or an open cache to share across calls. */
  readonly cache?: string | AnswerCache;
  /** Finish every branch a failed call does not affect; failed `for` elements become null (the failures are not returned here; use `runGraph` for them). */
  readonly keepGoing?: boolean;
  /** Provider time over real time, for servers that simulate a faster clock: `rpm`/`tpm` windows shrink by this factor. Default 1. */
  readonly timeScale?: number;
  /**
   * Run on BullMQ: every model request becomes a job for the `feste worker` processes serving
   * this Redis (`redis://HOST:PORT`), paced per client across all of them, answers kept in
   * Redis. Extern functions run in this process, from the modules this module imported,
   * unless `externs: "workers"` (their files must then be found from the current directory).
   * With `fake`, workers on this machine answer from this process's stand-in server.
   */
  readonly distributed?: { readonly redis: string; readonly externs?: "workers" | "local" };
}

/** The extern modules a generated module imported, keyed by the IR's `module` string. */
export type ExternModules = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/**
 * Runs `graph` of a compiled program on `input` and resolves with its value. Rejects with a
 * `FesteRuntimeError`: FE4007 if `input` does not fit the graph's parameters, FE4008 if the
 * options name clients the program lacks, else whatever the run fails with.
 */
export async function runModule(program: IrProgram, graph: string, input: unknown, options: RunOptions | undefined, externs: ExternModules): Promise<Data> {
  const o = options ?? {};
  const inputs = checkInput(program, graph, input);
  const changed = withOverrides(program, o);
  if (o.distributed && o.backend) throw new FesteRuntimeError("FE4008", "`backend` and `distributed` do not go together: workers call the providers themselves");
  const coordinator = o.distributed ? await coordinate(changed, o) : undefined;
  const backend = coordinator?.backend ?? o.backend ?? (await providersFor(o));
  let cache: AnswerCache | undefined;
  try {
    cache = typeof o.cache === "string" ? await openCache(o.cache) : o.cache;
    const run = await runGraph(coordinator?.program ?? changed, graph, inputs, {
      backend,
      ...(coordinator ? { storedAnswers: coordinator.storedAnswers } : {}),
      externs: o.distributed?.externs === "workers" && coordinator ? coordinator.externs : inProcess(externs),
      ...(o.eager !== undefined ? { eager: o.eager } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.batchWindowMs !== undefined ? { batchWindowMs: o.batchWindowMs } : {}),
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      ...(o.keepGoing ? { keepGoing: true } : {}),
      ...(o.timeScale !== undefined ? { timeScale: o.timeScale } : {}),
      ...(cache ? { cache } : {}),
    });
    return run.value;
  } finally {
    if (typeof o.cache === "string") cache?.close();
    await coordinator?.close();
  }
}

/** The coordinator of a distributed run (loaded on demand: local runs never load BullMQ). */
async function coordinate(program: IrProgram, o: RunOptions): Promise<Coordinator> {
  const { startCoordinator } = await import("../distributed/coordinator.js");
  const server = o.fake ? await standIn(o.fake === true ? {} : o.fake) : undefined;
  return startCoordinator({
    redis: o.distributed!.redis,
    program,
    externs: o.distributed!.externs ?? "local",
    ...(o.env ? { env: o.env } : {}),
    ...(server ? { standIn: { openaiBaseURL: server.openaiBaseURL, cohereBaseURL: server.cohereBaseURL } } : {}),
  });
}

/** The graph's inputs by parameter name (absent optional ones as null), or FE4007. */
function checkInput(program: IrProgram, graph: string, input: unknown): Record<string, Data> {
  const g = program.graphs[graph];
  if (!g) throw new FesteRuntimeError("FE3001", `there is no graph named \`${graph}\``);
  const unfit = (problem: string) => new FesteRuntimeError("FE4007", `the input does not fit \`${graph}\`: ${problem}`);
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw unfit(`it should be an object with ${g.params.length === 0 ? "no fields" : g.params.map((p) => `\`${p.name}\``).join(", ")}`);
  }
  const given = input as Record<string, Data | undefined>;
  // A misspelt key first: "`tickt` is not a parameter: did you mean `tickets`?" says more than "`tickets` is missing".
  const unknown = unknownInputKey(g.params.map((p) => p.name), given, graph);
  if (unknown !== undefined) throw unfit(unknown);
  const inputs: Record<string, Data> = {};
  for (const p of g.params) {
    const value = Object.hasOwn(given, p.name) ? given[p.name] : undefined;
    const problem = validate(value, p.type, program.types, p.name);
    if (problem) throw unfit(problem);
    inputs[p.name] = value ?? null;
  }
  return inputs;
}

/** Calls extern functions in this thread, from the modules the generated code imported. */
function inProcess(externs: ExternModules): ExternRunner {
  return async (module, fn, args, signal) => {
    signal?.throwIfAborted();
    const exports = Object.hasOwn(externs, module) ? externs[module] : undefined;
    if (!exports) throw new FesteRuntimeError("FE4005", `cannot find the extern module \`${module}\``);
    const reply = await callExtern(exports, module, fn, args);
    if ("error" in reply) throw new FesteRuntimeError("FE4005", reply.error);
    return reply.value as Data;
  };
}

/** The SDK providers, pointed at the stand-in for `fake` and at `clients`' servers and keys otherwise. */
async function providersFor(o: RunOptions): Promise<ModelBackend> {
  const env = o.env ?? process.env;
  if (o.fake) {
    const { pointAt } = await import("../testing/stand-in/index.js");
    return providerBackend({ env, override: pointAt(await standIn(o.fake === true ? {} : o.fake)) });
  }
  const clients = o.clients;
  if (!clients) return providerBackend({ env });
  return providerBackend({
    env,
    override: (client) => {
      const c = Object.hasOwn(clients, client.name) ? clients[client.name] : undefined;
      if (c?.baseURL === undefined && c?.apiKey === undefined) return undefined;
      return { ...(c.baseURL !== undefined ? { baseURL: c.baseURL } : {}), ...(c.apiKey !== undefined ? { apiKey: c.apiKey } : {}) };
    },
  });
}

/** One stand-in server per latency setting, for the life of the process. */
const standIns = new Map<string, Promise<StandInServer>>();

function standIn(latency: { readonly latencyMs?: number; readonly perItemMs?: number }): Promise<StandInServer> {
  const latencyMs = latency.latencyMs ?? 0;
  const perItemMs = latency.perItemMs ?? 0;
  const key = `${latencyMs}/${perItemMs}`;
  let server = standIns.get(key);
  if (!server) {
    server = import("../testing/stand-in/index.js").then(({ startStandIn }) => startStandIn({ latencyMs, perItemMs, unref: true }));
    // A failed start is not kept: the next run tries again.
    server.catch(() => standIns.delete(key));
    standIns.set(key, server);
  }
  return server;
}

type Patch = Record<string, SettingValue>;

/**
 * The program with `clients`' models and `maxConcurrency` written into the clients' settings
 * and the settings of every model node naming them (nodes carry effective settings); the
 * program itself when nothing changes. FE4008 for a client name the program lacks.
 */
export function withOverrides(program: IrProgram, o: Pick<RunOptions, "clients" | "maxConcurrency">): IrProgram {
  const patches = new Map<string, Patch>();
  const patch = (name: string, key: string, value: SettingValue) => patches.set(name, { ...patches.get(name), [key]: value });
  const known = (name: string, where: string) => {
    if (Object.hasOwn(program.clients, name)) return;
    const names = Object.keys(program.clients).map((n) => `\`${n}\``);
    throw new FesteRuntimeError("FE4008", `${where} names \`${name}\`, which is not a client of this program (${names.length ? `its clients: ${names.join(", ")}` : "it has none"})`);
  };
  for (const [name, c] of Object.entries(o.clients ?? {})) {
    known(name, "`clients`");
    if (c.model !== undefined) patch(name, "model", c.model);
  }
  const caps = typeof o.maxConcurrency === "number" ? Object.fromEntries(Object.keys(program.clients).map((n) => [n, o.maxConcurrency as number])) : (o.maxConcurrency ?? {});
  for (const [name, cap] of Object.entries(caps)) {
    if (typeof o.maxConcurrency !== "number") known(name, "`maxConcurrency`");
    if (!Number.isInteger(cap) || cap < 1) throw new FesteRuntimeError("FE4008", `\`maxConcurrency\` for \`${name}\` should be a whole number of at least 1, not ${cap}`);
    // Requests queue per concrete client, so a combinator's cap goes to each of its members.
    for (const m of new Set([name, ...concreteMembers(program, name).map((c) => c.name)])) patch(m, "max_concurrency", cap);
  }
  if (patches.size === 0) return program;

  const scope = <S extends Subgraph>(s: S): S => ({ ...s, nodes: Object.fromEntries(Object.entries(s.nodes).map(([id, n]) => [id, node(n)])) });
  const node = (n: IrNode): IrNode => {
    switch (n.kind) {
      case "call":
      case "embed":
      case "rerank":
      case "batch": {
        const p = patches.get(n.client);
        return p ? { ...n, settings: { ...n.settings, ...p } } : n;
      }
      case "map":
        return { ...n, body: scope(n.body), ...(n.filter ? { filter: scope(n.filter) } : {}) };
      case "cond":
        return { ...n, then: scope(n.then), else: scope(n.else) };
      case "fold":
        return { ...n, body: scope(n.body) };
      case "loop":
        return { ...n, until: scope(n.until), body: scope(n.body) };
      case "fuse":
        return { ...n, body: scope(n.body) };
      default:
        return n;
    }
  };
  const clients = Object.fromEntries(Object.entries(program.clients).map(([name, c]) => {
    const p = patches.get(name);
    return [name, p ? { ...c, settings: { ...c.settings, ...p } } : c];
  }));
  const graphs = Object.fromEntries(Object.entries(program.graphs).map(([name, g]) => [name, scope(g)]));
  return { ...program, clients, graphs };
}
