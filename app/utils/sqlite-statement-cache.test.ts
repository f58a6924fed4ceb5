import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type { SqlDriverAdapter, SqlQuery } from "@prisma/driver-adapter-utils";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { cacheStatements, sqliteClientOf, withStatementCache } from "./sqlite-statement-cache.server";

const query = (sql: string, args: unknown[] = []): SqlQuery =>
  ({ sql, args, argTypes: args.map((arg) => ({ scalarType: typeof arg === "number" ? "int" : "string", arity: "scalar" })) }) as unknown as SqlQuery;

describe("SQLite statement cache, under Prisma's better-sqlite3 adapter", () => {
  let dir: string;
  let adapter: SqlDriverAdapter;
  const compiled = vi.spyOn(Database.prototype, "prepare");

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "maillon-stmt-cache-"));
    adapter = await withStatementCache(new PrismaBetterSqlite3({ url: path.join(dir, "cache.db") })).connect();
    await adapter.executeScript("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
    compiled.mockClear();
  });
  afterEach(() => compiled.mockClear());
  afterAll(async () => {
    await adapter.dispose();
    compiled.mockRestore();
    rmSync(dir, { recursive: true, force: true });
  });

  it("compiles a statement once and runs it again with other arguments", async () => {
    for (const v of ["un", "deux", "trois"]) await adapter.executeRaw(query("INSERT INTO t (v) VALUES (?)", [v]));
    const found: string[] = [];
    for (const v of ["deux", "trois", "quatre"]) {
      const result = await adapter.queryRaw(query("SELECT v FROM t WHERE v = ?", [v]));
      found.push(...result.rows.map((row) => String(row[0])));
    }
    expect(found).toEqual(["deux", "trois"]);
    expect(compiled.mock.calls.map(([sql]) => sql)).toEqual(["INSERT INTO t (v) VALUES (?)", "SELECT v FROM t WHERE v = ?"]);
    expect(compiled.mock.calls.length).toBe(2);
  });

  it("reports columns and the number of changed rows as before", async () => {
    const result = await adapter.queryRaw(query("SELECT id, v FROM t ORDER BY id LIMIT ?", [2]));
    expect(result.columnNames).toEqual(["id", "v"]);
    expect(result.rows.map((row) => row[1])).toEqual(["un", "deux"]);
    expect(await adapter.executeRaw(query("UPDATE t SET v = v || '!' WHERE id > ?", [1]))).toBe(2);
    expect(await adapter.executeRaw(query("UPDATE t SET v = v || '!' WHERE id > ?", [2]))).toBe(1);
  });

  it("compiles again after a schema change", async () => {
    const select = query("SELECT * FROM t WHERE id = ?", [1]);
    expect((await adapter.queryRaw(select)).columnNames).toEqual(["id", "v"]);
    await adapter.executeScript("ALTER TABLE t ADD COLUMN w TEXT");
    expect((await adapter.queryRaw(select)).columnNames).toEqual(["id", "v", "w"]);
    expect((await adapter.queryRaw(select)).rows[0]).toHaveLength(3);
  });

  it("keeps transactions working on the shared statements", async () => {
    const tx = await adapter.startTransaction();
    await tx.executeRaw(query("INSERT INTO t (v) VALUES (?)", ["annulé"]));
    await tx.executeRaw(query("ROLLBACK"));
    await tx.rollback();
    const rows = await adapter.queryRaw(query("SELECT count(*) FROM t WHERE v = ?", ["annulé"]));
    expect(Number(rows.rows[0]![0])).toBe(0);
  });

  it("is bounded: the least recently used statement goes first", () => {
    const client = new Database(":memory:");
    const cache = cacheStatements(client, 2);
    compiled.mockClear();
    for (const sql of ["SELECT 1", "SELECT 2", "SELECT 1", "SELECT 3", "SELECT 1", "SELECT 2"]) client.prepare(sql).bind([]).raw().all();
    // "SELECT 1" stays (used again), "SELECT 2" is evicted by "SELECT 3" and compiled again.
    expect(compiled.mock.calls.map(([sql]) => sql).filter((sql) => sql.startsWith("SELECT"))).toEqual(["SELECT 1", "SELECT 2", "SELECT 3", "SELECT 2"]);
    expect(cache.size()).toBe(2);
    client.close();
  });

  it("finds the adapter's connection", () => {
    expect(sqliteClientOf(adapter)).toBeInstanceOf(Database);
  });
});
