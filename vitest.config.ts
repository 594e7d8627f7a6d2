import { defineConfig } from "vitest/config";

export default defineConfig({
  // Generated modules import the runtime by its package name; tests run it from source.
  resolve: { alias: { "feste/runtime": new URL("./src/runtime/index.ts", import.meta.url).pathname } },
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/support/fast-check-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
