/**
 * Generates the Prisma clients. The schema is written once, for SQLite; the PostgreSQL
 * schema is derived from it (only the provider and output differ), because Prisma fixes
 * the provider per schema and the driver adapter must match it.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";

export const SQLITE_SCHEMA = "prisma/schema.prisma";
export const POSTGRES_SCHEMA = "prisma/postgresql/schema.prisma";

export function derivePostgresSchema(sqliteSchema: string): string {
  const out = sqliteSchema
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('output       = "../app/generated/sqlite"', 'output       = "../../app/generated/postgresql"');
  if (out === sqliteSchema || !out.includes('"postgresql"') || !out.includes("generated/postgresql")) {
    throw new Error("prisma/schema.prisma no longer has the provider/output lines this script rewrites");
  }
  return "// GENERATED from prisma/schema.prisma by scripts/prisma-generate.ts. Do not edit.\n" + out;
}

export function writePostgresSchema() {
  mkdirSync("prisma/postgresql", { recursive: true });
  writeFileSync(POSTGRES_SCHEMA, derivePostgresSchema(readFileSync(SQLITE_SCHEMA, "utf8")));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writePostgresSchema();
  for (const schema of [SQLITE_SCHEMA, POSTGRES_SCHEMA]) {
    execFileSync("npx", ["--no-install", "prisma", "generate", "--schema", schema], { stdio: ["ignore", "ignore", "inherit"] });
  }
  console.log("Prisma clients generated (sqlite, postgresql).");
}
