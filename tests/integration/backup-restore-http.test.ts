/**
 * Backup and restore of a running portal (built app, real server, database per
 * TEST_DATABASE): `npm run db:backup` while relay members issue recharges over HTTP, then
 * `npm run db:restore` into a fresh database and folder, a portal started on the result, and
 * the rows compared: the snapshot is consistent (each issue has its used code and its quota
 * movement), every restored row is the source's row, the captured mail came along, and the
 * restored portal serves the restored data. Restoring into a non-empty database is refused.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postForm, REPO_ROOT, startAppServer, type AppServer } from "../support/app-server";
import { emptyTestDatabaseUrl, testDatabaseUrl } from "../support/database";
import { createLoggedInLearner } from "../../bench/support/data";
import { createMembership, createUser } from "../factories";
import { certify, createRechargeCodes, createRechargeProduct, createRelay, giveQuota } from "../recharge-factories";
import { configureSqlite, createDb, type Db } from "../../app/utils/db.server";
import { providerOf } from "../../app/utils/db-adapter.server";
import { parisMonthKey } from "../../app/utils/dates";
import type { BackupManifest } from "../../server/backup";
import { applyPendingMigrations } from "../../server/schema-engine";

const MEMBERS = 10;
// 50 recharges being issued at any moment of the backup (issue 14's edge case), 5 per member.
const IN_FLIGHT = 50;
const STOCK = 3000;

const work = mkdtempSync(path.join(os.tmpdir(), "maillon-backup-test-"));
const sourceUrl = testDatabaseUrl("backup_source");
const sourceMails = path.join(work, "source-mails");
const backupsDir = path.join(work, "backups");
let source: AppServer | undefined;
let restored: AppServer | undefined;
let sourceDb: Db;
let restoredDb: Db | undefined;

async function openDb(url: string) {
  const db = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(db);
  return db;
}

/** Runs one of the project's npm scripts (its tsx file) with the app's environment. */
function runScript(script: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const clean = { ...process.env };
  for (const key of ["DATABASE_URL", "MAIL_CAPTURE_DIR", "VITEST", "SMTP_URL", "APP_URL"]) delete clean[key];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { cwd: REPO_ROOT, env: { ...clean, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (output += c.toString("utf8")));
    child.once("exit", (code) => resolve({ code, output }));
  });
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sha = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex");

/** The rows a backup must keep exactly, in a stable order, for checksums. */
async function issuesOf(db: Db, ids?: string[]) {
  return db.rechargeIssue.findMany({
    where: ids ? { id: { in: ids } } : {},
    orderBy: { id: "asc" },
    select: { id: true, relayId: true, productId: true, codeId: true, staffId: true, issuedAt: true },
  });
}
const usersOf = (db: Db) => db.user.findMany({ orderBy: { id: "asc" }, select: { id: true, email: true, name: true, passwordHash: true } });
const codesOf = (db: Db) => db.rechargeCode.findMany({ orderBy: { id: "asc" }, select: { id: true, codeHash: true, codeEncrypted: true, productId: true } });

beforeAll(async () => {
  source = await startAppServer({ databaseUrl: sourceUrl, env: { MAIL_CAPTURE_DIR: sourceMails } });
  sourceDb = await openDb(sourceUrl);
});

afterAll(async () => {
  await restoredDb?.$disconnect();
  await sourceDb?.$disconnect();
  await restored?.stop();
  await source?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe("a backup of a running portal under writes", () => {
  it("restores into a fresh database and folder, where a portal finds the same rows and the captured mail", async () => {
    const app = source!;
    // A relay with certified members logged in, codes and quota for every issue below.
    const { relay } = await createRelay(sourceDb, { beneficiaryMonthlyCeilingCents: 1_000_000 });
    const product = await createRechargeProduct(sourceDb);
    await createRechargeCodes(sourceDb, product.id, STOCK);
    await giveQuota(sourceDb, { relayId: relay.id, productId: product.id, period: parisMonthKey(new Date()), units: STOCK });
    const members: { id: string; cookie: string }[] = [];
    for (let i = 0; i < MEMBERS; i++) {
      const member = await createLoggedInLearner(sourceDb);
      await createMembership(sourceDb, { userId: member.id, structureId: relay.structureId });
      await certify(sourceDb, member.id, relay.requiredModuleId);
      members.push(member);
    }

    // A mail captured before the backup: a password reset asked over HTTP, sent by the worker.
    const forgetful = await createUser(sourceDb, { name: "Gwenaëlle Le Bihan-Nguyễn" });
    expect((await postForm(app, "/mot-de-passe-oublie", { email: forgetful.email })).status).toBe(200);
    await waitUntil(() => existsSync(sourceMails) && readdirSync(sourceMails).some((f) => f.endsWith(".json")), "the captured mail");
    const mailFiles = readdirSync(sourceMails).filter((f) => f.endsWith(".json"));
    expect(mailFiles.length).toBe(1);

    // 50 loops, 5 per member, each issuing one recharge after the other until told to stop.
    let stop = false;
    let n = 0;
    const issued: string[] = [];
    const failures: string[] = [];
    const issueLoop = async (cookie: string) => {
      while (!stop) {
        const k = ++n;
        const answer = await postForm(app, "/espace-relais/recharges", { productId: product.id, reference: `SAUV-${k}`, ageBand: "", commune: "", idempotencyKey: `backup-test-key-${k}-${Date.now()}` }, { cookie }).catch((e: Error) => e);
        if (answer instanceof Error) {
          failures.push(answer.message);
          return;
        }
        const location = answer.headers.get("location") ?? "";
        if (answer.status === 302 && location.startsWith("/espace-relais/recharges/")) issued.push(location.split("/").pop()!);
        else failures.push(`${answer.status} ${location} ${(await answer.text()).replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").match(/.{0,80}(Erreur|refus|ne peut|dépass|plus de)[^.]*\./i)?.[0] ?? ""}`);
      }
    };
    const loops = Array.from({ length: IN_FLIGHT }, (_, i) => issueLoop(members[i % MEMBERS]!.cookie));
    await waitUntil(() => issued.length >= 20 || failures.length > 0, "the first issues");
    expect(failures).toEqual([]);

    const issuedBefore = issued.length;
    const backup = await runScript("scripts/db-backup.ts", ["--dir", backupsDir], { DATABASE_URL: sourceUrl, MAIL_CAPTURE_DIR: sourceMails });
    const issuedAfter = issued.length;
    // Writes went on while the backup ran, and after it.
    await waitUntil(() => issued.length >= issuedAfter + 10 || failures.length > 0, "issues after the backup").finally(() => (stop = true));
    await Promise.all(loops);
    expect(failures).toEqual([]);
    expect(backup.code, backup.output).toBe(0);
    expect(backup.output).toMatch(/Sauvegarde écrite en \d+,\d+ s/);
    expect(issuedAfter).toBeGreaterThan(issuedBefore);

    const [backupName] = readdirSync(backupsDir);
    expect(backupName).toMatch(/^maillon-\d{8}T\d{6}Z$/);
    const backupDir = path.join(backupsDir, backupName!);
    const manifest = JSON.parse(readFileSync(path.join(backupDir, "manifest.json"), "utf8")) as BackupManifest;
    const inSnapshot = manifest.tables.RechargeIssue!;
    expect(inSnapshot).toBeGreaterThanOrEqual(issuedBefore);
    expect(inSnapshot).toBeLessThanOrEqual(issuedAfter);
    expect(manifest.files.mails).toBe(1);

    // Restore into a fresh database and an empty mail folder.
    const restoredUrl = emptyTestDatabaseUrl("backup_restored");
    const restoredMails = path.join(work, "restored-mails");
    const restore = await runScript("scripts/db-restore.ts", [backupDir], { DATABASE_URL: restoredUrl, MAIL_CAPTURE_DIR: restoredMails });
    expect(restore.code, restore.output).toBe(0);
    expect(restore.output).toMatch(/restaurée en \d+,\d+ s/);

    restored = await startAppServer({ databaseUrl: restoredUrl, env: { MAIL_CAPTURE_DIR: restoredMails } });
    restoredDb = await openDb(restoredUrl);

    // The same rows: counts of the snapshot, rows identical to the source's, a consistent ledger.
    const restoredIssues = await issuesOf(restoredDb);
    expect(restoredIssues.length).toBe(inSnapshot);
    expect(sha(restoredIssues)).toBe(sha(await issuesOf(sourceDb, restoredIssues.map((i) => i.id))));
    expect(sha(await usersOf(restoredDb))).toBe(sha(await usersOf(sourceDb)));
    expect(sha(await codesOf(restoredDb))).toBe(sha(await codesOf(sourceDb)));
    expect(await restoredDb.rechargeCode.count({ where: { issuedAt: { not: null } } })).toBe(inSnapshot);
    expect(await restoredDb.quotaLedgerEntry.count({ where: { relayId: relay.id, kind: "ISSUE" } })).toBe(inSnapshot);
    const balance = await restoredDb.quotaBalance.findFirstOrThrow({ where: { relayId: relay.id } });
    expect(balance.balance).toBe(STOCK - inSnapshot);
    expect(await restoredDb.authSession.count()).toBe(await sourceDb.authSession.count());
    expect(readFileSync(path.join(restoredMails, mailFiles[0]!), "utf8")).toBe(readFileSync(path.join(sourceMails, mailFiles[0]!), "utf8"));

    // The restored portal serves them: the sessions still log the members in, a restored issue
    // is there, one issued after the snapshot is not.
    const member = members[0]!;
    const get = (p: string) => fetch(`${restored!.url}${p}`, { redirect: "manual", headers: { Cookie: member.cookie } });
    const ownIssue = (await restoredDb.rechargeIssue.findFirstOrThrow({ where: { staffId: member.id } })).id;
    expect((await get("/espace-relais/recharges")).status).toBe(200);
    expect((await get(`/espace-relais/recharges/${ownIssue}`)).status).toBe(200);
    const later = issued.find((id) => !restoredIssues.some((r) => r.id === id));
    const laterIssue = await sourceDb.rechargeIssue.findUniqueOrThrow({ where: { id: later! } });
    const laterMember = members.find((m) => m.id === laterIssue.staffId)!;
    const missing = await fetch(`${restored!.url}/espace-relais/recharges/${later}`, { redirect: "manual", headers: { Cookie: laterMember.cookie } });
    expect(missing.status).toBe(404);

    // Restoring again, into the database that now holds data, is refused and changes nothing.
    const again = await runScript("scripts/db-restore.ts", [backupDir], { DATABASE_URL: restoredUrl, MAIL_CAPTURE_DIR: path.join(work, "empty-mails") });
    expect(again.code).toBe(1);
    expect(again.output).toContain("Restauration refusée : la base de destination n'est pas vide");
    expect(await restoredDb.rechargeIssue.count()).toBe(inSnapshot);

    // A database that was migrated but holds no data (a portal started once on it) counts as empty.
    const migratedUrl = testDatabaseUrl("backup_migrated_empty");
    await applyPendingMigrations(migratedUrl);
    const intoMigrated = await runScript("scripts/db-restore.ts", [backupDir], { DATABASE_URL: migratedUrl, MAIL_CAPTURE_DIR: path.join(work, "migrated-mails") });
    expect(intoMigrated.code, intoMigrated.output).toBe(0);
    const migratedDb = await openDb(migratedUrl);
    try {
      expect(sha(await issuesOf(migratedDb))).toBe(sha(restoredIssues));
    } finally {
      await migratedDb.$disconnect();
    }
  }, 300_000);

  it("refuses what is not a backup, with a clear message", async () => {
    const notABackup = mkdtempSync(path.join(work, "not-a-backup-"));
    const result = await runScript("scripts/db-restore.ts", [notABackup], { DATABASE_URL: emptyTestDatabaseUrl("backup_nothing"), MAIL_CAPTURE_DIR: path.join(work, "nothing-mails") });
    expect(result.code).toBe(1);
    expect(result.output).toContain("n'est pas une sauvegarde de Maillon : manifest.json manque");
  });
});
