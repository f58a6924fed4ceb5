/**
 * Backups and restores of the whole portal: the database and the files it keeps beside it
 * (captured mails), in one dated folder. See docs/decisions/022-backups.md.
 *
 *   backups/maillon-20261207T030000Z/
 *     manifest.json     when, which database, the row count of every table at the snapshot
 *     database.sqlite   SQLite: `VACUUM INTO`, one read transaction (writers go on under WAL)
 *     database.pgdump   PostgreSQL: `pg_dump --format=custom` on a snapshot the counts share
 *     files/mails/      MAIL_CAPTURE_DIR
 *
 * The folder is written as `….partial` and renamed once complete, so a folder without the
 * suffix is always a whole backup. A restore goes only into an empty database (no row in any
 * table but the migrations' own) and empty file folders, and checks the counts afterwards.
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { createDb, type Db } from "../app/utils/db.server";
import { pgConfig, providerOf, sqliteFilePath, type Provider } from "../app/utils/db-adapter.server";

export const BACKUP_FORMAT = 1;
const MIGRATIONS_TABLE = "_prisma_migrations";

export type BackupManifest = {
  format: number;
  createdAt: string;
  provider: Provider;
  databaseFile: string;
  /** Rows per table in the snapshot, tables sorted by name. */
  tables: Record<string, number>;
  /** Files per file area (folder under files/). */
  files: Record<string, number>;
};

/** Folders of files the portal writes beside its database. A new kind of stored file (uploads) is added here. */
export function fileAreas(env: { MAIL_CAPTURE_DIR: string }): { name: string; dir: string }[] {
  return [{ name: "mails", dir: path.resolve(env.MAIL_CAPTURE_DIR) }];
}

export class BackupError extends Error {}

/** `maillon-20261207T030000Z`: sorts by date, no character a file system dislikes. */
export function backupName(at: Date): string {
  return `maillon-${at.toISOString().replace(/\.\d+Z$/, "Z").replace(/[-:]/g, "")}`;
}

// ───────────────────────────── PostgreSQL tools ─────────────────────────────

/** pg_dump/pg_restore: PG_BIN_DIR, else the newest of Debian's /usr/lib/postgresql/<v>/bin, else PATH. */
export function postgresTool(name: "pg_dump" | "pg_restore"): string {
  const dirs = process.env.PG_BIN_DIR ? [process.env.PG_BIN_DIR] : [];
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    for (const v of readdirSync(root).sort((a, b) => Number(b) - Number(a))) dirs.push(path.join(root, v, "bin"));
  }
  for (const dir of dirs) if (existsSync(path.join(dir, name))) return path.join(dir, name);
  return name;
}

/** libpq's environment for a postgresql:// URL: the password never appears in a process list. */
function libpqEnv(databaseUrl: string): NodeJS.ProcessEnv {
  const c = pgConfig(databaseUrl);
  const sslmode = new URL(databaseUrl).searchParams.get("sslmode");
  return { ...process.env, PGHOST: c.host, PGPORT: String(c.port), PGUSER: c.user, PGPASSWORD: c.password, PGDATABASE: c.database, ...(sslmode ? { PGSSLMODE: sslmode } : {}) };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-8000)));
    child.once("error", (error) => reject(new BackupError(`${path.basename(command)} n'a pas pu être lancé (${error.message}). Installez le client PostgreSQL (paquet Debian postgresql-client) ou indiquez son dossier dans PG_BIN_DIR.`)));
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new BackupError(`${path.basename(command)} a échoué (code ${code}) :\n${stderr.trim()}`))));
  });
}

// ───────────────────────────── Counting rows ─────────────────────────────

function sqliteCounts(file: string): Record<string, number> {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const names = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    return Object.fromEntries(names.map((name) => [name, Number(sqlite.prepare(`SELECT count(*) FROM "${name.replace(/"/g, '""')}"`).pluck().get())]));
  } finally {
    sqlite.close();
  }
}

type Queryable = Pick<Db, "$queryRawUnsafe">;

async function postgresCounts(db: Queryable): Promise<Record<string, number>> {
  const tables = await db.$queryRawUnsafe<{ name: string }[]>("SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename");
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${name.replace(/"/g, '""')}"`);
    counts[name] = Number(row?.n ?? 0);
  }
  return counts;
}

const dataRows = (counts: Record<string, number>) => Object.entries(counts).filter(([name, n]) => name !== MIGRATIONS_TABLE && n > 0);

function countFiles(dir: string): number {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) n += entry.isDirectory() ? countFiles(path.join(dir, entry.name)) : 1;
  return n;
}

// ───────────────────────────── Backup ─────────────────────────────

export type BackupResult = { dir: string; manifest: BackupManifest; ms: number };

/** Writes a consistent backup of the running portal's database and files into `parentDir/maillon-<date>/`. */
export async function createBackup(options: { databaseUrl: string; mailCaptureDir: string; parentDir: string; now?: Date }): Promise<BackupResult> {
  const started = performance.now();
  const now = options.now ?? new Date();
  const provider = providerOf(options.databaseUrl);
  const finalDir = path.resolve(options.parentDir, backupName(now));
  if (existsSync(finalDir)) throw new BackupError(`${finalDir} existe déjà.`);
  const dir = `${finalDir}.partial`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    const databaseFile = provider === "sqlite" ? "database.sqlite" : "database.pgdump";
    const target = path.join(dir, databaseFile);
    const tables = provider === "sqlite" ? backupSqlite(options.databaseUrl, target) : await backupPostgres(options.databaseUrl, target);
    // Files after the database: every mail the snapshot records as sent is on disk by then (a
    // newer one may come along too). Half-written files (`*.tmp`, renamed when whole) are left out.
    const files: Record<string, number> = {};
    for (const area of fileAreas({ MAIL_CAPTURE_DIR: options.mailCaptureDir })) {
      const into = path.join(dir, "files", area.name);
      mkdirSync(into, { recursive: true });
      if (existsSync(area.dir)) cpSync(area.dir, into, { recursive: true, filter: (from) => !from.endsWith(".tmp") });
      files[area.name] = countFiles(into);
    }
    const manifest: BackupManifest = { format: BACKUP_FORMAT, createdAt: now.toISOString(), provider, databaseFile, tables, files };
    writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
    renameSync(dir, finalDir);
    return { dir: finalDir, manifest, ms: performance.now() - started };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * `VACUUM INTO` reads the whole database in one read transaction: a consistent snapshot, while
 * the portal's writes go on in the WAL. (The page-by-page backup API restarts whenever another
 * connection writes, so under steady writes it may never finish.)
 */
function backupSqlite(databaseUrl: string, target: string): Record<string, number> {
  const file = sqliteFilePath(databaseUrl);
  if (!existsSync(file)) throw new BackupError(`La base SQLite ${file} n'existe pas (DATABASE_URL).`);
  const sqlite = new Database(file, { fileMustExist: true, timeout: 10_000 });
  try {
    sqlite.prepare("VACUUM INTO ?").run(target);
  } finally {
    sqlite.close();
  }
  const copy = new Database(target, { fileMustExist: true });
  try {
    const check = copy.prepare("PRAGMA quick_check").pluck().get();
    if (check !== "ok") throw new BackupError(`La copie de la base est abîmée (quick_check : ${String(check)}).`);
  } finally {
    copy.close();
  }
  return sqliteCounts(target);
}

/**
 * The counts and pg_dump read the same snapshot: exported from a repeatable-read transaction
 * that stays open while pg_dump imports it (`--snapshot`).
 */
async function backupPostgres(databaseUrl: string, target: string): Promise<Record<string, number>> {
  const db = createDb(databaseUrl);
  try {
    return await db.$transaction(
      async (tx) => {
        const [row] = await tx.$queryRawUnsafe<{ snapshot: string }[]>("SELECT pg_export_snapshot() AS snapshot");
        const counts = await postgresCounts(tx);
        await run(postgresTool("pg_dump"), ["--format=custom", "--no-owner", "--no-privileges", `--snapshot=${row!.snapshot}`, `--file=${target}`], libpqEnv(databaseUrl));
        return counts;
      },
      // The SQLite client gives the type; PostgreSQL's knows RepeatableRead.
      { isolationLevel: "RepeatableRead" as "Serializable", timeout: 24 * 3600_000, maxWait: 30_000 },
    );
  } finally {
    await db.$disconnect();
  }
}

// ───────────────────────────── Restore ─────────────────────────────

export type RestoreResult = { manifest: BackupManifest; ms: number };

export function readManifest(backupDir: string): BackupManifest {
  const file = path.join(backupDir, "manifest.json");
  if (!existsSync(file)) {
    const hint = backupDir.endsWith(".partial") ? " (un dossier « .partial » est une sauvegarde interrompue)" : "";
    throw new BackupError(`${backupDir} n'est pas une sauvegarde de Maillon : manifest.json manque${hint}.`);
  }
  const manifest = JSON.parse(readFileSync(file, "utf8")) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT) throw new BackupError(`Format de sauvegarde ${manifest.format} inconnu (attendu : ${BACKUP_FORMAT}).`);
  return manifest;
}

/** Restores `backupDir` into the (empty) database at `databaseUrl` and the (empty) file folders. */
export async function restoreBackup(options: { backupDir: string; databaseUrl: string; mailCaptureDir: string }): Promise<RestoreResult> {
  const started = performance.now();
  const backupDir = path.resolve(options.backupDir);
  const manifest = readManifest(backupDir);
  const provider = providerOf(options.databaseUrl);
  if (manifest.provider !== provider) {
    throw new BackupError(`Cette sauvegarde vient d'une base ${manifest.provider === "sqlite" ? "SQLite" : "PostgreSQL"} : elle ne se restaure que dans une base du même type (DATABASE_URL désigne une base ${provider === "sqlite" ? "SQLite" : "PostgreSQL"}).`);
  }
  const areas = fileAreas({ MAIL_CAPTURE_DIR: options.mailCaptureDir });
  // Every refusal before the first write.
  const nonEmpty = provider === "sqlite" ? sqliteDataTables(options.databaseUrl) : await postgresDataTables(options.databaseUrl);
  if (nonEmpty.length > 0) {
    const list = nonEmpty.slice(0, 5).map(([name, n]) => `${name} (${n})`).join(", ");
    throw new BackupError(`Restauration refusée : la base de destination n'est pas vide (${list}${nonEmpty.length > 5 ? ", …" : ""}). Une restauration ne remplace pas des données : indiquez dans DATABASE_URL une base neuve ou vide.`);
  }
  for (const area of areas) {
    if (existsSync(area.dir) && readdirSync(area.dir).length > 0) {
      throw new BackupError(`Restauration refusée : le dossier ${area.dir} (${area.name}) n'est pas vide. Videz-le ou indiquez un autre dossier.`);
    }
  }

  const source = path.join(backupDir, manifest.databaseFile);
  const restored = provider === "sqlite" ? restoreSqlite(source, options.databaseUrl) : await restorePostgres(source, options.databaseUrl);
  const differences = Object.keys({ ...manifest.tables, ...restored }).filter((name) => manifest.tables[name] !== restored[name]);
  if (differences.length > 0) {
    throw new BackupError(`La base restaurée ne compte pas les mêmes lignes que la sauvegarde : ${differences.map((n) => `${n} (${restored[n] ?? 0} au lieu de ${manifest.tables[n] ?? 0})`).join(", ")}.`);
  }
  for (const area of areas) {
    const from = path.join(backupDir, "files", area.name);
    if (!existsSync(from)) continue;
    mkdirSync(area.dir, { recursive: true });
    cpSync(from, area.dir, { recursive: true });
  }
  return { manifest, ms: performance.now() - started };
}

function sqliteDataTables(databaseUrl: string): [string, number][] {
  const file = sqliteFilePath(databaseUrl);
  if (!existsSync(file) || statSync(file).size === 0) return [];
  return dataRows(sqliteCounts(file));
}

async function postgresDataTables(databaseUrl: string): Promise<[string, number][]> {
  const db = createDb(databaseUrl);
  try {
    return dataRows(await postgresCounts(db));
  } catch (error) {
    throw new BackupError(`La base PostgreSQL de DATABASE_URL n'a pas pu être ouverte : ${(error as Error).message}. Créez-la d'abord (createdb).`);
  } finally {
    await db.$disconnect();
  }
}

/** The empty file (migrated or not) is replaced by the snapshot, through a rename. */
function restoreSqlite(source: string, databaseUrl: string): Record<string, number> {
  const file = sqliteFilePath(databaseUrl);
  mkdirSync(path.dirname(file), { recursive: true });
  const incoming = `${file}.restoring`;
  cpSync(source, incoming);
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${file}${suffix}`, { force: true });
  renameSync(incoming, file);
  return sqliteCounts(file);
}

/** An empty but migrated schema is dropped first, so pg_restore recreates it as it was backed up. */
async function restorePostgres(source: string, databaseUrl: string): Promise<Record<string, number>> {
  const db = createDb(databaseUrl);
  try {
    const tables = await db.$queryRawUnsafe<{ n: number }[]>("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
    if (Number(tables[0]?.n ?? 0) > 0) {
      await db.$executeRawUnsafe("DROP SCHEMA public CASCADE");
      await db.$executeRawUnsafe("CREATE SCHEMA public");
    }
    await run(postgresTool("pg_restore"), ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", `--dbname=${pgConfig(databaseUrl).database}`, source], libpqEnv(databaseUrl));
    return await postgresCounts(db);
  } finally {
    await db.$disconnect();
  }
}

/** Keeps the `keep` newest complete backups in `parentDir`; returns the folders removed. */
export function pruneBackups(parentDir: string, keep: number): string[] {
  if (!existsSync(parentDir)) return [];
  const all = readdirSync(parentDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^maillon-\d{8}T\d{6}Z$/.test(d.name) && existsSync(path.join(parentDir, d.name, "manifest.json")))
    .map((d) => d.name)
    .sort()
    .reverse();
  const removed = all.slice(keep).map((name) => path.join(parentDir, name));
  for (const dir of removed) rmSync(dir, { recursive: true, force: true });
  return removed;
}

/** "0,42 s", "12,3 s" */
export const formatSeconds = (ms: number) => {
  const digits = ms < 10_000 ? 2 : 1;
  return `${(ms / 1000).toLocaleString("fr-FR", { maximumFractionDigits: digits, minimumFractionDigits: digits })} s`;
};
