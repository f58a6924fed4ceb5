/** `npm run db:deploy`: applies pending migrations to DATABASE_URL (the portal also does it at start). */
import { getEnv } from "../app/utils/env.server";
import { applyPendingMigrations } from "../server/schema-engine";

const applied = await applyPendingMigrations(getEnv().DATABASE_URL);
console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date.");
process.exit(0);
