/**
 * The outbox end to end: a real database (SQLite, or PostgreSQL with TEST_DATABASE) and
 * real SMTP delivery to an in-process server.
 */
import net from "node:net";
import type { AddressInfo } from "node:net";
import nodemailer from "nodemailer";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { applyPendingMigrations } from "../../../server/schema-engine";
import { testDatabaseUrl } from "../../../tests/support/database";
import { startSmtpServer, type TestSmtpServer } from "../../../tests/support/smtp";
import { renderMailMessage } from "../../../emails";
import { createDb, type Db } from "~/utils/db.server";
import { MAX_SEND_ATTEMPTS } from "./backoff";
import { enqueueMail, type MailMessage } from "./outbox.server";
import { outboxMessageId, outboxStats, processOutboxOnce } from "./worker.server";

let databaseUrl: string;
let db: Db;
let smtp: TestSmtpServer;
let counter = 0;
// Rows get the database's real "now"; the worker's clock starts just after it.
const t0 = new Date(Date.now() + 60_000);
const later = (ms: number) => new Date(t0.getTime() + ms);
const HOUR = 60 * 60_000;

const smtpTransport = (port: number) => nodemailer.createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true });
const uniqueAddress = (tag: string) => `${tag}.${Date.now()}.${counter++}@exemple.fr`;
const passwordChanged = (to: string): MailMessage => ({ template: "password-changed", to, data: { name: "Hélène Dupré" } });
const receivedCopies = (id: string) => smtp.messages.filter((m) => m.messageId === outboxMessageId(id));

/** A port nothing listens on: the SMTP server is "down". */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  vi.stubEnv("LOG_LEVEL", "silent");
  databaseUrl = testDatabaseUrl("mail_outbox");
  await applyPendingMigrations(databaseUrl);
  db = createDb(databaseUrl);
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await db?.$disconnect();
  await smtp?.stop();
});
// Each test sees only its own mails (a run picks up every due row).
beforeEach(async () => {
  await db.outboxMail.deleteMany();
});

describe("the mail outbox", () => {
  it("never sends a mail whose transaction rolled back", async () => {
    const to = uniqueAddress("rollback");
    await expect(
      db.$transaction(async (tx) => {
        await enqueueMail(tx, passwordChanged(to));
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");

    expect(await db.outboxMail.count()).toBe(0);
    expect(await processOutboxOnce({ db, transport: smtpTransport(smtp.port), now: t0 })).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(smtp.messages.filter((m) => m.text?.includes(to))).toHaveLength(0);
  });

  it("delivers over SMTP with accents and « guillemets » intact, then marks the mail sent", async () => {
    const message: MailMessage = {
      template: "invitation",
      to: uniqueAddress("zoe"),
      data: { structureName: "Lien & Partage — Besançon", inviterName: "Zoé Lefèvre", url: "https://maillon.example.org/invitation?token=abc", expiresInDays: 7 },
    };
    const { id } = await db.$transaction((tx) => enqueueMail(tx, message));

    expect(await processOutboxOnce({ db, transport: smtpTransport(smtp.port), now: t0 })).toEqual({ sent: 1, retried: 0, failed: 0 });

    const [received, ...duplicates] = receivedCopies(id);
    expect(duplicates).toHaveLength(0);
    expect(received!.subject).toBe("Zoé Lefèvre vous invite à rejoindre « Lien & Partage — Besançon » sur Maillon");
    expect(received!.subject).toBe(renderMailMessage(message).subject);
    expect(received!.text).toContain("Zoé Lefèvre vous invite à rejoindre la structure « Lien & Partage — Besançon »");
    expect(received!.html).toContain("Lien &amp; Partage — Besançon");
    expect(received!.to && !Array.isArray(received!.to) ? received!.to.value[0]?.address : undefined).toBe(message.to);

    const row = await db.outboxMail.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "SENT", attempts: 1, lockedUntil: null, lastError: null });
    expect(row.sentAt).toEqual(t0);
  });

  it("delivers attachments byte for byte", async () => {
    const pdf = Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\nfaux certificat\n", "latin1");
    const { id } = await enqueueMail(db, passwordChanged(uniqueAddress("attachment")), {
      attachments: [{ filename: "attestation-été-2026.pdf", contentType: "application/pdf", content: pdf }],
    });
    await processOutboxOnce({ db, transport: smtpTransport(smtp.port), now: t0 });
    const [attachment] = receivedCopies(id)[0]!.attachments;
    expect(attachment?.filename).toBe("attestation-été-2026.pdf");
    expect(attachment?.contentType).toBe("application/pdf");
    expect(attachment?.content.equals(pdf)).toBe(true);
  });

  it("keeps a mail through an SMTP outage and delivers it once the server is back", async () => {
    const { id } = await enqueueMail(db, passwordChanged(uniqueAddress("outage")));
    const down = smtpTransport(await closedPort());

    expect(await processOutboxOnce({ db, transport: down, now: t0 })).toEqual({ sent: 0, retried: 1, failed: 0 });
    const afterFailure = await db.outboxMail.findUniqueOrThrow({ where: { id } });
    expect(afterFailure).toMatchObject({ status: "PENDING", attempts: 1, lockedUntil: null });
    expect(afterFailure.nextAttemptAt.getTime()).toBeGreaterThan(t0.getTime());
    expect(afterFailure.lastError).toMatch(/ECONNREFUSED/);

    // Not due yet: even with the server back, nothing is sent before the retry time.
    const up = smtpTransport(smtp.port);
    expect(await processOutboxOnce({ db, transport: up, now: t0 })).toEqual({ sent: 0, retried: 0, failed: 0 });

    expect(await processOutboxOnce({ db, transport: up, now: later(HOUR) })).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(await processOutboxOnce({ db, transport: up, now: later(2 * HOUR) })).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(receivedCopies(id)).toHaveLength(1);
    expect(await db.outboxMail.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "SENT", attempts: 2, lastError: null });
  });

  it("sends each mail exactly once when two workers run at the same time", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await enqueueMail(db, passwordChanged(uniqueAddress(`concurrent${i}`)))).id);
    const otherWorkerDb = createDb(databaseUrl);
    try {
      const runs = await Promise.all([
        processOutboxOnce({ db, transport: smtpTransport(smtp.port), now: t0 }),
        processOutboxOnce({ db: otherWorkerDb, transport: smtpTransport(smtp.port), now: t0 }),
      ]);
      expect(runs[0]!.sent + runs[1]!.sent).toBe(ids.length);
    } finally {
      await otherWorkerDb.$disconnect();
    }
    for (const id of ids) expect(receivedCopies(id)).toHaveLength(1);
    expect(await db.outboxMail.count({ where: { status: "SENT", id: { in: ids } } })).toBe(ids.length);
  });

  it("gives up after the last attempt and keeps the mail as FAILED for staff", async () => {
    const { id } = await enqueueMail(db, passwordChanged(uniqueAddress("failed")));
    const down = smtpTransport(await closedPort());
    for (let run = 1; run <= MAX_SEND_ATTEMPTS; run++) {
      const result = await processOutboxOnce({ db, transport: down, now: later(run * 2 * HOUR) });
      expect(result).toEqual(run < MAX_SEND_ATTEMPTS ? { sent: 0, retried: 1, failed: 0 } : { sent: 0, retried: 0, failed: 1 });
    }
    expect(await db.outboxMail.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "FAILED", attempts: MAX_SEND_ATTEMPTS });

    const up = smtpTransport(smtp.port);
    expect(await processOutboxOnce({ db, transport: up, now: later(1000 * HOUR) })).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(receivedCopies(id)).toHaveLength(0);
    expect(await outboxStats(db)).toEqual({ PENDING: 0, SENT: 0, FAILED: 1 });
  });

  it("keeps the SMTP error for staff but not the recipient's address", async () => {
    const to = uniqueAddress("rejected");
    const rejecting = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onRcptTo(address, _session, callback) {
        callback(Object.assign(new Error(`Mailbox <${address.address}> unavailable`), { responseCode: 550 }));
      },
    });
    await new Promise<void>((resolve) => rejecting.listen(0, "127.0.0.1", resolve));
    try {
      const { id } = await enqueueMail(db, passwordChanged(to));
      const port = (rejecting.server.address() as AddressInfo).port;
      await processOutboxOnce({ db, transport: smtpTransport(port), now: t0 });
      const row = await db.outboxMail.findUniqueOrThrow({ where: { id } });
      expect(row.lastError).toContain("550");
      expect(row.lastError).toContain("[adresse masquée]");
      expect(row.lastError).not.toContain(to);
      expect(row.lastError).not.toContain("@");
    } finally {
      await new Promise<void>((resolve) => rejecting.close(() => resolve()));
    }
  });
});
