import type { Env } from "../app/utils/env.server";
import { connectDb } from "../app/utils/db.server";
import { providerOf } from "../app/utils/db-adapter.server";
import { applyPendingMigrations } from "./schema-engine";
import { withAdvisoryLock } from "../app/utils/advisory-lock.server";

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
  // Loaded only for the demo: a production start never reads the seed.
  const demo = () => import("../prisma/seed");
  if (fresh && env.SEED_DEMO_DATA === "auto" && providerOf(env.DATABASE_URL) === "sqlite") {
    const { seedDemoData, printDemoAccounts } = await demo();
    await seedDemoData(db);
    await printDemoAccounts(db);
  } else if (env.SEED_DEMO_DATA === "auto" && providerOf(env.DATABASE_URL) === "sqlite") {
    const { printDemoAccounts } = await demo();
    await printDemoAccounts(db);
  }
}
