/**
 * Probe 3 and 4: the cache never costs a paid answer. A cache that cannot be written stops
 * the run before anything is sent (FE4030); a write failing mid-run (a full disk) warns once
 * and the run returns every answer; another process holding the write lock never freezes the
 * event loop; a stored value that does not fit the call's type is a miss, with a warning.
 *
 * As root, file permissions do not apply: the read-only probes run `feste` as `nobody`. A full
 * disk is a 512 KiB tmpfs filled once the run has opened its cache (mounting needs root; where
 * it is not permitted, the injected write failure below covers the same path in process).
 */
import Database from "better-sqlite3";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CompleteRequest, ModelBackend } from "../../src/runtime/backend.js";
import { cachingBackend, openCache, type AnswerCache } from "../../src/runtime/cache/index.js";
import { promptOf } from "../runtime/fixtures/cache/prompts.js";
import { feste, root, scratch, STACK_LINE } from "./support.js";

const PROGRAM = `client gpt: openai.chat { model: "m", temperature: 0 }
graph main(xs: string[]) -> string[] { for x in xs { gpt(gpt(x)) } }
`;
const INPUT = JSON.stringify({ xs: ["a", "b", "c"] });
const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;

/** A program and, once, the value it has with no cache at all (the stand-in is deterministic). */
function project() {
  const s = scratch();
  chmodSync(s.dir, 0o777);
  return { ...s, program: s.file("main.feste", PROGRAM) };
}
const run = (program: string, cache: string, more: string[] = [], opts = {}) =>
  feste(["exec", program, "--fake", "--cache", cache, "--input", INPUT, ...more], opts);

describe("a cache that cannot be written: FE4030 before anything is sent", () => {
  it("a read-only file", async () => {
    const p = project();
    const cache = join(p.dir, "cache.sqlite");
    expect((await run(p.program, cache)).code).toBe(0);
    chmodSync(cache, 0o444);
    const r = await run(p.program, cache, [], asUser ? { user: asUser } : {});
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toContain(`error[FE4030]: the cache file \`${cache}\` cannot be written: `);
    expect(r.err).toContain("nothing was sent");
    expect(r.err).toContain("help: make the file and its folder writable, point --cache at another file, or run with --no-cache");
    expect(r.err).not.toMatch(STACK_LINE);
  });

  it("a read-only folder, also with --json", async () => {
    const p = project();
    const folder = join(p.dir, "ro");
    mkdirSync(folder);
    chmodSync(folder, 0o555);
    const cache = join(folder, "cache.sqlite");
    const r = await run(p.program, cache, ["--json"], asUser ? { user: asUser } : {});
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out) as { error: { code: string; message: string } };
    expect(doc.error.code).toBe("FE4030");
    expect(doc.error.message).toContain("cannot be written");
    expect(existsSync(cache)).toBe(false);
    expect(r.err).not.toMatch(STACK_LINE);
  });
});

/** Mounts a tmpfs of `size` at `dir`; false where mounting is not permitted. */
function mountTmpfs(dir: string, size: string): boolean {
  return spawnSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir]).status === 0;
}

describe("a write failing mid-run", () => {
  const p = project();
  const disk = join(p.dir, "disk");
  mkdirSync(disk);
  const mounted = process.getuid?.() === 0 && mountTmpfs(disk, "512k");
  afterAll(() => {
    if (mounted) spawnSync("umount", [disk]);
  });

  it.runIf(mounted)("a disk that fills up after the cache is opened: one warning, every answer returned", async () => {
    const plainRun = feste(["exec", p.program, "--fake", "--no-cache", "--input", INPUT]);
    const cache = join(disk, "cache.sqlite");
    const running = run(p.program, cache, ["--fake-latency", "1500"]);
    // The probe has written once the write-ahead log exists; then the disk fills up.
    const start = performance.now();
    while (!existsSync(`${cache}-wal`) && performance.now() - start < 10_000) await new Promise((r) => setTimeout(r, 20));
    spawnSync("dd", ["if=/dev/zero", `of=${join(disk, "filler")}`, "bs=4k"]);
    const [r, plain] = await Promise.all([running, plainRun]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual(JSON.parse(plain.out));
    const warnings = r.err.split("\n").filter((l) => l.startsWith("warning:"));
    expect(warnings).toEqual([
      `warning: answers are no longer kept in the cache file \`${cache}\`: database or disk is full; this run goes on and returns every answer, but a run again pays for the ones not kept`,
    ]);
    expect(r.err).not.toMatch(STACK_LINE);
  });

  it("an injected write failure after the first write: one warning, every answer returned", async () => {
    const inner = await openCache(join(p.dir, "injected.sqlite"));
    const warned: string[] = [];
    let writes = 0;
    const failing: AnswerCache = {
      ...inner,
      warn: (m) => warned.push(m),
      write: async (entries) => {
        if (++writes > 1) throw new Error("database or disk is full");
        await inner.write(entries);
      },
    };
    const backend = cachingBackend(echo(), failing);
    const answers = [];
    for (const x of ["a", "b", "c", "d"]) answers.push(...(await backend.complete(ask([x]))));
    inner.close();
    expect(answers).toEqual(["echo a", "echo b", "echo c", "echo d"]);
    expect(writes).toBe(2);
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain("answers are no longer kept in the cache file");
  });
});

describe("a write lock held by another process", () => {
  it("waits without blocking the event loop for 100 ms, then writes", async () => {
    const p = project();
    const path = join(p.dir, "locked.sqlite");
    const cache = await openCache(path);
    const holder = await holdLock(path, 1500);
    let longest = 0;
    let last = performance.now();
    const tick = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 5);
    try {
      const started = performance.now();
      const answers = await cachingBackend(echo(), cache).complete(ask(["a"]));
      expect(answers).toEqual(["echo a"]);
      expect(performance.now() - started).toBeGreaterThan(1000);
      expect(longest).toBeLessThan(100);
      const counting = echo();
      expect(await cachingBackend(counting, cache).complete(ask(["a"]))).toEqual(["echo a"]);
      expect(counting.sent).toBe(0);
    } finally {
      clearInterval(tick);
      cache.close();
      holder.stop();
    }
  });

  it("a lock never given up: one warning after the patience runs out, the answer returned", async () => {
    const p = project();
    const path = join(p.dir, "stuck.sqlite");
    const warned: string[] = [];
    const cache = await openCache(path, { lockPatienceMs: 300, onWarning: (m) => warned.push(m) });
    const holder = await holdLock(path, 20_000);
    try {
      const backend = cachingBackend(echo(), cache);
      expect(await backend.complete(ask(["a"]))).toEqual(["echo a"]);
      expect(await backend.complete(ask(["b"]))).toEqual(["echo b"]);
      expect(warned).toHaveLength(1);
      expect(warned[0]).toContain("answers are no longer kept");
    } finally {
      cache.close();
      holder.stop();
    }
  });

  it("feste exec while another process holds the lock for 2 s: finishes, and keeps its answers", async () => {
    const p = project();
    const cache = join(p.dir, "cache.sqlite");
    // A cache file in the current format, then held by a writer that is not Feste.
    (await openCache(cache)).close();
    const holder = await holdLock(cache, 2000);
    try {
      const r = await run(p.program, cache);
      expect(r.code).toBe(0);
      expect(r.err).not.toContain("warning:");
      const again = await run(p.program, cache);
      expect(again.out).toBe(r.out);
      expect(again.err).toContain("cache: 6 calls answered from the cache, 0 sent");
    } finally {
      holder.stop();
    }
  });
});

describe("tampered values", () => {
  it("a stored value that does not fit the call's type is a miss, asked again, with one warning", async () => {
    const p = project();
    const cache = join(p.dir, "cache.sqlite");
    const first = await run(p.program, cache);
    expect(first.code).toBe(0);
    const db = new Database(cache);
    db.prepare("UPDATE answers SET value = ?").run(JSON.stringify({ x: [1, 2] }));
    db.close();
    const r = await run(p.program, cache);
    expect(r.code).toBe(0);
    expect(r.out).toBe(first.out);
    expect(r.err.split("\n").filter((l) => l.startsWith("warning:"))).toEqual([
      `warning: a cached answer for \`gpt\` in \`${cache}\` does not fit the call's type; it was not used and the call was sent again`,
    ]);
    expect(r.err).toContain("cache: 0 calls answered from the cache, 6 sent");
    // The rows were written again, right this time.
    expect((await run(p.program, cache)).err).toContain("cache: 6 calls answered from the cache, 0 sent");
  });
});

/** A backend answering `echo PROMPT`, counting the requests it is sent. */
function echo(): ModelBackend & { sent: number } {
  const b = {
    sent: 0,
    async complete(req: CompleteRequest) {
      b.sent++;
      return req.prompts.map((p) => `echo ${p.$prompt.messages.at(-1)!.content}`);
    },
    embed: () => Promise.reject(new Error("not used")),
    rerank: () => Promise.reject(new Error("not used")),
  };
  return b;
}

function ask(texts: string[]): CompleteRequest {
  const client = { name: "gpt", provider: "openai", endpoint: "openai.chat", kind: "chat", settings: { model: "m", temperature: 0 } } as const;
  return { client, settings: {}, prompts: texts.map((t) => promptOf(t)), output: { kind: "string" }, types: {} } as CompleteRequest;
}

/** Another process that takes the write lock of `path` and keeps it for `ms`; stopped by its pid. */
async function holdLock(path: string, ms: number): Promise<{ stop: () => void }> {
  const script = `const D = require(${JSON.stringify(join(root, "node_modules", "better-sqlite3"))});
const db = new D(${JSON.stringify(path)});
db.exec("BEGIN IMMEDIATE");
db.prepare("INSERT INTO answers (key, value, created_ms) VALUES (x'01', 'null', 0)").run();
process.stdout.write("locked\\n");
setTimeout(() => { db.exec("ROLLBACK"); db.close(); }, ${ms});`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once("data", () => resolve());
    child.once("exit", (code) => reject(new Error(`the lock holder exited with ${code}`)));
  });
  return {
    stop: () => {
      if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, "SIGKILL");
    },
  };
}
