/**
 * `npm run db:backup [-- --dir backups] [--keep 14]`: a consistent backup of the database
 * (while the portal runs) and of its files, in a dated folder under --dir; --keep removes
 * the oldest backups beyond that number. See server/backup.ts.
 */
import { parseArgs } from "node:util";
import { getEnv } from "../app/utils/env.server";
import { BackupError, createBackup, formatSeconds, pruneBackups } from "../server/backup";

const { values } = parseArgs({ options: { dir: { type: "string", default: "backups" }, keep: { type: "string" } } });
const keep = values.keep === undefined ? undefined : Number(values.keep);
if (keep !== undefined && !(Number.isInteger(keep) && keep >= 1)) {
  console.error("--keep attend un nombre entier de sauvegardes à garder (1 ou plus).");
  process.exit(2);
}

try {
  const env = getEnv();
  const { dir, manifest, ms } = await createBackup({ databaseUrl: env.DATABASE_URL, mailCaptureDir: env.MAIL_CAPTURE_DIR, parentDir: values.dir! });
  const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
  const files = Object.entries(manifest.files).map(([area, n]) => `${n} ${area}`).join(", ");
  console.log(`Sauvegarde écrite en ${formatSeconds(ms)} : ${dir} (${Object.keys(manifest.tables).length} tables, ${rows} lignes ; fichiers : ${files}).`);
  if (keep !== undefined) for (const old of pruneBackups(values.dir!, keep)) console.log(`Ancienne sauvegarde supprimée : ${old}`);
  process.exit(0);
} catch (error) {
  if (!(error instanceof BackupError)) throw error;
  console.error(error.message);
  process.exit(1);
}
