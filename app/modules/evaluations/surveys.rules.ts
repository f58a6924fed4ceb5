/**
 * When the evaluation surveys go out, pure and tested in surveys.rules.test.ts.
 *
 * The end-of-session survey (à chaud, HOT) is due once the session is closed; the follow-up
 * (à froid, COLD) three calendar months after its last half-day ends. Both go only to a
 * confirmed trainee who attended at least part of one half-day (signed present, or late):
 * never to absentees nor cancelled enrolments. Each is sent at most once (one survey row per
 * enrolment and kind). A survey whose moment passed long ago is not sent any more: a
 * session closed months late, or the first run on old data, must not mail people about
 * training they barely remember.
 */
export type SurveyKind = "HOT" | "COLD";

/** The hot survey is still sent this long after the session was closed. */
export const HOT_SEND_WINDOW_DAYS = 30;
/** The cold survey is due this many months after the session's last half-day… */
export const COLD_AFTER_MONTHS = 3;
/** … and still sent this long after it became due. */
export const COLD_SEND_WINDOW_DAYS = 30;

const DAY_MS = 24 * 3600_000;

/** The same wall-clock instant `months` calendar months later (31 March + 3 months → 30 June, not 1 July). */
export function addMonths(date: Date, months: number): Date {
  const d = new Date(date.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d;
}

/** When the cold survey becomes due for a session ending at `sessionEndsAt`. */
export const coldSurveyDueAt = (sessionEndsAt: Date): Date => addMonths(sessionEndsAt, COLD_AFTER_MONTHS);

export type SurveyCandidate = {
  sessionStatus: "SCHEDULED" | "CANCELLED" | "CLOSED";
  closedAt: Date | null;
  /** End of the session's last half-day; null for a session without any. */
  sessionEndsAt: Date | null;
  enrolmentStatus: "PENDING_PAYMENT" | "CONFIRMED" | "WAITLISTED" | "OFFERED" | "CANCELLED";
  /** Half-days signed present or late. */
  attendedSlots: number;
  /** Survey kinds already sent to this enrolment. */
  sent: readonly SurveyKind[];
};

/** The surveys due now for one enrolment (at most one of each kind, never one already sent). */
export function dueSurveys(c: SurveyCandidate, now: Date): SurveyKind[] {
  if (c.sessionStatus !== "CLOSED" || !c.closedAt || !c.sessionEndsAt) return [];
  if (c.enrolmentStatus !== "CONFIRMED" || c.attendedSlots <= 0) return [];
  const due: SurveyKind[] = [];
  const t = now.getTime();
  if (!c.sent.includes("HOT") && t >= c.closedAt.getTime() && t < c.closedAt.getTime() + HOT_SEND_WINDOW_DAYS * DAY_MS) due.push("HOT");
  const coldAt = coldSurveyDueAt(c.sessionEndsAt).getTime();
  if (!c.sent.includes("COLD") && t >= coldAt && t < coldAt + COLD_SEND_WINDOW_DAYS * DAY_MS) due.push("COLD");
  return due;
}

/**
 * Bounds the job's query with: sessions closed recently, or with a half-day ending when the
 * cold survey may be due now. A little wider than needed (month lengths vary);
 * `dueSurveys` decides exactly.
 */
export function surveyCandidateWindow(now: Date): { closedSince: Date; endedFrom: Date; endedUntil: Date } {
  const margin = 3 * DAY_MS;
  return {
    closedSince: new Date(now.getTime() - HOT_SEND_WINDOW_DAYS * DAY_MS),
    endedFrom: new Date(addMonths(now, -COLD_AFTER_MONTHS).getTime() - COLD_SEND_WINDOW_DAYS * DAY_MS - margin),
    endedUntil: new Date(addMonths(now, -COLD_AFTER_MONTHS).getTime() + margin),
  };
}

// ───────────────────────────── The one reminder ─────────────────────────────

/** A reminder is still sent this long after it became due (then the survey is left alone). */
export const REMINDER_SEND_WINDOW_DAYS = 14;

export type ReminderCandidate = {
  sentAt: Date | null;
  respondedAt: Date | null;
  reminderSentAt: Date | null;
  enrolmentStatus: SurveyCandidate["enrolmentStatus"];
};

/**
 * One reminder per survey, `afterDays` days after it was sent, if it is still unanswered:
 * the cold survey, and the hot one not answered on the day of the closing. Never a second
 * one, never for a survey sent so long ago that the reminder would be stale.
 */
export function surveyReminderDue(c: ReminderCandidate, now: Date, afterDays: number): boolean {
  if (!c.sentAt || c.respondedAt || c.reminderSentAt || c.enrolmentStatus !== "CONFIRMED") return false;
  const dueAt = c.sentAt.getTime() + afterDays * DAY_MS;
  const t = now.getTime();
  return t >= dueAt && t < dueAt + REMINDER_SEND_WINDOW_DAYS * DAY_MS;
}

/** The sending dates whose surveys may be due for a reminder now (surveyReminderDue decides). */
export function reminderCandidateWindow(now: Date, afterDays: number): { sentFrom: Date; sentUntil: Date } {
  const until = now.getTime() - afterDays * DAY_MS;
  return { sentFrom: new Date(until - REMINDER_SEND_WINDOW_DAYS * DAY_MS), sentUntil: new Date(until) };
}
