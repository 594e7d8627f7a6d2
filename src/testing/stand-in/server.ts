/**
 * The stand-in LLM server: a real node:http server on 127.0.0.1 that speaks the OpenAI and
 * Cohere wire formats well enough for the official SDKs, so tests, examples, `feste exec
 * --fake`, dry runs and benchmarks exercise the real client path without the network.
 * Latency is simulated with timers, so requests overlap as they would against a real API.
 * Injected faults and a rate limiter on a scaled clock (faults.ts, rate-limit.ts) make it fail
 * on purpose, at request indexes a test can predict. The Batch API's file and batch routes
 * (batch-routes.ts) answer each JSONL line with the same code as a direct request.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { batchRoutes, type BatchRoutes, type LineAnswer } from "./batch-routes.js";
import { cohereChat, cohereEmbed, cohereGenerate, cohereRerank } from "./cohere-routes.js";
import { openaiChat, openaiCompletions, openaiEmbeddings } from "./openai-routes.js";
import { checkFaults, DEFAULT_STALL_MS, faultFor, rateLimited, retryHeaders, serverError, tooManyRequests, truncated } from "./faults.js";
import { createRateLimiter, tokensCharged, type RateLimiter } from "./rate-limit.js";
import { cohereError, isFailure, isObject, openaiError, type Failure, type Job, type Provider, type Route } from "./route.js";
import type { StandInFault, StandInLogEntry, StandInOptions, StandInOverride, StandInServer } from "./types.js";
import { hash32 } from "../fake-answers.js";

const ROUTES: Readonly<Record<string, Route>> = {
  "/v1/chat/completions": openaiChat,
  "/v1/completions": openaiCompletions,
  "/v1/embeddings": openaiEmbeddings,
  "/v2/chat": cohereChat,
  "/v1/generate": cohereGenerate,
  "/v2/embed": cohereEmbed,
  "/v2/rerank": cohereRerank,
};

/** What the server sends back for one request; `drop` destroys the connection instead. */
interface Reply {
  readonly status: number;
  readonly text: string;
  readonly model: string;
  readonly items: number;
  readonly delayMs: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly fault?: StandInFault;
  readonly drop?: boolean;
}

/** What `answer` needs besides the request: the options, the server's limiter, if any, and its batches. */
interface Settings {
  readonly options: StandInOptions;
  readonly limiter: RateLimiter | undefined;
  readonly batches: BatchRoutes;
}

/**
 * Starts a stand-in server on 127.0.0.1 and resolves once it listens. With `unref`, neither
 * the server nor its connections keep the process alive (requests in flight still do, through
 * their client sockets and latency timers), so a run's server needs no `close()`.
 */
export async function startStandIn(options: StandInOptions & { readonly unref?: boolean } = {}): Promise<StandInServer> {
  if (options.faults) checkFaults(options.faults);
  const limiter = options.rateLimit ? createRateLimiter(options.rateLimit, () => performance.now()) : undefined;
  const batches = batchRoutes({ delayMs: options.batchDelayMs ?? 0, answerLine: (url, body, index, customId) => answerLine(url, body, index, customId, options), now: () => performance.now() });
  const settings: Settings = { options, limiter, batches };
  const log: StandInLogEntry[] = [];
  let counts: Record<string, number> = {};
  let received = 0;
  // Answers still in flight when `reset()` runs belong to the old epoch and stay out of the new log.
  let epoch = 0;
  const timers = new Set<NodeJS.Timeout>();
  let closed: Promise<void> | undefined;

  const server = createServer((req, res) => {
    readBody(req).then((raw) => {
      const start = performance.now();
      const index = received++;
      const path = (req.url ?? "/").split("?")[0];
      counts[path] = (counts[path] ?? 0) + 1;
      const reply = answerOrCrash(req, path, raw, index, settings);
      const ownEpoch = epoch;
      const record = () => {
        if (ownEpoch !== epoch) return;
        const entry = { index, path, model: reply.model, items: reply.items, start, end: performance.now(), status: reply.status };
        log.push(reply.fault ? { ...entry, fault: reply.fault } : entry);
      };
      if (reply.drop) {
        record();
        return void res.destroy();
      }
      const send = () => {
        res.writeHead(reply.status, { "content-type": "application/json", "x-request-id": `req_${index}`, ...reply.headers });
        res.end(reply.text);
        record();
      };
      // The latency runs from the request's arrival: the server's own work is part of it, as
      // a real API's is, so an answer is not later than the latency it was set to have.
      // Rounded up: Node truncates a timer's fraction of a millisecond, which would answer early.
      const wait = Math.ceil(reply.delayMs - (performance.now() - start));
      if (wait <= 0) return send();
      const timer = setTimeout(() => {
        timers.delete(timer);
        send();
      }, wait);
      timers.add(timer);
    }, () => res.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    // A provider accepts a wide fan-out: Node's default backlog (511) would drop connections of a burst.
    server.listen({ port: options.port ?? 0, host: "127.0.0.1", backlog: 4096 }, () => resolve());
  });
  if (options.unref) {
    server.unref();
    server.on("connection", (socket) => socket.unref());
  }
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    openaiBaseURL: `${url}/v1`,
    cohereBaseURL: url,
    timeScale: options.rateLimit?.timeScale ?? 1,
    log,
    requests: () => received,
    byPath: () => ({ ...counts }),
    reset() {
      log.length = 0;
      counts = {};
      received = 0;
      epoch++;
      limiter?.reset();
    },
    /** Safe to call twice (a test's own close and its afterEach): both get the same promise. */
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // The SDKs keep connections alive; without this, close() waits for their idle timeout.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

/** The whole decision for one request: refusal, injected fault, rate limit, override or the stand-in's own answer. */
function answer(req: IncomingMessage, path: string, bytes: Buffer, index: number, { options, limiter, batches }: Settings): Reply {
  const route = req.method === "POST" ? ROUTES[path] : undefined;
  const provider: Provider = route?.provider ?? guessProvider(req, path);
  const refuse = (f: Failure, model = ""): Reply => ({ status: f.status, text: JSON.stringify(f.body), model, items: 0, delayMs: 0 });
  if (!route && batches.serves(req.method ?? "", path)) {
    if (!/^Bearer\s+\S/i.test(req.headers.authorization ?? "")) return refuse(unauthorized("openai"));
    return { ...batches.answer(req.method ?? "", path, bytes, req.headers["content-type"], index), delayMs: 0 };
  }
  const raw = bytes.toString("utf8");
  if (!route) return refuse(providerError(provider, 404, provider === "openai" ? `Invalid URL (${req.method} ${path})` : `route not found: ${req.method} ${path}`));
  if (!/^Bearer\s+\S/i.test(req.headers.authorization ?? "")) return refuse(unauthorized(provider));
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return refuse(providerError(provider, 400, provider === "openai" ? "We could not parse the JSON body of your request. The OpenAI API expects a JSON payload." : "invalid request: the body is not valid JSON"));
  }
  if (!isObject(body)) return refuse(providerError(provider, 400, provider === "openai" ? "The request body must be a JSON object." : "invalid request: the body must be a JSON object"));
  const model = typeof body.model === "string" ? body.model : "";
  const job = route.handle(body, { outOfOrder: options.outOfOrder ?? true });
  if (isFailure(job)) return refuse(job, model);
  const latency = (options.latencyByModel?.[job.model] ?? options.latencyMs ?? 0) + (options.perItemMs ?? 0) * job.items + jitterOf(job, options.jitterMs);
  const reply = { model: job.model, items: job.items, delayMs: latency };

  const fault = faultFor(options.faults, index);
  const failWith = (f: Failure, delayMs: number, headers?: Record<string, string>): Reply => ({ ...reply, status: f.status, text: JSON.stringify(f.body), delayMs, headers, fault });
  if (fault === "drop") return { ...reply, status: 0, text: "", delayMs: 0, fault, drop: true };
  if (fault === "error") return failWith(serverError(provider, options.faults?.errorStatus ?? 500), latency);
  if (fault === "tooMany") return failWith(tooManyRequests(provider, job.model), 0);
  if (fault === "malformed") return { ...reply, status: 200, text: truncated(JSON.stringify(job.render(job.texts))), fault };
  const stall = fault === "stall" ? (options.faults?.stallMs ?? DEFAULT_STALL_MS) : 0;

  let headers: Record<string, string> | undefined;
  if (limiter && options.rateLimit) {
    const admission = limiter.admit(tokensCharged(job.promptTokens, job.items, body), latency + stall);
    headers = provider === "openai" && (options.rateLimit.limitHeaders ?? true) ? { ...admission.headers } : {};
    if (!admission.admitted) {
      if ((options.rateLimit.retryHeaders ?? true) && admission.retryAfterMs !== undefined) Object.assign(headers, retryHeaders(admission.retryAfterMs));
      return { ...failWith(rateLimited(provider, job.model, admission, options.rateLimit.windowMs), stall, headers), fault: "rateLimit" };
    }
  }
  return { ...reply, delayMs: latency + stall, headers, fault, ...finalAnswer(path, body, job, index, options) };
}

/** The answer to an accepted job: the override hook's, if it gives one, else the route's own. */
function finalAnswer(path: string, body: Record<string, any>, job: Job, index: number, options: StandInOptions, customId?: string): { status: number; text: string } {
  const request = { path, body, model: job.model, items: job.items, index, ...(customId === undefined ? {} : { customId }) };
  const override: StandInOverride | undefined = options.override?.(request);
  if (override === undefined) return { status: 200, text: JSON.stringify(job.render(job.texts)) };
  if ("raw" in override) return { status: override.status ?? 200, text: override.raw };
  if ("texts" in override) return { status: 200, text: JSON.stringify(job.render(override.texts, override.finishReason)) };
  return { status: override.status, text: JSON.stringify(override.body) };
}

/**
 * One Batch API line, answered as a direct request with this body would be: the route's
 * refusal, or its answer after the override hook. Latency, faults and the limiter concern
 * HTTP requests, so they stay out of it. A raw override that is not JSON is kept as a string.
 */
function answerLine(url: string, body: Record<string, any>, index: number, customId: string, options: StandInOptions): LineAnswer {
  const route = ROUTES[url];
  if (!route) return openaiError(404, `Invalid URL (POST ${url})`);
  const job = route.handle(body, { outOfOrder: options.outOfOrder ?? true });
  if (isFailure(job)) return job;
  const { status, text } = finalAnswer(url, body, job, index, options, customId);
  try {
    return { status, body: JSON.parse(text) };
  } catch {
    return { status, body: text };
  }
}

/** A throwing override hook (or a stand-in bug) becomes a 500 naming it, not a request that hangs. */
function answerOrCrash(req: IncomingMessage, path: string, raw: Buffer, index: number, settings: Settings): Reply {
  try {
    return answer(req, path, raw, index, settings);
  } catch (e) {
    const provider = ROUTES[path]?.provider ?? guessProvider(req, path);
    const f = providerError(provider, 500, `stand-in server failed: ${e instanceof Error ? e.message : String(e)}`);
    return { status: f.status, text: JSON.stringify(f.body), model: "", items: 0, delayMs: 0 };
  }
}

/** For paths no route knows: cohere-ai announces itself in its Fern headers; `/v2/` is Cohere's too. */
function guessProvider(req: IncomingMessage, path: string): Provider {
  return req.headers["x-fern-sdk-name"] === "cohere-ai" || path.startsWith("/v2/") ? "cohere" : "openai";
}

function providerError(provider: Provider, status: number, message: string): Failure {
  return provider === "openai" ? openaiError(status, message) : cohereError(status, message);
}

function unauthorized(provider: Provider): Failure {
  if (provider === "cohere") return cohereError(401, "no api key supplied");
  return openaiError(401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** The extra latency `jitterMs` gives a job: the largest draw among its answer texts. */
function jitterOf(job: Job, jitterMs: number | undefined): number {
  if (!jitterMs) return 0;
  return job.texts.reduce<number>((most, text) => Math.max(most, text === null ? 0 : jitterFor(text, jitterMs)), 0);
}

/** The jitter (0 to `jitterMs` ms) an item answered `answer` draws: what a harness predicts latencies with. */
export function jitterFor(answer: string, jitterMs: number): number {
  return hash32(`jitter\u0000${answer}`) % (Math.floor(jitterMs) + 1);
}
