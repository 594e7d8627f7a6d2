/** The command line as a user runs it: output streams and exit codes. */
import { describe, expect, it } from "vitest";
import { feste as run, scratch } from "./support/cli.js";

const feste = (...args: string[]) => run(args);
const file = scratch("feste-cli-");

describe("feste check", () => {
  it("exits 0 on clean examples", () => {
    const r = feste("check", "examples/support.feste", "examples/seed.feste");
    expect(r.err).toContain("no problems");
    expect(r.code).toBe(0);
  });

  it("exits 1 with rendered diagnostics on errors, and 0 on warnings only", () => {
    const bad = file("bad.feste", 'prompt p(question: string) """{{ questoin }}"""\n');
    const r = feste("check", bad);
    expect(r.code).toBe(1);
    expect(r.err).toContain("error[FE2003]: unknown variable `questoin`");
    expect(r.err).toContain("help: did you mean `question`?");
    const warn = file("warn.feste", "graph g(x: int) -> int {\n  let y = 1\n  x\n}\n");
    const w = feste("check", warn);
    expect(w.err).toContain("warning[FE2018]");
    expect(w.code).toBe(0);
  });

  it("prints JSON and nothing else on stdout with --json", () => {
    const bad = file("bad2.feste", "const a = b\n");
    const r = feste("check", "--json", bad);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(json[0].diagnostics[0]).toMatchObject({ code: "FE2031", span: { line: 1, column: 11 } });
  });

  it("exits 2 on usage errors and unreadable files", () => {
    expect(feste("check").code).toBe(2);
    expect(feste("frobnicate").code).toBe(2);
    expect(feste("check", file("x.feste", "").replace(/x\.feste$/, "missing.feste")).code).toBe(2);
  });
});

describe("feste explain and --version", () => {
  it("explains a code", () => {
    const r = feste("explain", "fe2003");
    expect(r.code).toBe(0);
    expect(r.out).toContain("FE2003 (error): unknown variable");
    expect(feste("explain", "FE9999").code).toBe(2);
  });

  it("prints the version", () => {
    expect(feste("--version").out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe("feste plan and feste graph", () => {
  it("plans map-reduce with exact counts from --input @file", () => {
    const r = feste("plan", "examples/mapreduce.feste", "--input", "@examples/mapreduce.input.json");
    expect(r.code).toBe(0);
    expect(r.out).toContain("requests: ceil(len(docs) / 20) + 1");
    expect(r.out).toContain("with this input: 11 requests (davinci 10, writer 1)");
    expect(r.out).toMatch(/cost \(estimate, prices as of \d{4}-\d{2}-\d{2}\): \$/);
  });

  it("prints JSON with --json, and switches passes off with --no-opt", () => {
    const on = JSON.parse(feste("plan", "examples/seed.feste", "--json").out);
    expect(on.requests.value).toBe(2);
    expect(on.dryRun.requests).toBe(2);
    const off = JSON.parse(feste("plan", "examples/seed.feste", "--json", "--no-opt=batch").out);
    // Unbatched, the two completions are still ready together: the runtime sends them as one.
    expect(off.requests.value).toBe(2);
    expect(off.dryRun.requests).toBe(2);
    expect(off.steps.filter((s: { sharesWith?: string[] }) => s.sharesWith?.length === 1)).toHaveLength(2);
    expect(off.passes).toEqual(["fold", "dedupe", "cull", "fuse"]);
  });

  it("exits 2 on an unknown pass, bad --input and a missing file", () => {
    expect(feste("plan", "examples/seed.feste", "--no-opt=nope").code).toBe(2);
    expect(feste("plan", "examples/mapreduce.feste", "--input", "{not json").code).toBe(2);
    const wrong = feste("plan", "examples/mapreduce.feste", "--input", '{"docs": [1]}');
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain("docs[0] should be string, found an int");
  });

  it("reports an unknown graph as FE3001 and exits 1", () => {
    const r = feste("plan", "examples/seed.feste", "--graph", "nope");
    expect(r.code).toBe(1);
    expect(r.err).toContain("error[FE3001]: there is no graph named `nope`");
    expect(r.err).toContain("help: choose one with --graph: `main`");
  });

  it("draws DOT and Mermaid, before and after optimizing", () => {
    const dot = feste("graph", "examples/seed.feste");
    expect(dot.code).toBe(0);
    expect(dot.out).toContain('label="batch davinci ×2"');
    const before = feste("graph", "examples/seed.feste", "--unoptimized", "--format", "mermaid");
    expect(before.out.startsWith("flowchart TD")).toBe(true);
    expect(before.out).not.toContain("batch");
    expect(feste("graph", "examples/seed.feste", "--format", "png").code).toBe(2);
  });
});
