import { attendedMinutes } from "~/modules/attendance/attendance.rules";
import { loadTraineeOutcomes } from "~/modules/evaluations/results.server";
import { trainingResults } from "~/modules/evaluations/results.rules";
import { isPublicStructure } from "~/modules/invoicing/invoice.rules";
import { parisInstant } from "~/modules/training/sessions.rules";
import { db } from "~/utils/db.server";
import { bpfFigures, type AnnualReport } from "./annual-report.rules";
import { chargesSection, EMPTY_ENTRY, incomeSection, traineeSections, traineeTypeOf, trainersSection, type BpfEntry } from "./bpf.rules";

/** From 1 January 00:00 to the next 1 January, Paris time. */
export function yearBounds(year: number): { start: Date; end: Date } {
  return { start: parisInstant(`${year}-01-01`, "00:00")!, end: parisInstant(`${year + 1}-01-01`, "00:00")! };
}

const MINUTE_MS = 60_000;

/** What staff entered for the year's BPF, or nothing entered yet. */
export async function readBpfEntry(year: number): Promise<BpfEntry> {
  const row = await db.bpfYearEntry.findUnique({ where: { year } });
  if (!row) return EMPTY_ENTRY;
  const { otherIncomeCents, turnoverCents, chargesCents, trainerPayCents, boughtTrainingCents } = row;
  return { otherIncomeCents, turnoverCents, chargesCents, trainerPayCents, boughtTrainingCents };
}

/** Staff record the figures of a year's BPF the portal cannot know (audited with the previous values). */
export async function saveBpfEntry(input: { actorId: string; year: number; entry: BpfEntry; now?: Date }): Promise<void> {
  const { actorId, year, entry, now = new Date() } = input;
  await db.$transaction(async (tx) => {
    const before = await tx.bpfYearEntry.findUnique({ where: { year } });
    await tx.bpfYearEntry.upsert({ where: { year }, create: { year, ...entry, updatedById: actorId }, update: { ...entry, updatedById: actorId } });
    await tx.auditLog.create({
      data: { actorId, action: "bpf.entry_saved", entityType: "BpfYearEntry", entityId: String(year), data: { before: before ? { ...before, updatedAt: before.updatedAt.toISOString() } : null, after: entry }, createdAt: now },
    });
  });
}

/**
 * The yearly report: the attendance marks of the year's half-days (confirmed enrolments,
 * sessions not cancelled), the outcomes of the closed sessions whose last half-day ended
 * in the year (for the rates), the year's invoices and credit notes, the half-days the
 * sessions' trainers gave, and what staff entered; then the cerfa's sections.
 */
export async function loadAnnualReport(year: number): Promise<AnnualReport> {
  const { start, end } = yearBounds(year);
  const inYear = { startsAt: { gte: start, lt: end }, session: { status: { not: "CANCELLED" as const } } };
  const [marks, outcomes, documents, taught, entry] = await Promise.all([
    db.signature.findMany({
      where: { status: { in: ["PRESENT", "LATE"] }, enrolment: { status: "CONFIRMED" }, slot: inYear },
      select: {
        status: true,
        minutesLate: true,
        enrolmentId: true,
        slot: { select: { id: true, startsAt: true, endsAt: true } },
        enrolment: {
          select: {
            funding: true,
            structure: { select: { type: true, publicServiceCode: true } },
            session: { select: { module: { select: { id: true, number: true, title: true, nsfCode: true } } } },
          },
        },
      },
    }),
    loadTraineeOutcomes({ slots: { some: { endsAt: { gte: start, lt: end } }, none: { endsAt: { gte: end } } } }),
    db.invoice.findMany({ where: { year }, select: { kind: true, funding: true, totalHtCents: true, data: true } }),
    db.slot.findMany({
      where: { ...inYear, session: { ...inYear.session, trainerId: { not: null } } },
      select: { startsAt: true, endsAt: true, session: { select: { trainerId: true, trainer: { select: { externalTrainer: true } } } } },
    }),
    readBpfEntry(year),
  ]);
  const attended = marks.map((m) => {
    const { funding, structure, session } = m.enrolment;
    return {
      enrolmentId: m.enrolmentId,
      funding,
      publicEmployer: structure ? isPublicStructure(structure) : null,
      module: session.module,
      minutes: attendedMinutes([m.slot], [{ slotId: m.slot.id, status: m.status, minutesLate: m.minutesLate }]),
    };
  });
  const trainees = traineeSections(attended.map((a) => ({ enrolmentId: a.enrolmentId, type: traineeTypeOf(a), module: a.module, minutes: a.minutes })));
  const income = incomeSection(
    documents.map((d) => ({ kind: d.kind, funding: d.funding, totalHtCents: d.totalHtCents, publicBuyer: (d.data as { buyer?: { public?: boolean } }).buyer?.public === true })),
    entry,
  );
  const trainers = trainersSection(
    taught.map((s) => ({ trainerId: s.session.trainerId!, external: s.session.trainer?.externalTrainer ?? false, minutes: Math.round((s.endsAt.getTime() - s.startsAt.getTime()) / MINUTE_MS) })),
  );
  return {
    year,
    figures: bpfFigures(attended),
    results: trainingResults(outcomes),
    cerfa: { sections: [income, chargesSection(entry), trainers, ...trainees.sections], modulesWithoutNsf: trainees.modulesWithoutNsf, entry },
  };
}
