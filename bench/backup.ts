/**
 * Backup and restore timings (issue 14): a database with 100,000 recharge codes and
 * 10,000 people (plus the demo data), then `db:backup`'s and `db:restore`'s own functions,
 * timed. SQLite in a temporary folder by default; on PostgreSQL with
 * BENCH_DATABASE_URL=postgresql://…/source and BENCH_RESTORE_DATABASE_URL=postgresql://…/target,
 * two existing databases, the first one filled here, the second one empty.
 *
 *   npm run bench -- backup
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { applyPendingMigrations } from "../server/schema-engine";
import { createBackup, formatSeconds, restoreBackup } from "../server/backup";
import { configureSqlite, createDb } from "../app/utils/db.server";
import { providerOf } from "../app/utils/db-adapter.server";
import { seedDemoData } from "../prisma/seed";
import { createRechargeCodes, createRechargeProduct } from "../tests/recharge-factories";

const CODES = 100_000;
const PEOPLE = 10_000;
const CHUNK = 5_000;

const dir = mkdtempSync(path.join(os.tmpdir(), "maillon-bench-backup-"));
const sourceUrl = process.env.BENCH_DATABASE_URL ?? `file:${path.join(dir, "source.db")}`;
const targetUrl = process.env.BENCH_RESTORE_DATABASE_URL ?? `file:${path.join(dir, "restored.db")}`;
if (providerOf(sourceUrl) !== providerOf(targetUrl)) throw new Error("BENCH_DATABASE_URL and BENCH_RESTORE_DATABASE_URL must be of the same kind");
process.env.DATABASE_URL = sourceUrl;

try {
  await applyPendingMigrations(sourceUrl);
  const db = createDb(sourceUrl);
  if (providerOf(sourceUrl) === "sqlite") await configureSqlite(db);
  const building = performance.now();
  await seedDemoData(db);
  const product = await createRechargeProduct(db, { name: "Bench 100 000 codes" });
  for (let made = 0; made < CODES; made += CHUNK) await createRechargeCodes(db, product.id, Math.min(CHUNK, CODES - made), 30 + made);
  for (let made = 0; made < PEOPLE; made += CHUNK) {
    await db.user.createMany({
      data: Array.from({ length: Math.min(CHUNK, PEOPLE - made) }, (_, i) => ({ email: `personne.${made + i}@bench.exemple.test`, name: `Personne n° ${made + i}`, emailVerifiedAt: new Date() })),
    });
  }
  await db.$disconnect();
  console.log(`Database (${providerOf(sourceUrl)}) with ${CODES.toLocaleString("fr-FR")} codes and ${PEOPLE.toLocaleString("fr-FR")} more people built in ${formatSeconds(performance.now() - building)}.`);

  const mails = path.join(dir, "mails");
  const backup = await createBackup({ databaseUrl: sourceUrl, mailCaptureDir: mails, parentDir: path.join(dir, "backups") });
  const rows = Object.values(backup.manifest.tables).reduce((a, b) => a + b, 0);
  console.log(`Backup:  ${formatSeconds(backup.ms)} (${rows.toLocaleString("fr-FR")} rows)`);
  const restore = await restoreBackup({ backupDir: backup.dir, databaseUrl: targetUrl, mailCaptureDir: path.join(dir, "restored-mails") });
  console.log(`Restore: ${formatSeconds(restore.ms)} (counts of every table checked)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
