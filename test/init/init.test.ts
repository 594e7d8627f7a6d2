/**
 * `feste init`: the starter project works at once. Each npm script it writes is run from the
 * new folder with this repository's CLI (from source, as `feste` would be once installed),
 * and the module `compile` writes passes `tsc --strict` with the starter's own tsconfig.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { packageName } from "../../src/cli/starter/starter-files.js";
import { root } from "../support/cli.js";
import { parseXml } from "../support/parse-xml.js";

const tsx = pathToFileURL(join(root, "node_modules/tsx/dist/loader.mjs")).href;

/** Runs `feste ...args` in `cwd`, as an installed `feste` would run there. */
function festeIn(cwd: string, args: readonly string[]) {
  const r = spawnSync(process.execPath, ["--import", tsx, join(root, "src/cli/main.ts"), ...args], {
    cwd,
    encoding: "utf8",
    timeout: 30_000,
    env: { ...process.env, NO_COLOR: "1", OPENAI_API_KEY: "", CO_API_KEY: "" },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Runs one npm script of the starter: `feste ARGS [> FILE]`. */
function runScript(cwd: string, script: string) {
  const [command, redirect] = script.split(" > ");
  const [bin, ...args] = command.split(" ");
  expect(bin).toBe("feste");
  const r = festeIn(cwd, args);
  if (redirect) writeFileSync(join(cwd, redirect), r.out);
  return r;
}

describe("feste init", () => {
  it("writes a starter whose scripts all work from its folder, and whose module type-checks", () => {
    const parent = mkdtempSync(join(tmpdir(), "feste-init-"));
    const init = festeIn(parent, ["init", "My Reviews"]);
    expect(init.code).toBe(0);
    expect(init.out).toContain("created a Feste project in My Reviews:");
    const dir = join(parent, "My Reviews");
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string; scripts: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.name).toBe("my-reviews");
    expect(Object.keys(pkg.scripts).sort()).toEqual(["check", "compile", "exec", "graph", "plan", "typecheck"]);
    expect(pkg.devDependencies.typescript).toMatch(/^\^5\./);
    for (const f of [".gitignore", "README.md", "main.feste", "main.input.json", "tsconfig.json"]) expect(existsSync(join(dir, f)), f).toBe(true);

    expect(runScript(dir, pkg.scripts.check)).toMatchObject({ code: 0, err: "checked 1 file: no problems\n" });

    const exec = runScript(dir, pkg.scripts.exec);
    expect(exec.code).toBe(0);
    const input = JSON.parse(readFileSync(join(dir, "main.input.json"), "utf8")) as { reviews: string[] };
    const value = JSON.parse(exec.out) as { mood: string; summary: string }[];
    expect(value).toHaveLength(input.reviews.length);
    for (const r of value) {
      expect(["positive", "mixed", "negative"]).toContain(r.mood);
      expect(typeof r.summary).toBe("string");
    }
    expect(exec.err).toContain(`main: ${input.reviews.length} requests`);

    const plan = runScript(dir, pkg.scripts.plan);
    expect(plan.code).toBe(0);
    expect(plan.out).toContain(`with this input: ${input.reviews.length} requests (gpt ${input.reviews.length})`);

    expect(runScript(dir, pkg.scripts.graph).code).toBe(0);
    expect(parseXml(readFileSync(join(dir, "graph.svg"), "utf8")).name).toBe("svg");

    expect(runScript(dir, pkg.scripts.compile).code).toBe(0);
    const module = readFileSync(join(dir, "generated", "main.ts"), "utf8");
    expect(module).toMatch(/export async function main\(/);

    // `npm run typecheck` as the starter ships it, offline: `npm install` is stood in for by
    // links to this repository's typescript and to this repository as the `feste` package
    // (its built `dist/`, as an install of feste would give).
    mkdirSync(join(dir, "node_modules", ".bin"), { recursive: true });
    symlinkSync(join(root, "node_modules", "typescript"), join(dir, "node_modules", "typescript"), "dir");
    symlinkSync(root, join(dir, "node_modules", "feste"), "dir");
    symlinkSync(join(root, "node_modules", "typescript", "bin", "tsc"), join(dir, "node_modules", ".bin", "tsc"));
    const typecheck = spawnSync("npm", ["run", "--silent", "typecheck"], { cwd: dir, encoding: "utf8", timeout: 120_000, env: { ...process.env, npm_config_offline: "true" } });
    expect(typecheck.stdout + typecheck.stderr).toBe("");
    expect(typecheck.status).toBe(0);
    // The starter's tsconfig, with `feste/runtime` resolved to this repository's source (as an install would).
    writeFileSync(
      join(dir, "tsconfig.check.json"),
      JSON.stringify({
        extends: "./tsconfig.json",
        compilerOptions: { paths: { "feste/runtime": [join(root, "src/runtime/index.ts")] }, typeRoots: [join(root, "node_modules/@types")], types: ["node"] },
        include: ["generated/**/*.ts"],
      }),
    );
    const tsc = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.check.json"], { cwd: dir, encoding: "utf8", timeout: 120_000 });
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  }, 240_000);

  it("refuses a folder that is not empty, and changes nothing in it", () => {
    const dir = mkdtempSync(join(tmpdir(), "feste-init-"));
    writeFileSync(join(dir, "notes.txt"), "mine");
    const r = festeIn(dir, ["init"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("error[FE4010]: cannot start a project in `.`: the folder is not empty (`notes.txt`)");
    expect(r.err).toContain("help: choose a new folder");
    expect(existsSync(join(dir, "main.feste"))).toBe(false);
  });

  it("accepts an empty folder or one holding only .git", () => {
    const dir = mkdtempSync(join(tmpdir(), "feste-init-"));
    mkdirSync(join(dir, ".git"));
    expect(festeIn(dir, ["init"]).code).toBe(0);
    expect(existsSync(join(dir, "main.feste"))).toBe(true);
  });

  it("names the package after the folder, as npm accepts it", () => {
    expect(packageName("My Reviews")).toBe("my-reviews");
    expect(packageName("...")).toBe("feste-project");
    expect(packageName("_x.y")).toBe("x.y");
  });
});
