import { copyFile } from "node:fs/promises";
import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    "cli/main": "src/cli/main.ts",
    "runtime/index": "src/runtime/index.ts",
    "testing/index": "src/testing/index.ts",
  },
  format: ["esm"],
  target: "node20",
  platform: "node",
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: true,
  // The parser library and its lodash-es are some 700 small modules, the cohere-ai SDK 730 and
  // the openai SDK 150; bundled, `feste exec` starts in a fraction of the time Node takes to
  // resolve and load them one by one (a Cohere run by 50 ms, every command by another 50).
  noExternal: ["chevrotain", /^@chevrotain\//, "lodash-es", "cohere-ai", "openai"],
  // The extern pool's worker is plain JavaScript so that it runs unbuilt under vitest too;
  // it goes into dist/runtime/ as it is, where extern-pool.ts looks for it.
  onSuccess: () => copyFile("src/runtime/extern-worker.mjs", "dist/runtime/extern-worker.mjs"),
});
