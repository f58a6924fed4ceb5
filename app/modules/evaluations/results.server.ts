import type { Prisma } from "~/generated/sqlite/client";
import { db } from "~/utils/db.server";
import type { TraineeOutcome } from "./results.rules";

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
      surveys: { where: { kind: "HOT", respondedAt: { not: null }, satisfaction: { not: null } }, select: { satisfaction: true } },
    },
  });
  return rows.map((r) => ({
    slots: r.session._count.slots,
    attendedSlots: r._count.signatures,
    hotSatisfaction: r.surveys[0]?.satisfaction ?? null,
    objectivesReached: r.objectivesReached,
  }));
}
