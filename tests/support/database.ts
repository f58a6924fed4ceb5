/**
 * A fresh database for one test file, on the run's target (TEST_DATABASE): SQLite: a new
 * file in the run's temporary folder; PostgreSQL: a new database on the server the global
 * setup started. `testDatabaseUrl` gives it already migrated (a copy of the run's migrated
 * template: `applyPendingMigrations(url)` then finds nothing to do), `emptyTestDatabaseUrl`
 * gives it empty, for tests of migrating, starting or restoring on an empty database.
 */
import { copyFileSync, existsSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { inject } from "vitest";
import { testTarget } from "./global-setup";
import { findPostgresBin } from "./postgres";

/** `name` only makes the database recognisable when debugging; a random suffix makes it unique. */
export function testDatabaseUrl(name: string): string {
  return newTestDatabase(name, inject("migratedTemplate"));
}

export function emptyTestDatabaseUrl(name: string): string {
  return newTestDatabase(name, null);
}

function newTestDatabase(name: string, template: string | null): string {
  const id = `${name.toLowerCase().replace(/[^a-z0-9]+/g, "_").slice(0, 40)}_${randomBytes(4).toString("hex")}`;
  if (testTarget() === "sqlite") {
    const dir = inject("testTempDir");
    if (!dir) throw new Error("testDatabaseUrl() needs tests/support/global-setup.ts as the vitest globalSetup");
    const file = path.join(dir, `${id}.db`);
    if (template) {
      copyFileSync(template, file);
      if (existsSync(`${template}-wal`)) copyFileSync(`${template}-wal`, `${file}-wal`);
    }
    return `file:${file}`;
  }
  const adminUrl = inject("postgresAdminUrl");
  if (!adminUrl) throw new Error("TEST_DATABASE=postgresql but no PostgreSQL server was started: is tests/support/global-setup.ts the vitest globalSetup?");
  createPostgresDatabase(adminUrl, id, template);
  const url = new URL(adminUrl);
  url.pathname = `/${id}`;
  return url.toString();
}

// psql rather than a pg client: synchronous, so a test file can get its URL at top level.
function createPostgresDatabase(adminUrl: string, name: string, template: string | null) {
  const bin = findPostgresBin();
  if (!bin) throw new Error("PostgreSQL client not found under /usr/lib/postgresql");
  const r = spawnSync(path.join(bin, "psql"), [adminUrl, "-v", "ON_ERROR_STOP=1", "-q", "-c", `CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ""}`], {
    encoding: "utf8",
    timeout: 30_000,
  });
  if (r.status !== 0) throw new Error(`CREATE DATABASE ${name} failed: ${r.stderr || r.stdout || r.error?.message}`);
}

/**
 * For a test file that calls the app's modules directly: a fresh migrated database, the
 * app's `db` pointed at it (DATABASE_URL is set before the app's modules are first
 * imported, so import those after this resolves), and a second client for the test's own
 * setup and checks. `close()` disconnects both.
 */
export async function openTestDatabase(name: string) {
  const url = testDatabaseUrl(name);
  const { applyPendingMigrations } = await import("../../server/schema-engine");
  await applyPendingMigrations(url);
  process.env.DATABASE_URL = url;
  const { createDb, configureSqlite, connectDb } = await import("~/utils/db.server");
  const { providerOf } = await import("~/utils/db-adapter.server");
  const testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
  const appDb = await connectDb();
  return {
    url,
    testDb,
    close: async () => {
      await testDb.$disconnect();
      await appDb.$disconnect();
    },
  };
}
