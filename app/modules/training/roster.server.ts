import type { EnrolmentStatus, Funding, PaymentStatus } from "~/generated/sqlite/enums";
import { can, type Actor } from "~/modules/auth/permissions.rules";
import { db } from "~/utils/db.server";

/**
 * A session's roster: who is enrolled, how they are funded and whether they have paid.
 * Seen by the session's trainer and by staff (permission `session.viewRoster`), checked
 * here again so a route that forgets is not a hole.
 */
export type RosterEntry = {
  enrolmentId: string;
  name: string;
  email: string;
  structureName: string | null;
  status: EnrolmentStatus;
  funding: Funding;
  paymentStatus: PaymentStatus;
  amountCents: number;
  waitlistRank: number | null;
};

export type SessionRoster = {
  sessionId: string;
  moduleTitle: string;
  status: string;
  trainerName: string | null;
  slots: { startsAt: Date; endsAt: Date }[];
  format: string;
  venueName: string | null;
  address: string | null;
  postcode: string | null;
  city: string | null;
  capacity: number;
  seatsTaken: number;
  entries: RosterEntry[];
  /** The addresses of the people holding a seat (confirmed or paying), for writing to the group. */
  groupEmails: string[];
};

/** Seat holders first, then the waiting list in its order, then the cancelled; by name inside. */
const STATUS_ORDER: Record<EnrolmentStatus, number> = { CONFIRMED: 0, PENDING_PAYMENT: 1, OFFERED: 2, WAITLISTED: 3, CANCELLED: 4 };
const GROUP_STATUSES: EnrolmentStatus[] = ["CONFIRMED", "PENDING_PAYMENT"];

/** Who trains the session (for the permission check); null when the session does not exist. */
export async function getSessionTrainer(sessionId: string): Promise<{ trainerId: string | null } | null> {
  return db.session.findUnique({ where: { id: sessionId }, select: { trainerId: true } });
}

export async function getSessionRoster(input: { actor: Actor; sessionId: string }): Promise<SessionRoster | null> {
  const session = await db.session.findUnique({
    where: { id: input.sessionId },
    include: {
      module: { select: { title: true } },
      trainer: { select: { name: true } },
      slots: { select: { startsAt: true, endsAt: true }, orderBy: { startsAt: "asc" } },
      enrolments: {
        include: { user: { select: { name: true, email: true } }, structure: { select: { name: true } } },
      },
    },
  });
  if (!session || !can(input.actor, "session.viewRoster", { sessionTrainerId: session.trainerId })) return null;
  const entries: RosterEntry[] = session.enrolments
    .map((e) => ({
      enrolmentId: e.id,
      name: e.user.name,
      email: e.user.email,
      structureName: e.structure?.name ?? null,
      status: e.status,
      funding: e.funding,
      paymentStatus: e.paymentStatus,
      amountCents: e.amountCents,
      waitlistRank: e.waitlistRank,
    }))
    .sort(
      (a, b) =>
        STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
        (a.waitlistRank ?? 0) - (b.waitlistRank ?? 0) ||
        a.name.localeCompare(b.name, "fr"),
    );
  return {
    sessionId: session.id,
    moduleTitle: session.module.title,
    status: session.status,
    trainerName: session.trainer?.name ?? null,
    slots: session.slots,
    format: session.format,
    venueName: session.venueName,
    address: session.address,
    postcode: session.postcode,
    city: session.city,
    capacity: session.capacity,
    seatsTaken: session.seatsTaken,
    entries,
    groupEmails: entries.filter((e) => GROUP_STATUSES.includes(e.status)).map((e) => e.email),
  };
}
