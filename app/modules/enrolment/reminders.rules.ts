/**
 * Reminders sent 7 days and 1 day before a session to the people whose seat is confirmed.
 * Pure: which reminder, if any, is due now for one enrolment (reminders.rules.test.ts).
 *
 * A reminder's window opens its number of days before the first half-day and closes when
 * the session starts. A reminder is due when its window is open, it was not already sent
 * in that window, and the person was confirmed before the window opened: someone who
 * enrolled 3 days before has just received the convocation and gets the 1-day reminder
 * only. Inside the 1-day window the 7-day reminder is never due, so one run never sends
 * both. A stamp older than its window (the session was moved later) does not count.
 */
export type ReminderKind = 7 | 1;
export const REMINDER_KINDS: readonly ReminderKind[] = [7, 1];

const DAY_MS = 24 * 3600_000;

/** The instant a reminder's window opens. */
export const reminderWindowOpens = (kind: ReminderKind, firstSlotStartsAt: Date): Date => new Date(firstSlotStartsAt.getTime() - kind * DAY_MS);

export type ReminderInput = {
  now: Date;
  sessionStatus: "SCHEDULED" | "CANCELLED" | "CLOSED";
  enrolmentStatus: "PENDING_PAYMENT" | "CONFIRMED" | "WAITLISTED" | "OFFERED" | "CANCELLED";
  /** null for a session without any slot. */
  firstSlotStartsAt: Date | null;
  /** null for old rows confirmed before the field existed: taken as confirmed long ago. */
  confirmedAt: Date | null;
  reminder7SentAt: Date | null;
  reminder1SentAt: Date | null;
};

/** Whether this reminder was already sent for the session's current dates. */
export function reminderAlreadySent(kind: ReminderKind, sentAt: Date | null, firstSlotStartsAt: Date): boolean {
  return !!sentAt && sentAt.getTime() >= reminderWindowOpens(kind, firstSlotStartsAt).getTime();
}

export function dueReminder(input: ReminderInput): ReminderKind | null {
  const { now, firstSlotStartsAt } = input;
  if (input.sessionStatus !== "SCHEDULED" || input.enrolmentStatus !== "CONFIRMED" || !firstSlotStartsAt) return null;
  if (firstSlotStartsAt.getTime() <= now.getTime()) return null;
  // Shortest window first: once the 1-day window is open, the 7-day reminder is moot.
  for (const kind of [1, 7] as const) {
    const opens = reminderWindowOpens(kind, firstSlotStartsAt);
    if (now.getTime() < opens.getTime()) continue;
    const sentAt = kind === 7 ? input.reminder7SentAt : input.reminder1SentAt;
    if (reminderAlreadySent(kind, sentAt, firstSlotStartsAt)) return null;
    if (input.confirmedAt && input.confirmedAt.getTime() > opens.getTime()) return null;
    return kind;
  }
  return null;
}
