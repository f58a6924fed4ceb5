import { enqueueMail } from "~/modules/mail/outbox.server";
import { formatSlot } from "~/utils/dates";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import {
  CONVOCATION_FILENAME,
  ICS_CONTENT_TYPE,
  calendarOrganizer,
  convocationIcs,
  loadSessionForMail,
  mySpaceUrl,
  placeLines,
  sessionDates,
  withTxRetry,
} from "./enrolment.server";
import { dueReminder, reminderWindowOpens, type ReminderKind } from "./reminders.rules";

/**
 * Sends the 7-day and 1-day reminders that are due (reminders.rules.ts). Each one is its
 * own transaction: the enrolment's stamp is set by a conditional update (only if not yet
 * stamped for this window), and the mail and audit row are written only when that update
 * matched. Two processes running the job at once therefore send each reminder once: the
 * second update matches nothing (PostgreSQL re-checks the condition after the first
 * commits; SQLite has one writer at a time).
 */
export type ReminderRun = { sent7: number; sent1: number };

const DAY_MS = 24 * 3600_000;
const stampField = (kind: ReminderKind) => (kind === 7 ? "reminder7SentAt" : "reminder1SentAt");
export const reminderIcsUrl = (enrolmentId: string) => `${getEnv().APP_URL}/mon-espace/inscriptions/${enrolmentId}`;

export async function sendSessionReminders(now = new Date()): Promise<ReminderRun> {
  const horizon = new Date(now.getTime() + 7 * DAY_MS);
  // Confirmed seats in scheduled sessions that have not started and start within 7 days.
  const candidates = await db.enrolment.findMany({
    where: {
      status: "CONFIRMED",
      session: { status: "SCHEDULED", slots: { some: { startsAt: { gt: now, lte: horizon } }, none: { startsAt: { lte: now } } } },
    },
    select: { id: true },
  });
  const run: ReminderRun = { sent7: 0, sent1: 0 };
  for (const { id } of candidates) {
    const kind = await sendReminderIfDue(id, now);
    if (kind === 7) run.sent7++;
    if (kind === 1) run.sent1++;
  }
  return run;
}

/** Sends the reminder due for this enrolment, if any; returns which one was sent. */
export async function sendReminderIfDue(enrolmentId: string, now: Date): Promise<ReminderKind | null> {
  return withTxRetry(async (tx) => {
    const enrolment = await tx.enrolment.findUnique({ where: { id: enrolmentId }, include: { user: { select: { email: true, name: true } } } });
    if (!enrolment) return null;
    const session = await loadSessionForMail(tx, enrolment.sessionId);
    const firstSlotStartsAt = session?.slots[0]?.startsAt ?? null;
    if (!session || !firstSlotStartsAt) return null;
    const kind = dueReminder({
      now,
      sessionStatus: session.status,
      enrolmentStatus: enrolment.status,
      firstSlotStartsAt,
      confirmedAt: enrolment.confirmedAt,
      reminder7SentAt: enrolment.reminder7SentAt,
      reminder1SentAt: enrolment.reminder1SentAt,
    });
    if (!kind) return null;
    const field = stampField(kind);
    const { count } = await tx.enrolment.updateMany({
      where: { id: enrolmentId, status: "CONFIRMED", OR: [{ [field]: null }, { [field]: { lt: reminderWindowOpens(kind, firstSlotStartsAt) } }] },
      data: { [field]: now },
    });
    if (count !== 1) return null;
    await enqueueMail(
      tx,
      {
        template: "session-reminder",
        to: enrolment.user.email,
        data: {
          name: enrolment.user.name,
          daysBefore: kind,
          moduleTitle: session.module.title,
          dates: sessionDates(session.slots),
          slots: session.slots.map(formatSlot),
          place: placeLines(session),
          remoteUrl: session.format === "REMOTE" ? session.remoteUrl : null,
          accessInfo: session.accessInfo,
          trainerName: session.trainer?.name ?? null,
          url: mySpaceUrl(),
          icsUrl: reminderIcsUrl(enrolmentId),
        },
      },
      {
        attachments: [
          {
            filename: CONVOCATION_FILENAME,
            contentType: ICS_CONTENT_TYPE,
            content: Buffer.from(convocationIcs(session, { enrolmentId, learner: enrolment.user, organizer: await calendarOrganizer(tx) }, now), "utf8"),
          },
        ],
      },
    );
    await tx.auditLog.create({
      data: { actorId: null, action: "enrolment.reminder_sent", entityType: "Enrolment", entityId: enrolmentId, data: { sessionId: session.id, daysBefore: kind }, createdAt: now },
    });
    return kind;
  });
}
