import type { Env } from "../app/utils/env.server";
import { connectDb } from "../app/utils/db.server";
import { providerOf } from "../app/utils/db-adapter.server";
import { applyPendingMigrations } from "./schema-engine";
import { withAdvisoryLock } from "../app/utils/advisory-lock.server";
import { seedDemoData, printDemoAccounts } from "../prisma/seed";

/**
 * Migrates; on a fresh embedded database, loads the demo data and prints the demo accounts.
 * On PostgreSQL, instances starting at once take turns (an advisory lock): the first migrates,
 * the next finds nothing left to apply.
 */
export async function prepareDatabase(env: Env) {
  if (providerOf(env.DATABASE_URL) !== "postgresql") return migrateAndSeed(env);
  await withAdvisoryLock(await connectDb(), "migrate-and-seed", () => migrateAndSeed(env));
}

async function migrateAndSeed(env: Env) {
  const applied = await applyPendingMigrations(env.DATABASE_URL);
  if (applied.length) console.log(`Migrations appliquées : ${applied.join(", ")}`);
  const db = await connectDb();
  const fresh = (await db.user.count()) === 0;
  if (fresh && env.SEED_DEMO_DATA === "auto" && providerOf(env.DATABASE_URL) === "sqlite") {
    await seedDemoData(db);
    await printDemoAccounts(db);
  } else if (env.SEED_DEMO_DATA === "auto" && providerOf(env.DATABASE_URL) === "sqlite") {
    await printDemoAccounts(db);
  }
}
