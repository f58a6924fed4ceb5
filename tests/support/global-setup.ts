/**
 * Vitest global setup: with TEST_DATABASE=postgresql, one throw-away PostgreSQL server for
 * the whole run (test files then create their own databases on it, see database.ts).
 * Always: one temporary folder for the run's SQLite files, removed at the end, and one
 * database migrated once that each test file's database is copied from (migrating takes
 * a second or two through the Wasm engine; a copy takes milliseconds).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { applyPendingMigrations } from "../../server/schema-engine";
import { startPostgres, type PgServer } from "./postgres";

declare module "vitest" {
  export interface ProvidedContext {
    /** Maintenance URL (database `postgres`) of the run's PostgreSQL server, or null on SQLite. */
    postgresAdminUrl: string | null;
    /** Folder for this run's SQLite test databases. */
    testTempDir: string;
    /** The migrated database test databases are copied from: a SQLite file path, or a PostgreSQL database name. */
    migratedTemplate: string;
  }
}

export type TestTarget = "sqlite" | "postgresql";

export function testTarget(): TestTarget {
  const value = process.env.TEST_DATABASE ?? "sqlite";
  if (value !== "sqlite" && value !== "postgresql") throw new Error(`TEST_DATABASE must be "sqlite" or "postgresql", not "${value}"`);
  return value;
}

export default async function setup(project: TestProject) {
  const tempDir = mkdtempSync(path.join(os.tmpdir(), "maillon-test-"));
  let postgres: PgServer | undefined;
  if (testTarget() === "postgresql") postgres = await startPostgres();
  project.provide("postgresAdminUrl", postgres ? postgres.url("postgres") : null);
  project.provide("testTempDir", tempDir);
  project.provide("migratedTemplate", await migratedTemplate(tempDir, postgres));

  return () => {
    try {
      postgres?.stop();
    } finally {
      rmSync(tempDir, { recursive: true, force: true });
    }
  };
}

export const TEMPLATE_DATABASE = "maillon_migrated_template";

async function migratedTemplate(tempDir: string, postgres: PgServer | undefined): Promise<string> {
  if (postgres) {
    postgres.createDatabase(TEMPLATE_DATABASE);
    await applyPendingMigrations(postgres.url(TEMPLATE_DATABASE));
    return TEMPLATE_DATABASE;
  }
  const file = path.join(tempDir, `${TEMPLATE_DATABASE}.db`);
  await applyPendingMigrations(`file:${file}`);
  return file;
}
