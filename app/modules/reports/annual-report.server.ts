import { attendedMinutes } from "~/modules/attendance/attendance.rules";
import { loadTraineeOutcomes } from "~/modules/evaluations/results.server";
import { trainingResults } from "~/modules/evaluations/results.rules";
import { parisInstant } from "~/modules/training/sessions.rules";
import { db } from "~/utils/db.server";
import { bpfFigures, type AnnualReport } from "./annual-report.rules";

/** From 1 January 00:00 to the next 1 January, Paris time. */
export function yearBounds(year: number): { start: Date; end: Date } {
  return { start: parisInstant(`${year}-01-01`, "00:00")!, end: parisInstant(`${year + 1}-01-01`, "00:00")! };
}

/**
 * The yearly report from two Prisma queries: the attendance marks of the year's half-days (confirmed
 * enrolments, sessions not cancelled), and the outcomes of the closed sessions whose last
 * half-day ended in the year, for the rates.
 */
export async function loadAnnualReport(year: number): Promise<AnnualReport> {
  const { start, end } = yearBounds(year);
  const [marks, outcomes] = await Promise.all([
    db.signature.findMany({
      where: {
        status: { in: ["PRESENT", "LATE"] },
        enrolment: { status: "CONFIRMED" },
        slot: { startsAt: { gte: start, lt: end }, session: { status: { not: "CANCELLED" } } },
      },
      select: {
        status: true,
        minutesLate: true,
        enrolmentId: true,
        slot: { select: { id: true, startsAt: true, endsAt: true } },
        enrolment: { select: { funding: true, session: { select: { module: { select: { id: true, number: true, title: true } } } } } },
      },
    }),
    loadTraineeOutcomes({ slots: { some: { endsAt: { gte: start, lt: end } }, none: { endsAt: { gte: end } } } }),
  ]);
  const lines = marks.map((m) => ({
    enrolmentId: m.enrolmentId,
    funding: m.enrolment.funding,
    module: m.enrolment.session.module,
    minutes: attendedMinutes([m.slot], [{ slotId: m.slot.id, status: m.status, minutesLate: m.minutesLate }]),
  }));
  return { year, figures: bpfFigures(lines), results: trainingResults(outcomes) };
}
