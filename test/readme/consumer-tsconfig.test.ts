/**
 * The README's "Using a generated module from TypeScript": a consumer project with exactly
 * the tsconfig shown there, `"type": "module"` and `feste` installed, type-checks a file that
 * imports a generated module and awaits a graph at top level.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { root } from "../support/cli.js";

/** The `json` block of the README section that documents the consumer's tsconfig. */
function readmeTsconfig(): string {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const section = readme.split("## Using a generated module from TypeScript")[1]?.split("\n## ")[0] ?? "";
  const block = /```json\n([\s\S]*?)```/.exec(section)?.[1];
  expect(block, "the section shows a tsconfig").toBeDefined();
  return block!;
}

describe("README: using a generated module from TypeScript", () => {
  it("a consumer with exactly the documented tsconfig type-checks", () => {
    const dir = mkdtempSync(join(tmpdir(), "feste-consumer-"));
    writeFileSync(join(dir, "tsconfig.json"), readmeTsconfig());
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    mkdirSync(join(dir, "generated"));
    copyFileSync(join(root, "generated", "seed.ts"), join(dir, "generated", "seed.ts"));
    mkdirSync(join(dir, "node_modules"));
    // What `npm install feste` gives: the package with its built dist/ (CLI tests use dist/).
    symlinkSync(root, join(dir, "node_modules", "feste"), "dir");
    writeFileSync(
      join(dir, "consumer.ts"),
      'import { main } from "./generated/seed.js";\n\nconst answers: string[] = await main({}, { fake: true });\nconsole.log(answers.length);\n',
    );
    const tsc = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], { cwd: dir, encoding: "utf8", timeout: 120_000 });
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);

    // And the settings matter: without them the same file does not check (TS2307 or TS1378).
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, skipLibCheck: true }, include: ["**/*.ts"] }));
    const plain = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], { cwd: dir, encoding: "utf8", timeout: 120_000 });
    expect(plain.status).not.toBe(0);
    expect(plain.stdout).toMatch(/TS2307|TS1378|TS2792/);
  }, 240_000);
});
