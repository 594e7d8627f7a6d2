/**
 * OpenAI's Batch API on the stand-in: `POST /v1/files` (multipart upload, kept in memory),
 * `GET /v1/files/{id}/content`, `POST /v1/batches`, `GET /v1/batches/{id}` and
 * `POST /v1/batches/{id}/cancel`. Each JSONL line is answered by `answerLine`, the same code
 * that answers the line's body on the normal route, so a batch returns exactly what direct
 * requests would. A batch reads `validating` when created, `in_progress` until `delayMs` has
 * passed, then `completed`, and its output file lists the answers in reverse input order, so
 * a reader that trusts line order instead of `custom_id` fails every time.
 */
import { openaiError, isObject, type Failure } from "./route.js";

/** What the normal route answers one line's body: an HTTP status and its JSON body. */
export interface LineAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** Answers one line as a direct request to `url` would be; `index` is the create request's. */
export type AnswerLine = (url: string, body: Record<string, any>, index: number, customId: string) => LineAnswer;

/** One answer of a batch route, logged like any other (`items` = lines for batches). */
export interface BatchReply {
  readonly status: number;
  readonly text: string;
  readonly model: string;
  readonly items: number;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface BatchRoutes {
  /** Whether `method path` is one of these routes. */
  serves(method: string, path: string): boolean;
  answer(method: string, path: string, raw: Buffer, contentType: string | undefined, index: number): BatchReply;
}

/** The endpoints a batch may target, as the Batch API spells them. */
export const BATCH_ENDPOINTS: readonly string[] = ["/v1/chat/completions", "/v1/completions", "/v1/embeddings"];
/** Provider facts: up to 50,000 requests (and embedding inputs) and 200 MB per input file. */
const MAX_LINES = 50_000;
const MAX_BYTES = 200 * 1024 * 1024;
const PURPOSES = ["assistants", "batch", "fine-tune", "vision", "user_data", "evals"];
/** Fixed, like the model routes' `created`, so answers are the same from run to run. */
const EPOCH = 1_700_000_000;
const DAY = 86_400;

interface StoredFile {
  readonly id: string;
  readonly filename: string;
  readonly purpose: string;
  readonly bytes: Buffer;
  readonly created_at: number;
}

interface LineError {
  readonly code: string;
  readonly message: string;
  readonly line: number | null;
  readonly param: string | null;
}

interface Batch {
  readonly id: string;
  readonly body: Record<string, any>;
  readonly model: string;
  readonly lines: number;
  /** performance-clock ms when created. */
  readonly start: number;
  readonly errors: readonly LineError[];
  /** Output lines in input order, split by whether the request succeeded. */
  readonly results: readonly { readonly ok: boolean; readonly line: object }[];
  status: "validating" | "in_progress" | "completed" | "failed" | "cancelling" | "cancelled";
  outputFileId?: string;
  errorFileId?: string;
  endedAt?: number;
}

/** The Batch API's routes over in-memory files; `delayMs` is how long a batch takes to complete. */
export function batchRoutes(options: { readonly delayMs: number; readonly answerLine: AnswerLine; readonly now: () => number }): BatchRoutes {
  const files = new Map<string, StoredFile>();
  const batches = new Map<string, Batch>();
  const t0 = options.now();
  let seq = 0;
  const seconds = (ms: number) => EPOCH + Math.floor((ms - t0) / 1000);
  const json = (status: number, body: unknown, model = "", items = 0): BatchReply => ({ status, text: JSON.stringify(body), model, items });
  const refuse = (f: Failure): BatchReply => json(f.status, f.body);

  function store(filename: string, purpose: string, bytes: Buffer): StoredFile {
    const file = { id: `file-${(++seq).toString(36).padStart(6, "0")}`, filename, purpose, bytes, created_at: seconds(options.now()) };
    files.set(file.id, file);
    return file;
  }

  function fileObject(f: StoredFile) {
    return { id: f.id, object: "file", bytes: f.bytes.length, created_at: f.created_at, filename: f.filename, purpose: f.purpose, status: "processed", expires_at: null, status_details: null };
  }

  function upload(raw: Buffer, contentType: string | undefined): BatchReply {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? "");
    if (!/^multipart\/form-data/i.test(contentType ?? "") || !boundary) return refuse(openaiError(400, "Uploads must be sent as multipart/form-data."));
    const parts = multipart(raw, boundary[1] ?? boundary[2]);
    const purpose = parts.get("purpose")?.data.toString("utf8");
    const file = parts.get("file");
    if (!file) return refuse(openaiError(400, "Missing required parameter: 'file'.", "file", "missing_required_parameter"));
    if (purpose === undefined) return refuse(openaiError(400, "Missing required parameter: 'purpose'.", "purpose", "missing_required_parameter"));
    if (!PURPOSES.includes(purpose)) return refuse(openaiError(400, `Invalid value for 'purpose': ${JSON.stringify(purpose)}.`, "purpose", "invalid_value"));
    if (purpose === "batch" && !/\.jsonl$/i.test(file.filename ?? "")) return refuse(openaiError(400, "Invalid file format for Batch API. Must be .jsonl", "file"));
    if (purpose === "batch" && file.data.length > MAX_BYTES) return refuse(openaiError(400, `File is too large: ${file.data.length} bytes; the Batch API takes up to 200 MB.`, "file"));
    return json(200, fileObject(store(file.filename ?? "upload", purpose, file.data)));
  }

  function content(id: string): BatchReply {
    const f = files.get(id);
    if (!f) return refuse(openaiError(404, `No such File object: ${id}`, "id"));
    return { status: 200, text: f.bytes.toString("utf8"), model: "", items: 0, headers: { "content-type": "application/octet-stream" } };
  }

  function create(body: unknown, index: number): BatchReply {
    if (!isObject(body)) return refuse(openaiError(400, "The request body must be a JSON object."));
    for (const key of ["input_file_id", "endpoint", "completion_window"]) {
      if (typeof body[key] !== "string") return refuse(openaiError(400, `Missing required parameter: '${key}'.`, key, "missing_required_parameter"));
    }
    if (!BATCH_ENDPOINTS.includes(body.endpoint)) return refuse(openaiError(400, `Invalid value for 'endpoint': ${JSON.stringify(body.endpoint)}; the stand-in supports ${BATCH_ENDPOINTS.join(", ")}.`, "endpoint", "invalid_value"));
    if (body.completion_window !== "24h") return refuse(openaiError(400, `Invalid value for 'completion_window': ${JSON.stringify(body.completion_window)}; only '24h' is supported.`, "completion_window", "invalid_value"));
    const input = files.get(body.input_file_id);
    if (!input) return refuse(openaiError(404, `No such File object: ${body.input_file_id}`, "input_file_id"));
    if (input.purpose !== "batch") return refuse(openaiError(400, `The input file must be uploaded with purpose 'batch', not '${input.purpose}'.`, "input_file_id"));

    const id = `batch_${(++seq).toString(36).padStart(6, "0")}`;
    const parsed = parseLines(input.bytes.toString("utf8"), body.endpoint);
    const errors = "errors" in parsed ? parsed.errors : [];
    const lines = "lines" in parsed ? parsed.lines : [];
    const results = lines.map((l, i) => {
      const a = options.answerLine(l.url, l.body, index, l.custom_id);
      const response = { status_code: a.status, request_id: `req_${id}_${i}`, body: a.body };
      return { ok: a.status === 200, line: { id: `batch_req_${id.slice(6)}_${i}`, custom_id: l.custom_id, response, error: null } };
    });
    const model = lines[0]?.body.model;
    const batch: Batch = { id, body, model: typeof model === "string" ? model : "", lines: "lines" in parsed ? lines.length : parsed.count, start: options.now(), errors, results, status: "validating" };
    batches.set(id, batch);
    return json(200, batchObject(batch), batch.model, batch.lines);
  }

  /** Moves a batch along the clock: failed at once after validating, completed after `delayMs`. */
  function settle(b: Batch): void {
    if (b.status !== "validating" && b.status !== "in_progress") return;
    const now = options.now();
    if (b.errors.length > 0) {
      b.status = "failed";
      b.endedAt = now;
    } else if (now - b.start >= options.delayMs) {
      const jsonl = (ok: boolean) => b.results.filter((r) => r.ok === ok).map((r) => JSON.stringify(r.line)).reverse().join("\n");
      const done = b.results.filter((r) => r.ok).length;
      if (done > 0) b.outputFileId = store(`${b.id}_output.jsonl`, "batch_output", Buffer.from(jsonl(true) + "\n")).id;
      if (done < b.results.length) b.errorFileId = store(`${b.id}_error.jsonl`, "batch_output", Buffer.from(jsonl(false) + "\n")).id;
      b.status = "completed";
      b.endedAt = now;
    } else b.status = "in_progress";
  }

  function batchObject(b: Batch) {
    const created = seconds(b.start);
    const ended = b.endedAt === undefined ? null : seconds(b.endedAt);
    const completed = b.status === "completed" ? b.results.filter((r) => r.ok).length : 0;
    const failed = b.status === "completed" ? b.results.length - completed : 0;
    return {
      id: b.id,
      object: "batch",
      endpoint: b.body.endpoint,
      model: b.model || null,
      errors: b.status === "failed" ? { object: "list", data: b.errors } : null,
      input_file_id: b.body.input_file_id,
      completion_window: "24h",
      status: b.status,
      output_file_id: b.outputFileId ?? null,
      error_file_id: b.errorFileId ?? null,
      created_at: created,
      in_progress_at: b.status === "validating" || b.status === "failed" ? null : created,
      expires_at: created + DAY,
      finalizing_at: b.status === "completed" ? ended : null,
      completed_at: b.status === "completed" ? ended : null,
      failed_at: b.status === "failed" ? ended : null,
      expired_at: null,
      cancelling_at: b.status === "cancelling" || b.status === "cancelled" ? ended : null,
      cancelled_at: b.status === "cancelled" ? ended : null,
      request_counts: { total: b.lines, completed, failed },
      metadata: isObject(b.body.metadata) ? b.body.metadata : null,
    };
  }

  function retrieve(id: string, cancel: boolean): BatchReply {
    const b = batches.get(id);
    if (!b) return refuse(openaiError(404, `No batch found with id '${id}'.`, "batch_id"));
    if (b.status === "cancelling") b.status = "cancelled";
    settle(b);
    if (cancel) {
      if (b.status !== "validating" && b.status !== "in_progress") return refuse(openaiError(409, `Cannot cancel a batch with status '${b.status}'.`));
      b.status = "cancelling";
      b.endedAt = options.now();
    }
    return json(200, batchObject(b), b.model, b.lines);
  }

  return {
    serves: (method, path) => route(method, path) !== undefined,
    answer(method, path, raw, contentType, index) {
      const r = route(method, path)!;
      if (r.kind === "upload") return upload(raw, contentType);
      if (r.kind === "content") return content(r.id);
      if (r.kind === "retrieve" || r.kind === "cancel") return retrieve(r.id, r.kind === "cancel");
      let body: unknown;
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        return refuse(openaiError(400, "We could not parse the JSON body of your request. The OpenAI API expects a JSON payload."));
      }
      return create(body, index);
    },
  };
}

type Matched = { kind: "upload" | "create" } | { kind: "content" | "retrieve" | "cancel"; id: string };

function route(method: string, path: string): Matched | undefined {
  if (method === "POST" && path === "/v1/files") return { kind: "upload" };
  if (method === "POST" && path === "/v1/batches") return { kind: "create" };
  const m = /^\/v1\/(files|batches)\/([^/]+)(?:\/(content|cancel))?$/.exec(path);
  if (!m) return undefined;
  const id = decodeURIComponent(m[2]);
  if (method === "GET" && m[1] === "files" && m[3] === "content") return { kind: "content", id };
  if (method === "GET" && m[1] === "batches" && !m[3]) return { kind: "retrieve", id };
  if (method === "POST" && m[1] === "batches" && m[3] === "cancel") return { kind: "cancel", id };
  return undefined;
}

interface Line {
  readonly custom_id: string;
  readonly url: string;
  readonly body: Record<string, any>;
}

/** The input file's requests, or every reason the Batch API would fail the batch while validating. */
function parseLines(text: string, endpoint: string): { lines: Line[] } | { errors: LineError[]; count: number } {
  const rows = text.split("\n");
  if (rows.at(-1) === "") rows.pop();
  const errors: LineError[] = [];
  const err = (code: string, message: string, line: number | null, param: string | null = null) => errors.push({ code, message, line, param });
  if (rows.length === 0) err("empty_file", "The input file is empty.", null);
  if (rows.length > MAX_LINES) err("too_many_tasks", `The input file has ${rows.length} requests; a batch takes at most ${MAX_LINES}.`, null);
  const lines: Line[] = [];
  const seen = new Set<string>();
  let inputs = 0;
  rows.forEach((row, i) => {
    const n = i + 1;
    let x: unknown;
    try {
      x = JSON.parse(row);
    } catch {
      return err("invalid_json_line", `Line ${n} is not valid JSON.`, n);
    }
    if (!isObject(x)) return err("invalid_json_line", `Line ${n} is not a JSON object.`, n);
    if (typeof x.custom_id !== "string" || x.custom_id === "") return err("missing_required_parameter", `Line ${n} has no 'custom_id'.`, n, "custom_id");
    if (seen.has(x.custom_id)) return err("duplicate_custom_id", `The custom_id '${x.custom_id}' on line ${n} is used more than once in the file.`, n, "custom_id");
    seen.add(x.custom_id);
    if (x.method !== "POST") return err("invalid_method", `Line ${n}: the method must be 'POST'.`, n, "method");
    if (x.url !== endpoint) return err("mismatched_endpoint", `Line ${n}: the url ${JSON.stringify(x.url)} does not match the batch's endpoint '${endpoint}'.`, n, "url");
    if (!isObject(x.body)) return err("missing_required_parameter", `Line ${n} has no 'body' object.`, n, "body");
    const first = lines[0]?.body.model;
    if (first !== undefined && x.body.model !== first) return err("mismatched_model", `Line ${n}: the model ${JSON.stringify(x.body.model)} differs from line 1's ${JSON.stringify(first)}; a batch uses one model.`, n, "body.model");
    if (endpoint === "/v1/embeddings") inputs += Array.isArray(x.body.input) ? x.body.input.length : 1;
    lines.push({ custom_id: x.custom_id, url: x.url, body: x.body });
  });
  if (inputs > MAX_LINES) err("too_many_tasks", `The batch has ${inputs} embedding inputs; an embeddings batch takes at most ${MAX_LINES}.`, null);
  return errors.length > 0 ? { errors, count: rows.length } : { lines };
}

/** The parts of a multipart/form-data body by field name, as undici's FormData writes them. */
function multipart(raw: Buffer, boundary: string): Map<string, { filename?: string; data: Buffer }> {
  const parts = new Map<string, { filename?: string; data: Buffer }>();
  const delimiter = Buffer.from(`--${boundary}`);
  let at = raw.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (raw.subarray(start, start + 2).toString() === "--") break;
    const next = raw.indexOf(delimiter, start);
    if (next < 0) break;
    const part = raw.subarray(start + 2, next - 2); // past the CRLF after the delimiter, before the one ending the part
    const split = part.indexOf("\r\n\r\n");
    if (split >= 0) {
      const head = part.subarray(0, split).toString("utf8");
      const name = /name="([^"]*)"/i.exec(head)?.[1];
      const filename = /filename="([^"]*)"/i.exec(head)?.[1];
      if (name !== undefined) parts.set(name, { ...(filename !== undefined ? { filename } : {}), data: part.subarray(split + 4) });
    }
    at = next;
  }
  return parts;
}
