import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * Unit and integration tests. Standalone on purpose: the Remix Vite plugin is never loaded
 * here (it would try to compile the app as a Remix build).
 * With TEST_DATABASE=postgresql the global setup starts a throw-away PostgreSQL server and
 * every `testDatabaseUrl()` gets a fresh database on it; otherwise a fresh SQLite file.
 */
export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  test: {
    include: ["app/**/*.test.{ts,tsx}", "emails/**/*.test.ts", "tests/**/*.test.ts"],
    exclude: ["tests/e2e/**", "node_modules/**", "build/**"],
    environment: "node",
    pool: "forks",
    globalSetup: ["tests/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 15_000,
  },
});
