/**
 * Location stability: `.feste` locations live in one table at the end of a generated module,
 * so inserting a comment line at the top of `examples/support.feste` changes no generated
 * line outside that table, and every entry of it moves down by exactly one line.
 */
import { describe, expect, it } from "vitest";
import { nodeHost } from "../../src/cli/node-host.js";
import { compileToTypeScript } from "../../src/compile.js";

const FILE = "examples/support.feste";

function compileSupport(prefix: string): string {
  const host = { ...nodeHost, readFile: (path: string) => (path === FILE ? prefix + nodeHost.readFile(path)! : nodeHost.readFile(path)) };
  const r = compileToTypeScript([FILE], host, "generated");
  expect(r.ok).toBe(true);
  return r.files.find((f) => f.path === "support.ts")!.text;
}

/** The module split into the code above the location table and the table's entries. */
function split(text: string): { code: string; table: string[] } {
  const at = text.indexOf("function $locations()");
  expect(at).toBeGreaterThan(0);
  const start = text.lastIndexOf("/**", at);
  const table = [...text.slice(at).matchAll(/^\s+\["([^"]+)", \d+, \d+\],$/gm)].map((m) => m[1]);
  return { code: text.slice(0, start), table };
}

describe("locations in generated code", () => {
  it("a comment line at the top of the .feste file changes only the location table", () => {
    const before = split(compileSupport(""));
    const after = split(compileSupport("// a comment a user added\n"));
    expect(after.code).toBe(before.code);
    expect(before.table.length).toBeGreaterThan(10);
    const down = (loc: string) => loc.replace(/:(\d+):(\d+)$/, (_, line: string, col: string) => `:${Number(line) + 1}:${col}`);
    expect(after.table).toEqual(before.table.map(down));
  });

  it("entries are file:line:col", () => {
    for (const loc of split(compileSupport("")).table) expect(loc).toMatch(/^examples\/(shared\/common|support)\.feste:\d+:\d+$/);
  });
});
