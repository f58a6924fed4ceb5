/**
 * Two real portal processes on one PostgreSQL database, started at the same second on an
 * empty database: they migrate once between them, every queued mail reaches the (real, in
 * process) SMTP server exactly once, each job's work is done once, and no two instances ever
 * run the same job at the same time (the advisory lock). On SQLite the portal is one process
 * (decision 024): the file is skipped there.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "~/utils/db.server";
import { REPO_ROOT, startAppServer, type AppServer } from "../support/app-server";
import { emptyTestDatabaseUrl } from "../support/database";
import { testTarget } from "../support/global-setup";
import { startSmtpServer, type TestSmtpServer } from "../support/smtp";
import { createRelay } from "../recharge-factories";
import { createUser } from "../factories";

const onPostgres = testTarget() === "postgresql";
const MAILS = 21;
const OLD_BENEFICIARIES = 7;

let servers: AppServer[] = [];
let smtp: TestSmtpServer;
let db: Db;

beforeAll(async () => {
  if (!onPostgres) return;
  smtp = await startSmtpServer();
  const databaseUrl = emptyTestDatabaseUrl("two_instances");
  const env = { JOBS_INTERVAL_MS: "250", MAIL_WORKER_INTERVAL_MS: "100", LOG_LEVEL: "debug" };
  // Both at once, on an empty database: both migrate at start.
  servers = await Promise.all([0, 1].map(() => startAppServer({ databaseUrl, smtpUrl: smtp.url, env, outputLimit: 16_000_000 })));
  db = createDb(databaseUrl);
}, 120_000);
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await db?.$disconnect();
  await smtp?.stop();
});

type JobRunLine = { msg: string; job: string; instance: string; outcome: string; startedAt: string; ms: number; [field: string]: unknown };
const jobRuns = (server: AppServer): JobRunLine[] =>
  server
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{") && line.includes('"job.run"'))
    .map((line) => JSON.parse(line) as JobRunLine);

async function until(check: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!onPostgres)("two portals on one PostgreSQL", () => {
  it("migrated the empty database once, though both started at the same second", async () => {
    const migrations = readdirSync(path.join(REPO_ROOT, "prisma/postgresql/migrations"), { withFileTypes: true }).filter((d) => d.isDirectory());
    const applied = await db.$queryRawUnsafe<{ migration_name: string; finished_at: Date | null; rolled_back_at: Date | null }[]>(
      `SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations`,
    );
    expect(applied.map((m) => m.migration_name).sort()).toEqual(migrations.map((d) => d.name).sort());
    expect(applied.every((m) => m.finished_at !== null && m.rolled_back_at === null)).toBe(true);
    for (const server of servers) expect(server.output()).not.toMatch(/"level":"error"/);
  });

  it("sends each queued mail once, does each job's work once, and never runs one job on both at a time", async () => {
    // Work for the mail worker, the beneficiary retention purge and the auth housekeeping.
    const recipients = Array.from({ length: MAILS }, (_, i) => `destinataire.${i}@exemple.fr`);
    await db.outboxMail.createMany({
      data: recipients.map((to, i) => ({ template: "test", to, subject: `Message n° ${i} — à lire`, html: `<p>Bonjour ${i}</p>`, text: `Bonjour ${i}` })),
    });
    const { relay } = await createRelay(db);
    const longAgo = new Date(Date.now() - 400 * 24 * 3600_000);
    await db.beneficiary.createMany({
      data: Array.from({ length: OLD_BENEFICIARIES }, (_, i) => ({ relayId: relay.id, reference: `ANCIEN-${i}`, lastIssuedAt: longAgo, createdAt: longAgo })),
    });
    const user = await createUser(db);
    await db.authSession.create({ data: { userId: user.id, tokenHash: "expired-session-of-two-instances", expiresAt: longAgo, lastSeenAt: longAgo, createdAt: longAgo } });

    await until(async () => (await db.outboxMail.count({ where: { status: "SENT" } })) === MAILS && smtp.messages.length >= MAILS);
    await until(async () => (await db.beneficiary.count()) === 0);
    // Let both instances go on ticking a while: nothing more may be sent or done.
    await new Promise((r) => setTimeout(r, 2500));

    expect(smtp.messages).toHaveLength(MAILS);
    expect(new Set(smtp.messages.map((m) => m.messageId)).size).toBe(MAILS);
    expect(smtp.messages.map((m) => m.to && !Array.isArray(m.to) ? m.to.value[0]?.address : "").sort()).toEqual([...recipients].sort());

    const purges = await db.auditLog.findMany({ where: { action: "recharge.beneficiaries_purged" } });
    expect(purges).toHaveLength(1);
    expect(purges[0]!.data).toMatchObject({ count: OLD_BENEFICIARIES });
    expect(await db.authSession.count({ where: { tokenHash: "expired-session-of-two-instances" } })).toBe(0);

    const runs = servers.flatMap(jobRuns);
    const instances = new Set(runs.map((r) => r.instance));
    expect(instances.size).toBe(2);
    const done = runs.filter((r) => r.outcome === "done");
    // Mails sent, counted by the runs that sent them, add up to the queue: none twice.
    expect(done.filter((r) => r.job === "mail-outbox").reduce((n, r) => n + Number(r.sent ?? 0), 0)).toBe(MAILS);
    expect(done.filter((r) => r.job === "beneficiary-retention").reduce((n, r) => n + Number(r.purged ?? 0), 0)).toBe(OLD_BENEFICIARIES);
    // Both instances take part in every job's schedule (each ran some and found the lock taken at times is allowed)...
    for (const job of ["mail-outbox", "beneficiary-retention", "relay-activation", "waiting-list-offers", "auth-housekeeping"]) {
      expect(done.some((r) => r.job === job), job).toBe(true);
    }
    // ...but no two runs of one job, on different instances, ever overlap in time.
    for (const job of new Set(done.map((r) => r.job))) {
      const windows = done.filter((r) => r.job === job).map((r) => ({ instance: r.instance, from: Date.parse(r.startedAt), to: Date.parse(r.startedAt) + r.ms }));
      for (const a of windows)
        for (const b of windows)
          if (a.instance !== b.instance && a.from <= b.from) expect(b.from, `${job} ran on both instances at once`).toBeGreaterThanOrEqual(a.to);
    }
    expect(runs.some((r) => r.outcome === "skipped_locked")).toBe(true);
  }, 90_000);
});
