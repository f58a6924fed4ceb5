import type { Env } from "../app/utils/env.server";
import { connectDb } from "../app/utils/db.server";
import { providerOf } from "../app/utils/db-adapter.server";
import { applyPendingMigrations } from "./schema-engine";
import { seedDemoData, printDemoAccounts } from "../prisma/seed";

/** Migrates; on a fresh embedded database, loads the demo data and prints the demo accounts. */
export async function prepareDatabase(env: Env) {
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
