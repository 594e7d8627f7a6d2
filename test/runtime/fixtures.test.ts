/**
 * The record/replay backends in process: fixtures keep no key or base URL, replay answers
 * from them alone (for a client pointed anywhere, with any key), calls sampled above
 * temperature 0 replay in order, and a call with no fixture fails with FE4020.
 */
import { describe, expect, it } from "vitest";
import type { IrClient } from "../../src/ir/nodes.js";
import { STRING } from "../../src/ir/types.js";
import type { PromptValue } from "../../src/ir/value.js";
import type { CompleteRequest, ModelBackend } from "../../src/runtime/backend.js";
import { recordingBackend, replayingBackend, type FixtureStore } from "../../src/runtime/fixtures/index.js";
import { FakeBackend } from "../../src/testing/fake-backend.js";

function memoryStore(): FixtureStore & { files: Map<string, string> } {
  const files = new Map<string, string>();
  return { files, read: (n) => files.get(n), write: (n, t) => void files.set(n, t), where: (n) => `mem/${n}` };
}

const prompt = (text: string): PromptValue => ({ $prompt: { lang: "en", messages: [{ role: "user", content: text }] } });

function client(settings: IrClient["settings"]): IrClient {
  return { name: "gpt", provider: "openai", endpoint: "openai.chat", kind: "chat", settings };
}

function request(c: IrClient, texts: string[]): CompleteRequest {
  return { client: c, settings: {}, prompts: texts.map(prompt), output: STRING, types: {} };
}

/** A backend whose every answer is new: the n-th call gets `sample n`. */
function sampling(): ModelBackend {
  let n = 0;
  const fail = () => Promise.reject(new Error("not used"));
  return { complete: async (req) => req.prompts.map(() => `sample ${n++}`), embed: fail, rerank: fail };
}

describe("fixtures", () => {
  it("never write the API key or the base URL, and replay for a client pointed elsewhere", async () => {
    const store = memoryStore();
    const recorded = client({ model: "gpt-4o-mini", temperature: 0, api_key: "sk-test-SECRET", base_url: "http://127.0.0.1:9/v1" });
    const answers = await recordingBackend(new FakeBackend(), store).complete(request(recorded, ["a", "b"]));
    expect(store.files.size).toBe(2);
    for (const text of store.files.values()) {
      expect(text).not.toContain("SECRET");
      expect(text).not.toContain("127.0.0.1");
      expect(JSON.parse(text).request.messages[0].role).toBe("user");
    }
    const elsewhere = client({ model: "gpt-4o-mini", temperature: 0, api_key: "sk-other", base_url: "https://api.openai.com/v1" });
    expect(await replayingBackend(store).complete(request(elsewhere, ["b", "a"]))).toEqual([answers[1], answers[0]]);
  });

  it("replay samples of equal prompts at temperature > 0 in the order they were drawn", async () => {
    const store = memoryStore();
    const hot = client({ model: "gpt-4o-mini", temperature: 0.9 });
    const first = await recordingBackend(sampling(), store).complete(request(hot, ["same", "same", "same"]));
    expect(new Set(first).size).toBe(3);
    expect([...store.files.values()].map((t) => JSON.parse(t).sample).sort()).toEqual([0, 1, 2]);
    expect(await replayingBackend(store).complete(request(hot, ["same", "same", "same"]))).toEqual(first);
  });

  it("fail a call that was not recorded with FE4020, naming the fixture", async () => {
    const store = memoryStore();
    const c = client({ model: "gpt-4o-mini", temperature: 0 });
    await recordingBackend(new FakeBackend(), store).complete(request(c, ["a"]));
    const other = client({ model: "gpt-4.1", temperature: 0 });
    await expect(replayingBackend(store).complete(request(other, ["a"]))).rejects.toMatchObject({ code: "FE4020", message: expect.stringMatching(/the fixture mem\/[0-9a-f]{64}\.json is missing/) });
  });
});
