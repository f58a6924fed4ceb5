import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * Browser journeys and accessibility checks against the built app (`npm run build` first),
 * run by the real server on a real database. One file at a time: each starts its own
 * server and browser, and two at once would only fight over two cores.
 */
export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    fileParallelism: false,
    globalSetup: ["tests/support/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    teardownTimeout: 15_000,
  },
});
