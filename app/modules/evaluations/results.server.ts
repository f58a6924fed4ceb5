import type { Prisma } from "~/generated/sqlite/client";
import { db } from "~/utils/db.server";
import { responseRate, type TraineeOutcome } from "./results.rules";

/**
 * One outcome per confirmed trainee of the closed sessions matching `sessions`, for
 * `trainingResults`. One query: counts and the hot answer come with each enrolment.
 */
export async function loadTraineeOutcomes(sessions: Prisma.SessionWhereInput): Promise<TraineeOutcome[]> {
  const rows = await db.enrolment.findMany({
    where: { status: "CONFIRMED", session: { ...sessions, status: "CLOSED" } },
    select: {
      objectivesReached: true,
      session: { select: { _count: { select: { slots: true } } } },
      _count: { select: { signatures: { where: { status: { in: ["PRESENT", "LATE"] } } } } },
      surveys: { where: { sentAt: { not: null } }, select: { kind: true, respondedAt: true, reminderSentAt: true, satisfaction: true } },
    },
  });
  return rows.map((r) => ({
    slots: r.session._count.slots,
    attendedSlots: r._count.signatures,
    hotSatisfaction: r.surveys.find((s) => s.kind === "HOT" && s.respondedAt !== null)?.satisfaction ?? null,
    objectivesReached: r.objectivesReached,
    surveys: r.surveys.map((s) => ({ kind: s.kind, answered: s.respondedAt !== null, reminded: s.reminderSentAt !== null })),
  }));
}

/** A closed session's survey response rates, for its admin page; null while it is not closed. */
export async function sessionSurveyRates(sessionId: string) {
  const outcomes = await loadTraineeOutcomes({ id: sessionId });
  if (outcomes.length === 0) return null;
  const surveys = outcomes.flatMap((o) => o.surveys ?? []);
  return { hot: responseRate(surveys, "HOT"), cold: responseRate(surveys, "COLD") };
}
