/**
 * The re-certification reminder: once, a month before a certificate expires, its holder is
 * told to re-train (certificate.rules.ts: isRecertificationReminderDue). Revoked, superseded
 * and already expired certificates are skipped. Each reminder is its own transaction whose
 * conditional update of `reminderSentAt` lets only one run send it.
 *
 * Only the certificat de réalisation is reminded: the attestation of the same training
 * expires the same day, and one mail per training is enough.
 */
import { withTxRetry } from "~/modules/enrolment/enrolment.server";
import { enqueueMail } from "~/modules/mail/outbox.server";
import { db } from "~/utils/db.server";
import { formatDate } from "~/utils/dates";
import { getEnv } from "~/utils/env.server";
import { isRecertificationReminderDue, lastValidDay, recertificationReminderAt } from "./certificate.rules";

const DAY_MS = 24 * 3600_000;
/** The last month before expiry starts at most 31 days (plus a DST hour) before it. */
const WINDOW_MS = 32 * DAY_MS;

export async function sendRecertificationReminders(now = new Date()): Promise<number> {
  const candidates = await db.certificate.findMany({
    where: {
      kind: "COMPLETION",
      reminderSentAt: null,
      revokedAt: null,
      supersededAt: null,
      expiresAt: { gt: now, lte: new Date(now.getTime() + WINDOW_MS) },
    },
    select: { id: true },
  });
  let sent = 0;
  for (const { id } of candidates) if (await sendReminderIfDue(id, now)) sent++;
  return sent;
}

async function sendReminderIfDue(id: string, now: Date): Promise<boolean> {
  return withTxRetry(async (tx) => {
    const c = await tx.certificate.findUnique({
      where: { id },
      select: {
        number: true,
        moduleTitle: true,
        issuedAt: true,
        expiresAt: true,
        revokedAt: true,
        supersededAt: true,
        user: { select: { email: true, name: true } },
        module: { select: { slug: true } },
      },
    });
    if (!c?.expiresAt || !isRecertificationReminderDue(c, now)) return false;
    const { count } = await tx.certificate.updateMany({ where: { id, reminderSentAt: null, revokedAt: null, supersededAt: null }, data: { reminderSentAt: now } });
    if (count !== 1) return false;
    await enqueueMail(tx, {
      template: "recertification-reminder",
      to: c.user.email,
      data: {
        name: c.user.name,
        moduleTitle: c.moduleTitle,
        number: c.number,
        validUntil: formatDate(new Date(`${lastValidDay(c.expiresAt)}T12:00:00Z`)),
        moduleUrl: `${getEnv().APP_URL}/formations/${c.module.slug}`,
      },
    });
    await tx.auditLog.create({
      data: {
        actorId: null,
        action: "certificate.recertification_reminded",
        entityType: "Certificate",
        entityId: id,
        data: { number: c.number, dueAt: recertificationReminderAt(c.expiresAt).toISOString() },
        createdAt: now,
      },
    });
    return true;
  });
}

