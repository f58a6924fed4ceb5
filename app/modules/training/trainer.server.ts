import type { SessionFormat, SessionKind, SessionStatus } from "~/generated/sqlite/enums";
import { db } from "~/utils/db.server";

/** A trainer's own sessions, for the trainer space. Scoped by trainerId. */
export type TrainerSession = {
  id: string;
  moduleTitle: string;
  kind: SessionKind;
  format: SessionFormat;
  city: string | null;
  venueName: string | null;
  status: SessionStatus;
  startsAt: Date | null;
  endsAt: Date | null;
  halfDays: number;
  capacity: number;
  confirmedCount: number;
};

/**
 * Upcoming: not yet over (its last half-day ends after `now`, or no half-day planned yet),
 * soonest first. Past: over, most recent first.
 */
export async function listTrainerSessions(trainerId: string, now = new Date()): Promise<{ upcoming: TrainerSession[]; past: TrainerSession[] }> {
  const rows = await db.session.findMany({
    where: { trainerId },
    include: {
      module: { select: { title: true } },
      slots: { select: { startsAt: true, endsAt: true }, orderBy: { startsAt: "asc" } },
      _count: { select: { enrolments: { where: { status: "CONFIRMED" } } } },
    },
  });
  const sessions: TrainerSession[] = rows.map((s) => ({
    id: s.id,
    moduleTitle: s.module.title,
    kind: s.kind,
    format: s.format,
    city: s.city,
    venueName: s.venueName,
    status: s.status,
    startsAt: s.slots[0]?.startsAt ?? null,
    endsAt: s.slots.reduce<Date | null>((last, slot) => (!last || slot.endsAt > last ? slot.endsAt : last), null),
    halfDays: s.slots.length,
    capacity: s.capacity,
    confirmedCount: s._count.enrolments,
  }));
  const time = (d: Date | null) => d?.getTime() ?? Number.POSITIVE_INFINITY;
  const upcoming = sessions.filter((s) => !s.endsAt || s.endsAt > now).sort((a, b) => time(a.startsAt) - time(b.startsAt));
  const past = sessions.filter((s) => s.endsAt && s.endsAt <= now).sort((a, b) => time(b.startsAt) - time(a.startsAt));
  return { upcoming, past };
}
