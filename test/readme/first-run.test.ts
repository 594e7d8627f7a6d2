/**
 * The README's first run matches what the program prints: its `exec ... --fake` command is run
 * from `dist/`, the value's first element equals the one shown, and the summary on stderr
 * equals the shown one line for line, with the timing masked.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { root } from "../support/cli.js";

const mask = (text: string) => text.replace(/in \d+(\.\d+)? (s|ms)/g, "in <time>");

describe("README: the first run", () => {
  it("prints the value and the summary the README shows", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const command = /```sh\n(?:npm install && )?npx (feste exec [^\n]*--fake)\n/.exec(readme)?.[1];
    expect(command, "the first sh block runs an example with --fake").toBeDefined();
    const shown = /```text\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf(command!)))![1];
    const [, file, ...rest] = command!.split(" ");
    const r = spawnSync(process.execPath, [join(root, "dist/cli/main.js"), file, ...rest], {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: "1", OPENAI_API_KEY: "", CO_API_KEY: "" },
    });
    expect(r.status).toBe(0);
    // The value: the shown block is the JSON up to its first element, then `...`.
    const value = JSON.parse(r.stdout) as unknown[];
    const firstShown = shown.slice(0, shown.indexOf("\n  ...\n")).replace(/,$/, "").replace(/^\[\n/, "");
    expect(JSON.parse(firstShown)).toEqual(value[0]);
    // The summary: every line after the value, timings masked.
    const summaryShown = shown.slice(shown.indexOf("]\n") + 2);
    expect(mask(r.stderr)).toBe(mask(summaryShown));
  }, 90_000);
});
