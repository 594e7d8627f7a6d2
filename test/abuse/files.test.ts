/**
 * Probes 6, 7 and 8: sources a careless or hostile user may hand over. A missing file, a
 * folder or an unreadable file gives every command one line, `error: cannot read X: reason`,
 * exit 2 and no line claiming success; an 8 MB string or template checks without a stack
 * overflow in bounded memory; a file over the limit is FE1019; invalid UTF-8 is FE1020 at the
 * first bad byte.
 */
import { chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { feste, scratch, STACK_LINE, type Ran } from "./support.js";

const GOOD = "graph main() -> string { \"hi\" }\n";
/** What a command prints when it succeeded; none may appear after a file could not be read. */
const SUCCESS = /no problems|wrote \d|up to date|formatted|passed|^"hi"/m;

/** Each command, with `path` where it takes a file. */
const COMMANDS: Record<string, (path: string, out: string, good: string) => string[]> = {
  check: (p) => ["check", p],
  "check (with a good file)": (p, _o, g) => ["check", g, p],
  compile: (p, o) => ["compile", p, "-o", o],
  exec: (p) => ["exec", p, "--fake"],
  "exec --input @": (p, _o, g) => ["exec", g, "--fake", "--input", `@${p}`],
  plan: (p) => ["plan", p],
  graph: (p) => ["graph", p],
  fmt: (p) => ["fmt", p],
  "fmt --check": (p) => ["fmt", "--check", p],
  test: (p) => ["test", p, "--fake"],
};

/** Runs `jobs` a few at a time: the machine is shared. */
async function inBatches<T>(jobs: (() => Promise<T>)[], size = 3): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < jobs.length; i += size) out.push(...(await Promise.all(jobs.slice(i, i + size).map((j) => j()))));
  return out;
}

function expectCannotRead(r: Ran, path: string, reason: string, what: string): void {
  expect(r.err, what).toContain(`error: cannot read ${path}: ${reason}\n`);
  expect(r.code, `${what}\n${r.err}`).toBe(2);
  expect(r.err + r.out, what).not.toMatch(SUCCESS);
  expect(r.err, what).not.toMatch(STACK_LINE);
  expect(r.err, what).not.toContain("internal error");
}

describe("a file that cannot be read", () => {
  const s = scratch();
  // Readable by the unprivileged user the unreadable-file probe runs as.
  chmodSync(s.dir, 0o755);
  const good = s.file("good.feste", GOOD);
  mkdirSync(join(s.dir, "folder.feste"));
  const locked = s.file("locked.feste", GOOD);
  chmodSync(locked, 0o000);
  // Root reads any file: run the probe as `nobody` then, so permissions bite as for a user.
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;

  const cases = [
    { name: "a missing file", path: join(s.dir, "nothere.feste"), reason: "no such file" },
    { name: "a folder", path: join(s.dir, "folder.feste"), reason: "it is a folder" },
    { name: "an unreadable file", path: locked, reason: "permission denied" },
  ];
  for (const c of cases) {
    it(`${c.name}: every command says why, exits 2 and claims no success`, async () => {
      const runs = await inBatches(
        Object.entries(COMMANDS).map(([name, args]) => async () => [name, await feste(args(c.path, join(s.dir, "out"), good), c.reason === "permission denied" && asUser ? { cwd: s.dir, user: asUser } : {})] as const),
      );
      for (const [name, r] of runs) expectCannotRead(r, c.path, c.reason, `${name} on ${c.name}`);
    }, 60_000);
  }
});

describe("sources", () => {
  it("invalid UTF-8 is FE1020 at the first bad byte, for check and exec", async () => {
    const s = scratch();
    const bytes = Buffer.concat([Buffer.from('graph main() -> string {\n  "caf'), Buffer.from([0xe9]), Buffer.from('" }\n')]);
    const file = s.file("latin1.feste", bytes);
    for (const args of [["check", file], ["exec", file, "--fake"]]) {
      const r = await feste(args);
      expect(r.code).toBe(1);
      expect(r.err).toContain("error[FE1020]: the byte 0xE9 here is not valid UTF-8");
      expect(r.err).toContain(`--> ${file}:2:7`);
      expect(r.out).toBe("");
    }
  });

  it("a valid U+FFFD written in the source is still text", async () => {
    const s = scratch();
    const r = await feste(["exec", s.file("ok.feste", 'graph main() -> string { "a\uFFFDb" }\n'), "--fake", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toBe("a\uFFFDb");
  });

  // The heap limit is 20 bytes per source byte, with room for Node and the compiler themselves.
  const EIGHT_MB = 8 * 1024 * 1024;
  const heap = ["--max-old-space-size=" + Math.round((20 * EIGHT_MB) / (1024 * 1024))];
  for (const [name, body] of [
    ["string", `"${"a".repeat(EIGHT_MB)}"`],
    ["string with escapes", `"${"ab\\n\\u{e9}".repeat(EIGHT_MB / 10)}"`],
    ["template", `"""${"lorem ipsum dolor sit amet {# note #} \"quoted\" {curly}\n".repeat(EIGHT_MB / 50)}"""`],
  ] as const) {
    it(`an 8 MB ${name} checks without a stack overflow within 20 bytes of heap per source byte`, async () => {
      const s = scratch();
      const file = s.file("big.feste", `graph main() -> string { ${body} }\n`);
      const r = await feste(["check", file], { env: { NODE_OPTIONS: heap.join(" ") }, timeoutMs: 30_000 });
      expect(r.err).not.toContain("RangeError");
      expect(r.err).toContain("checked 1 file: no problems");
      expect(r.code).toBe(0);
    }, 40_000);
  }

  it("a file over the limit is FE1019 naming the limit", async () => {
    const s = scratch();
    const file = s.file("huge.feste", `graph main() -> string { "${"a".repeat(33 * 1024 * 1024)}" }\n`);
    const r = await feste(["check", file], { timeoutMs: 30_000 });
    expect(r.code).toBe(1);
    expect(r.err).toContain("error[FE1019]: this file is 33.0 MiB, over the limit of 32.0 MiB");
  }, 40_000);
});
