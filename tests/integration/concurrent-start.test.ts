/**
 * Two starts at the same instant on one empty PostgreSQL database (two instances booting
 * together): prepareDatabase's advisory lock makes them take turns, so the schema is
 * migrated once and neither fails. On SQLite the portal is one process (decision 024).
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/app-server";
import { emptyTestDatabaseUrl } from "../support/database";
import { testTarget } from "../support/global-setup";

describe.skipIf(testTarget() !== "postgresql")("starting two instances at once", () => {
  it("migrates an empty database once, each start succeeding", async () => {
    const url = emptyTestDatabaseUrl("concurrent_start");
    process.env.DATABASE_URL = url;
    process.env.SEED_DEMO_DATA = "never";
    const { parseEnv } = await import("~/utils/env.server");
    const { prepareDatabase } = await import("../../server/prepare-database");
    const { getDb } = await import("~/utils/db.server");
    const env = parseEnv(process.env);

    const starts = await Promise.allSettled([prepareDatabase(env), prepareDatabase(env), prepareDatabase(env)]);
    expect(starts.filter((s) => s.status === "rejected").map((s) => String((s as PromiseRejectedResult).reason))).toEqual([]);

    const migrations = readdirSync(path.join(REPO_ROOT, "prisma/postgresql/migrations"), { withFileTypes: true }).filter((d) => d.isDirectory());
    const applied = await getDb().$queryRawUnsafe<{ migration_name: string; finished_at: Date | null }[]>(`SELECT migration_name, finished_at FROM _prisma_migrations`);
    expect(applied.map((m) => m.migration_name).sort()).toEqual(migrations.map((d) => d.name).sort());
    expect(applied.every((m) => m.finished_at !== null)).toBe(true);
    await getDb().$disconnect();
  }, 120_000);
});
