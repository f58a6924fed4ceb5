/**
 * The evaluation surveys: the job that sends them (who and when: surveys.rules.ts), and the
 * personal page a trainee answers from (/questionnaire/:token), without logging in.
 *
 * Each survey is one `SurveyResponse` row per enrolment and kind, created with its mail in
 * one transaction. The row's uniqueness makes sending idempotent: a second run, or two
 * processes at once, cannot create it twice, and the loser's mail rolls back with it. The
 * link carries a random token; only its SHA-256 is stored. Answering is one conditional
 * update (`respondedAt` still null), so a second submission changes nothing.
 */
import type { Prisma } from "~/generated/sqlite/client";
import { hashToken, newToken } from "~/modules/auth/tokens.server";
import { sessionDates, withTxRetry } from "~/modules/enrolment/enrolment.server";
import { enqueueMail } from "~/modules/mail/outbox.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import type { SurveyAnswer } from "./survey.schema";
import { dueSurveys, reminderCandidateWindow, surveyCandidateWindow, surveyReminderDue, type SurveyKind } from "./surveys.rules";

const ATTENDED = { status: { in: ["PRESENT", "LATE"] } } satisfies Prisma.SignatureWhereInput;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export const surveyUrl = (token: string) => `${getEnv().APP_URL}/questionnaire/${token}`;

export type SurveyRun = { hot: number; cold: number };

/** Sends every survey due at `now`; returns how many of each went out. */
export async function sendDueSurveys(now = new Date()): Promise<SurveyRun> {
  const window = surveyCandidateWindow(now);
  const candidates = await db.enrolment.findMany({
    where: {
      status: "CONFIRMED",
      signatures: { some: ATTENDED },
      session: {
        status: "CLOSED",
        OR: [{ closedAt: { gte: window.closedSince } }, { slots: { some: { endsAt: { gte: window.endedFrom, lte: window.endedUntil } } } }],
      },
    },
    select: {
      id: true,
      status: true,
      user: { select: { email: true, name: true } },
      surveys: { select: { kind: true } },
      _count: { select: { signatures: { where: ATTENDED } } },
      session: {
        select: {
          status: true,
          closedAt: true,
          module: { select: { title: true } },
          slots: { select: { startsAt: true, endsAt: true }, orderBy: { startsAt: "asc" } },
        },
      },
    },
  });
  const run: SurveyRun = { hot: 0, cold: 0 };
  for (const e of candidates) {
    const kinds = dueSurveys(
      {
        sessionStatus: e.session.status,
        closedAt: e.session.closedAt,
        sessionEndsAt: e.session.slots.at(-1)?.endsAt ?? null,
        enrolmentStatus: e.status,
        attendedSlots: e._count.signatures,
        sent: e.surveys.map((s) => s.kind),
      },
      now,
    );
    for (const kind of kinds) {
      const mail = { to: e.user.email, data: { name: e.user.name, moduleTitle: e.session.module.title, dates: sessionDates(e.session.slots) } };
      if (await sendSurvey(e.id, kind, mail, now)) run[kind === "HOT" ? "hot" : "cold"]++;
    }
  }
  return run;
}

type SurveyMail = { to: string; data: { name: string; moduleTitle: string; dates: string } };

const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === "P2002";

/** Creates the survey row and its mail together; false when this survey already exists. */
async function sendSurvey(enrolmentId: string, kind: SurveyKind, mail: SurveyMail, now: Date): Promise<boolean> {
  try {
    return await withTxRetry(async (tx) => {
      if (await tx.surveyResponse.findUnique({ where: { enrolmentId_kind: { enrolmentId, kind } }, select: { id: true } })) return false;
      const token = newToken();
      await tx.surveyResponse.create({ data: { enrolmentId, kind, tokenHash: hashToken(token), sentAt: now } });
      const data = { ...mail.data, url: surveyUrl(token) };
      await enqueueMail(tx, kind === "HOT" ? { template: "survey-hot", to: mail.to, data } : { template: "survey-cold", to: mail.to, data });
      return true;
    });
  } catch (error) {
    // Another run created the same survey between our check and our insert.
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

// ───────────────────────────── The one reminder ─────────────────────────────

export type SurveyReminderRun = { hotReminders: number; coldReminders: number };

/**
 * Sends the reminders due at `now` (surveys.rules.ts `surveyReminderDue`). The original link
 * cannot be mailed again (only its hash is kept), so the reminder carries a second link to
 * the same survey, whose hash is stored with the reminder's stamp; either link answers it
 * once. The stamp is set by a conditional update (no reminder yet, not answered): two runs,
 * or two instances at once, send each reminder once, the loser's update matching nothing.
 */
export async function sendSurveyReminders(now = new Date(), afterDays = getEnv().SURVEY_REMINDER_DAYS): Promise<SurveyReminderRun> {
  const window = reminderCandidateWindow(now, afterDays);
  const candidates = await db.surveyResponse.findMany({
    where: { respondedAt: null, reminderSentAt: null, sentAt: { gte: window.sentFrom, lte: window.sentUntil }, enrolment: { status: "CONFIRMED" } },
    select: {
      id: true,
      kind: true,
      sentAt: true,
      respondedAt: true,
      reminderSentAt: true,
      enrolment: {
        select: {
          status: true,
          user: { select: { email: true, name: true } },
          session: { select: { module: { select: { title: true } }, slots: { select: { startsAt: true, endsAt: true }, orderBy: { startsAt: "asc" } } } },
        },
      },
    },
  });
  const run: SurveyReminderRun = { hotReminders: 0, coldReminders: 0 };
  for (const c of candidates) {
    if (!surveyReminderDue({ ...c, enrolmentStatus: c.enrolment.status }, now, afterDays)) continue;
    const { user, session } = c.enrolment;
    const mail = { to: user.email, data: { name: user.name, moduleTitle: session.module.title, dates: sessionDates(session.slots) } };
    if (await sendSurveyReminder(c.id, c.kind, mail, now)) run[c.kind === "HOT" ? "hotReminders" : "coldReminders"]++;
  }
  return run;
}

async function sendSurveyReminder(surveyId: string, kind: SurveyKind, mail: SurveyMail, now: Date): Promise<boolean> {
  return withTxRetry(async (tx) => {
    const token = newToken();
    const { count } = await tx.surveyResponse.updateMany({
      where: { id: surveyId, respondedAt: null, reminderSentAt: null },
      data: { reminderSentAt: now, reminderTokenHash: hashToken(token) },
    });
    if (count !== 1) return false;
    const data = { ...mail.data, url: surveyUrl(token), reminder: true };
    await enqueueMail(tx, kind === "HOT" ? { template: "survey-hot", to: mail.to, data } : { template: "survey-cold", to: mail.to, data });
    return true;
  });
}

/** Either link of a survey: the first mail's, or the reminder's. */
const byToken = (tokenHash: string) => ({ OR: [{ tokenHash }, { reminderTokenHash: tokenHash }] }) satisfies Prisma.SurveyResponseWhereInput;

// ───────────────────────────── The survey page ─────────────────────────────

export type SurveyPage = {
  kind: SurveyKind;
  moduleTitle: string;
  dates: string;
  respondedAt: Date | null;
};

/** The survey behind a link, or null for an unknown (or malformed) token. */
export async function getSurvey(token: string): Promise<SurveyPage | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const row = await db.surveyResponse.findFirst({
    where: byToken(hashToken(token)),
    select: {
      kind: true,
      respondedAt: true,
      enrolment: { select: { session: { select: { module: { select: { title: true } }, slots: { select: { startsAt: true, endsAt: true }, orderBy: { startsAt: "asc" } } } } } },
    },
  });
  if (!row) return null;
  const { session } = row.enrolment;
  return { kind: row.kind, moduleTitle: session.module.title, dates: sessionDates(session.slots), respondedAt: row.respondedAt };
}

export type AnswerResult = "saved" | "already-answered" | "unknown";

/** Records the one answer this link allows. */
export async function answerSurvey(token: string, answer: SurveyAnswer, now = new Date()): Promise<AnswerResult> {
  if (!TOKEN_SHAPE.test(token)) return "unknown";
  const tokenHash = hashToken(token);
  const survey = await db.surveyResponse.findFirst({ where: byToken(tokenHash), select: { id: true, kind: true } });
  if (!survey) return "unknown";
  const answers = {
    recommend: answer.recommend === "oui",
    comment: answer.comment,
    ...(survey.kind === "COLD" ? { practice: answer.practice } : {}),
  };
  const { count } = await db.surveyResponse.updateMany({
    where: { id: survey.id, respondedAt: null },
    data: { respondedAt: now, satisfaction: answer.satisfaction, answers },
  });
  return count === 1 ? "saved" : "already-answered";
}
