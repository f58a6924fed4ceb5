/**
 * sqlTransaction (app/utils/sql-transaction.server.ts) against a real database, SQLite or
 * PostgreSQL per TEST_DATABASE: it commits, rolls back on a throw, reports unique violations,
 * binds dates as Prisma does, and on SQLite keeps statements outside it from joining it.
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "~/generated/sqlite/client";
import { providerOf, sqliteFilePath } from "~/utils/db-adapter.server";
import type { Db } from "~/utils/db.server";
import { openTestDatabase } from "../support/database";

let testDb: Db;
let close: () => Promise<void>;
let sql: typeof import("~/utils/sql-transaction.server");
let appDb: Db;
let url: string;

beforeAll(async () => {
  ({ testDb, close, url } = await openTestDatabase("sql_transaction"));
  sql = await import("~/utils/sql-transaction.server");
  appDb = (await import("~/utils/db.server")).db;
});
afterAll(async () => close?.());

const insertLog = (id: string, entityId: string, at: Date) =>
  Prisma.sql`INSERT INTO "AuditLog" ("id", "action", "entityType", "entityId", "createdAt") VALUES (${id}, ${"test.sql"}, ${"Test"}, ${entityId}, ${at})`;

describe("sqlTransaction", () => {
  it("commits what the work wrote and returns its result", async () => {
    const at = new Date("2026-03-01T09:30:00.250Z");
    const result = await sql.sqlTransaction(async (tx) => {
      expect(await tx.execute(insertLog("sql-commit-1", "commit", at))).toBe(1);
      return tx.query<{ n: number }>(Prisma.sql`SELECT COUNT(*) AS "n" FROM "AuditLog" WHERE "entityId" = ${"commit"}`);
    });
    expect(result).toEqual([{ n: 1 }]);
    // Written as Prisma writes dates: Prisma reads it back as the same instant, and compares it.
    const row = await testDb.auditLog.findUniqueOrThrow({ where: { id: "sql-commit-1" } });
    expect(row.createdAt.toISOString()).toBe(at.toISOString());
    expect(await testDb.auditLog.count({ where: { entityId: "commit", createdAt: { gt: new Date("2026-03-01T09:30:00.249Z") } } })).toBe(1);
    expect(await testDb.auditLog.count({ where: { entityId: "commit", createdAt: { gt: at } } })).toBe(0);
  });

  it("rolls everything back when the work throws, and rethrows its error as is", async () => {
    class Refused extends Error {}
    const refused = new Refused("non");
    await expect(
      sql.sqlTransaction(async (tx) => {
        await tx.execute(insertLog("sql-rollback-1", "rollback", new Date()));
        throw refused;
      }),
    ).rejects.toBe(refused);
    expect(await testDb.auditLog.count({ where: { entityId: "rollback" } })).toBe(0);
  });

  it("reports a unique violation, and rolls back the statements before it", async () => {
    const error = await sql
      .sqlTransaction(async (tx) => {
        await tx.execute(insertLog("sql-unique-1", "unique", new Date()));
        await tx.execute(insertLog("sql-unique-1", "unique", new Date()));
      })
      .catch((e: unknown) => e);
    expect(sql.isUniqueViolation(error)).toBe(true);
    expect(sql.isRetryableSqlError(error)).toBe(false);
    expect(await testDb.auditLog.count({ where: { entityId: "unique" } })).toBe(0);
  });

  it("keeps its uncommitted rows from statements made outside it", async () => {
    let written!: () => void;
    const inside = new Promise<void>((resolve) => (written = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = sql.sqlTransaction(async (tx) => {
      await tx.execute(insertLog("sql-isolation-1", "isolation", new Date()));
      written();
      await held;
      throw new Error("roll back");
    });
    await inside;
    // On SQLite this read waits for the transaction (one lock: decision 008); on PostgreSQL it
    // runs at once and isolation hides the row.
    const outside = appDb.auditLog.count({ where: { entityId: "isolation" } });
    setTimeout(release, 50);
    await expect(transaction).rejects.toThrow("roll back");
    expect(await outside).toBe(0);
  });
  it.runIf(process.env.TEST_DATABASE !== "postgresql")("reports a busy SQLite database as worth another attempt, and leaves the connection usable", async () => {
    expect(providerOf(url)).toBe("sqlite");
    const other = new Database(sqliteFilePath(url));
    other.exec("BEGIN IMMEDIATE"); // another process holds the write lock past the 5 s busy timeout
    try {
      const error = await sql.sqlTransaction((tx) => tx.execute(insertLog("sql-busy-1", "busy", new Date()))).catch((e: unknown) => e);
      expect(sql.isRetryableSqlError(error)).toBe(true);
      expect(sql.isUniqueViolation(error)).toBe(false);
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    await sql.sqlTransaction((tx) => tx.execute(insertLog("sql-busy-2", "busy", new Date())));
    expect(await testDb.auditLog.count({ where: { entityId: "busy" } })).toBe(1);
  }, 20_000);
});
