/**
 * `npm run db:restore -- backups/maillon-20261207T030000Z`: restores a backup into the
 * database of DATABASE_URL and the folders of the environment (MAIL_CAPTURE_DIR), which must
 * be empty; refused otherwise. Stop the portal first; it migrates the restored database at start.
 */
import { parseArgs } from "node:util";
import { getEnv } from "../app/utils/env.server";
import { BackupError, formatSeconds, restoreBackup } from "../server/backup";

const { positionals } = parseArgs({ allowPositionals: true });
if (positionals.length !== 1) {
  console.error("Usage : npm run db:restore -- DOSSIER_DE_SAUVEGARDE   (par exemple backups/maillon-20261207T030000Z)");
  process.exit(2);
}

try {
  const env = getEnv();
  const { manifest, ms } = await restoreBackup({ backupDir: positionals[0]!, databaseUrl: env.DATABASE_URL, mailCaptureDir: env.MAIL_CAPTURE_DIR });
  const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
  console.log(`Sauvegarde du ${manifest.createdAt} restaurée en ${formatSeconds(ms)} : ${Object.keys(manifest.tables).length} tables, ${rows} lignes, vérifiées une à une.`);
  process.exit(0);
} catch (error) {
  if (!(error instanceof BackupError)) throw error;
  console.error(error.message);
  process.exit(1);
}
