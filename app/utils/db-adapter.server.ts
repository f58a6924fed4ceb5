import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { isPostgresUrl } from "./env.server";

export type Provider = "sqlite" | "postgresql";

export const providerOf = (databaseUrl: string): Provider => (isPostgresUrl(databaseUrl) ? "postgresql" : "sqlite");

export function sqliteFilePath(databaseUrl: string): string {
  return path.resolve(databaseUrl.replace(/^file:/, ""));
}

/**
 * node-postgres lets a connection string override the `database` field, which makes the
 * Prisma adapter's shadow connection open the real database. Separate fields avoid that.
 */
export function pgConfig(databaseUrl: string) {
  const u = new URL(databaseUrl);
  return {
    host: decodeURIComponent(u.hostname),
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, "")),
    max: Number(u.searchParams.get("connection_limit") ?? 10),
  };
}

export function createAdapterFactory(databaseUrl: string) {
  if (providerOf(databaseUrl) === "postgresql") return new PrismaPg(pgConfig(databaseUrl));
  if (databaseUrl === "file::memory:") return new PrismaBetterSqlite3({ url: ":memory:" });
  const file = sqliteFilePath(databaseUrl);
  mkdirSync(path.dirname(file), { recursive: true });
  // `timeout` is better-sqlite3's busy timeout: writers wait up to 5 s for the lock.
  return new PrismaBetterSqlite3({ url: file, timeout: 5000 });
}
