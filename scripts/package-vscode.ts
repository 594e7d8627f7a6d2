/**
 * `npm run package:vscode`: bundles the VS Code extension's client (vscode-languageclient
 * included, so the package needs no node_modules) and packs editors/vscode into a .vsix
 * with @vscode/vsce, offline. `--out FILE` names the package (default
 * dist/feste-vscode-VERSION.vsix).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const extension = join(root, "editors", "vscode");
const manifest = JSON.parse(readFileSync(join(extension, "package.json"), "utf8")) as { name: string; version: string };
const outArg = process.argv.indexOf("--out");
const out = resolve(outArg > 0 ? process.argv[outArg + 1] : join(root, "dist", `${manifest.name}-${manifest.version}.vsix`));

await build({
  entryPoints: [join(extension, "src", "extension.ts")],
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  external: ["vscode"],
  outfile: join(extension, "out", "extension.js"),
  minify: true,
  logLevel: "warning",
});

mkdirSync(dirname(out), { recursive: true });
const vsce = join(dirname(createRequire(import.meta.url).resolve("@vscode/vsce/package.json")), "vsce");
// The client is bundled, so the package carries no dependencies; nothing is fetched.
execFileSync(process.execPath, [vsce, "package", "--no-dependencies", "--allow-missing-repository", "--out", out], { cwd: extension, stdio: ["ignore", "inherit", "inherit"] });
process.stdout.write(`packaged ${out}\n`);
