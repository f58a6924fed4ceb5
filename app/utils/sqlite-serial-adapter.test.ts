import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "./db.server";
import { createLock } from "./sqlite-serial-adapter.server";

describe("createLock", () => {
  it("hands the lock over in order, one holder at a time", async () => {
    const lock = createLock();
    const order: string[] = [];
    const task = async (name: string, ms: number) => {
      const release = await lock.acquire();
      order.push(`${name}+`);
      await new Promise((r) => setTimeout(r, ms));
      order.push(`${name}-`);
      release();
    };
    await Promise.all([task("a", 20), task("b", 1), task("c", 5)]);
    expect(order).toEqual(["a+", "a-", "b+", "b-", "c+", "c-"]);
  });
});

describe("SQLite client: a statement outside a transaction never joins another one", () => {
  let dir: string;
  let db: Db;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "maillon-serial-"));
    db = createDb(`file:${path.join(dir, "serial.db")}`);
    await db.$executeRawUnsafe("CREATE TABLE t (v TEXT NOT NULL)");
  });
  afterAll(async () => {
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps a concurrent insert when the open transaction rolls back", async () => {
    let inTransaction!: () => void;
    const opened = new Promise<void>((r) => (inTransaction = r));
    const rolledBack = db
      .$transaction(async (tx) => {
        await tx.$executeRawUnsafe("INSERT INTO t (v) VALUES ('from the transaction')");
        inTransaction();
        await new Promise((r) => setTimeout(r, 100));
        throw new Error("roll back");
      })
      .catch((e: Error) => e.message);
    await opened;
    const outside = db.$executeRawUnsafe("INSERT INTO t (v) VALUES ('outside')");
    expect(await rolledBack).toBe("roll back");
    await outside;
    const rows = await db.$queryRawUnsafe<{ v: string }[]>("SELECT v FROM t ORDER BY v");
    expect(rows.map((r) => r.v)).toEqual(["outside"]);
  });

  it("does not let a read outside a transaction see its uncommitted rows", async () => {
    let inTransaction!: () => void;
    const opened = new Promise<void>((r) => (inTransaction = r));
    const tx = db
      .$transaction(async (t) => {
        await t.$executeRawUnsafe("INSERT INTO t (v) VALUES ('uncommitted')");
        inTransaction();
        await new Promise((r) => setTimeout(r, 50));
        throw new Error("roll back");
      })
      .catch(() => undefined);
    await opened;
    const seen = await db.$queryRawUnsafe<{ n: number | bigint }[]>("SELECT COUNT(*) AS n FROM t WHERE v = 'uncommitted'");
    await tx;
    expect(Number(seen[0]!.n)).toBe(0);
  });
});
