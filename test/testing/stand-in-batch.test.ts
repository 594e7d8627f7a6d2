/** The stand-in's Batch API through the raw openai-node client: files, batches, answers equal to direct requests, validation. */
import OpenAI, { toFile } from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { startStandIn, type StandInOptions, type StandInServer } from "../../src/testing/index.js";

let s: StandInServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

async function openai(options: StandInOptions = {}) {
  s = await startStandIn(options);
  return { s, client: new OpenAI({ apiKey: "test", baseURL: s.openaiBaseURL, maxRetries: 0 }) };
}

const line = (custom_id: string, url: string, body: object) => JSON.stringify({ custom_id, method: "POST", url, body });

async function upload(client: OpenAI, lines: readonly string[], name = "in.jsonl") {
  return client.files.create({ file: await toFile(Buffer.from(lines.join("\n") + "\n"), name), purpose: "batch" });
}

async function settled(client: OpenAI, id: string) {
  for (;;) {
    const b = await client.batches.retrieve(id);
    if (!["validating", "in_progress", "finalizing", "cancelling"].includes(b.status)) return b;
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function outputLines(client: OpenAI, fileId: string | null | undefined): Promise<any[]> {
  if (!fileId) return [];
  const text = await (await client.files.content(fileId)).text();
  return text.trim().split("\n").map((l) => JSON.parse(l));
}

describe("files", () => {
  it("keeps an upload and gives its content back", async () => {
    const { client, s } = await openai();
    const lines = [line("a", "/v1/embeddings", { model: "e", input: ["x"] })];
    const f = await upload(client, lines);
    expect(f).toMatchObject({ object: "file", purpose: "batch", filename: "in.jsonl", bytes: Buffer.byteLength(lines[0] + "\n") });
    expect(await (await client.files.content(f.id)).text()).toBe(lines[0] + "\n");
    expect(s.log.map((e) => [e.path, e.model, e.items, e.status])).toEqual([
      ["/v1/files", "", 0, 200],
      [`/v1/files/${f.id}/content`, "", 0, 200],
    ]);
  });

  it("refuses a batch file that is not .jsonl, and an unknown file", async () => {
    const { client } = await openai();
    await expect(upload(client, ["{}"], "in.txt")).rejects.toMatchObject({ status: 400, message: expect.stringContaining(".jsonl") });
    await expect(client.files.content("file-nope")).rejects.toMatchObject({ status: 404 });
  });
});

describe("batches", () => {
  it("answers every line as the direct route does, out of input order, placed by custom_id", async () => {
    const { client, s } = await openai({ batchDelayMs: 30 });
    const chat = { model: "gpt-x", messages: [{ role: "user" as const, content: "hello" }] };
    const chat2 = { model: "gpt-x", messages: [{ role: "user" as const, content: "bye" }], temperature: 0 };
    const f = await upload(client, [line("one", "/v1/chat/completions", chat), line("two", "/v1/chat/completions", chat2)]);
    const created = await client.batches.create({ input_file_id: f.id, endpoint: "/v1/chat/completions", completion_window: "24h" });
    expect(created.status).toBe("validating");
    expect((await client.batches.retrieve(created.id)).status).toBe("in_progress");
    const done = await settled(client, created.id);
    expect(done).toMatchObject({ status: "completed", request_counts: { total: 2, completed: 2, failed: 0 }, error_file_id: null });
    const out = await outputLines(client, done.output_file_id);
    expect(out.map((l) => l.custom_id)).toEqual(["two", "one"]);
    const direct = [await client.chat.completions.create(chat), await client.chat.completions.create(chat2)];
    const byId = new Map(out.map((l) => [l.custom_id, l]));
    expect(byId.get("one").response).toMatchObject({ status_code: 200, body: JSON.parse(JSON.stringify(direct[0])) });
    expect(byId.get("two").response.body).toEqual(JSON.parse(JSON.stringify(direct[1])));
    expect(out.every((l) => l.error === null && typeof l.id === "string")).toBe(true);
    const create = s.log.find((e) => e.path === "/v1/batches")!;
    expect([create.model, create.items]).toEqual(["gpt-x", 2]);
  });

  it("answers completions and embeddings lines like the direct routes (base64 included)", async () => {
    const { client } = await openai();
    const completion = { model: "gpt-i", prompt: ["a", "b", "c"] };
    const embedding = { model: "e", input: ["x", "y"], encoding_format: "base64" as const };
    for (const [url, body, direct] of [
      ["/v1/completions", completion, () => client.completions.create(completion)],
      ["/v1/embeddings", embedding, () => client.embeddings.create(embedding)],
    ] as const) {
      const f = await upload(client, [line("only", url, body)]);
      const b = await client.batches.create({ input_file_id: f.id, endpoint: url, completion_window: "24h" });
      const [out] = await outputLines(client, (await settled(client, b.id)).output_file_id);
      expect(out.response.body).toEqual(JSON.parse(JSON.stringify(await direct())));
    }
  });

  it("puts lines the route refuses in the error file, with the route's error body", async () => {
    const { client } = await openai();
    const f = await upload(client, [
      line("good", "/v1/embeddings", { model: "e", input: ["x"] }),
      line("empty", "/v1/embeddings", { model: "e", input: [""] }),
    ]);
    const b = await client.batches.create({ input_file_id: f.id, endpoint: "/v1/embeddings", completion_window: "24h" });
    const done = await settled(client, b.id);
    expect(done.request_counts).toEqual({ total: 2, completed: 1, failed: 1 });
    expect((await outputLines(client, done.output_file_id)).map((l) => l.custom_id)).toEqual(["good"]);
    const [bad] = await outputLines(client, done.error_file_id);
    expect(bad).toMatchObject({ custom_id: "empty", error: null, response: { status_code: 400, body: { error: { message: expect.stringContaining("empty string") } } } });
  });

  it("lets the override hook answer a line, seeing its custom_id", async () => {
    const { client } = await openai({ override: (r) => (r.customId === "b" ? { status: 500, body: { error: { message: "boom" } } } : undefined) });
    const f = await upload(client, [line("a", "/v1/embeddings", { model: "e", input: ["x"] }), line("b", "/v1/embeddings", { model: "e", input: ["y"] })]);
    const b = await client.batches.create({ input_file_id: f.id, endpoint: "/v1/embeddings", completion_window: "24h" });
    const [bad] = await outputLines(client, (await settled(client, b.id)).error_file_id);
    expect(bad.response).toMatchObject({ status_code: 500, body: { error: { message: "boom" } } });
  });

  it("fails a batch whose file does not validate: bad JSON, wrong url, duplicate custom_id, mixed models", async () => {
    const { client } = await openai();
    const f = await upload(client, [
      line("a", "/v1/embeddings", { model: "e", input: ["x"] }),
      "{not json",
      line("c", "/v1/chat/completions", { model: "e", messages: [] }),
      line("a", "/v1/embeddings", { model: "e", input: ["y"] }),
      line("d", "/v1/embeddings", { model: "other", input: ["z"] }),
    ]);
    const b = await client.batches.create({ input_file_id: f.id, endpoint: "/v1/embeddings", completion_window: "24h" });
    const done = await settled(client, b.id);
    expect(done.status).toBe("failed");
    expect(done.output_file_id).toBeNull();
    expect(done.errors!.data!.map((e) => [e.code, e.line])).toEqual([
      ["invalid_json_line", 2],
      ["mismatched_endpoint", 3],
      ["duplicate_custom_id", 4],
      ["mismatched_model", 5],
    ]);
  });

  it("refuses an unknown endpoint, window or file at create", async () => {
    const { client } = await openai();
    const f = await upload(client, [line("a", "/v1/embeddings", { model: "e", input: ["x"] })]);
    await expect(client.batches.create({ input_file_id: f.id, endpoint: "/v1/moderations", completion_window: "24h" })).rejects.toMatchObject({ status: 400 });
    await expect(client.batches.create({ input_file_id: f.id, endpoint: "/v1/embeddings", completion_window: "1h" as "24h" })).rejects.toMatchObject({ status: 400 });
    await expect(client.batches.create({ input_file_id: "file-nope", endpoint: "/v1/embeddings", completion_window: "24h" })).rejects.toMatchObject({ status: 404 });
    await expect(client.batches.retrieve("batch_nope")).rejects.toMatchObject({ status: 404 });
  });

  it("cancels a batch in progress", async () => {
    const { client } = await openai({ batchDelayMs: 10_000 });
    const f = await upload(client, [line("a", "/v1/embeddings", { model: "e", input: ["x"] })]);
    const b = await client.batches.create({ input_file_id: f.id, endpoint: "/v1/embeddings", completion_window: "24h" });
    expect((await client.batches.cancel(b.id)).status).toBe("cancelling");
    expect((await client.batches.retrieve(b.id)).status).toBe("cancelled");
    await expect(client.batches.cancel(b.id)).rejects.toMatchObject({ status: 409 });
  });

  it("wants a key like every other route", async () => {
    const { s } = await openai();
    const r = await fetch(`${s.openaiBaseURL}/batches/batch_x`);
    expect(r.status).toBe(401);
  });
});
