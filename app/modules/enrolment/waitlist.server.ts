import { enqueueMail } from "~/modules/mail/outbox.server";
import { db, type Tx } from "~/utils/db.server";
import { issueInvoiceForEnrolment } from "~/modules/invoicing/invoicing.server";
import { enqueueConvocation, loadSessionForMail, lockSession, mySpaceUrl, sessionDates, withTxRetry } from "./enrolment.server";
import { formatDateTime, offerDeadline, paymentFor } from "./enrolment.rules";

/**
 * The waiting list. When a seat frees up it is offered to the head of the list, who has
 * 48 hours to confirm; an offer that lapses goes back to CANCELLED and the seat moves on.
 * An OFFERED enrolment holds its seat (counted in `seatsTaken`) while the offer stands.
 */

type Failure = { ok: false; message: string };
const fail = (message: string): Failure => ({ ok: false, message });

/**
 * Offers free seats to the waiting list, head first, as long as a seat can be taken (the
 * conditional increment) and someone waits. Call it inside the transaction that freed a
 * seat, after `lockSession`. Returns the enrolments offered a seat.
 */
export async function offerSeatToNextInLine(tx: Tx, sessionId: string, now: Date): Promise<string[]> {
  const session = await loadSessionForMail(tx, sessionId);
  if (!session || session.status !== "SCHEDULED") return [];
  const firstSlotStartsAt = session.slots[0]?.startsAt ?? null;
  if (firstSlotStartsAt && firstSlotStartsAt.getTime() <= now.getTime()) return [];
  const deadline = offerDeadline(now, firstSlotStartsAt);
  const offered: string[] = [];
  for (;;) {
    const next = await tx.enrolment.findFirst({
      where: { sessionId, status: "WAITLISTED" },
      orderBy: [{ waitlistRank: "asc" }, { createdAt: "asc" }],
      include: { user: { select: { email: true, name: true } } },
    });
    if (!next) break;
    const seat = await tx.session.updateMany({
      where: { id: sessionId, status: "SCHEDULED", seatsTaken: { lt: session.capacity } },
      data: { seatsTaken: { increment: 1 } },
    });
    if (seat.count !== 1) break;
    const { count } = await tx.enrolment.updateMany({ where: { id: next.id, status: "WAITLISTED" }, data: { status: "OFFERED", offerExpiresAt: deadline } });
    // The session lock makes this impossible; if it ever happens, roll everything back.
    if (count !== 1) throw new Error(`Enrolment ${next.id} left the waiting list while its session was locked`);
    await enqueueMail(tx, {
      template: "waitlist-offer",
      to: next.user.email,
      data: { name: next.user.name, moduleTitle: session.module.title, dates: sessionDates(session.slots), deadline: formatDateTime(deadline), url: mySpaceUrl() },
    });
    await tx.auditLog.create({
      data: { actorId: null, action: "enrolment.offered", entityType: "Enrolment", entityId: next.id, data: { sessionId, offerExpiresAt: deadline.toISOString() }, createdAt: now },
    });
    offered.push(next.id);
  }
  return offered;
}

/** The person accepts the seat offered to them, before the deadline. */
export async function confirmOffer(input: { user: { id: string }; enrolmentId: string; now?: Date }): Promise<{ ok: true } | Failure> {
  const { user, enrolmentId, now = new Date() } = input;
  return withTxRetry(async (tx) => {
    const found = await tx.enrolment.findFirst({ where: { id: enrolmentId, userId: user.id }, select: { sessionId: true } });
    if (!found) return fail("Cette inscription n'existe pas.");
    await lockSession(tx, found.sessionId);
    const enrolment = await tx.enrolment.findUniqueOrThrow({ where: { id: enrolmentId }, include: { user: { select: { id: true, email: true, name: true } } } });
    const session = await loadSessionForMail(tx, enrolment.sessionId);
    if (!session) return fail("Cette session n'existe pas.");
    const { count } = await tx.enrolment.updateMany({
      where: { id: enrolmentId, userId: user.id, status: "OFFERED", offerExpiresAt: { gt: now } },
      data: { status: "CONFIRMED", confirmedAt: now, offerExpiresAt: null, ...paymentFor(enrolment.funding, session.priceCents) },
    });
    if (count !== 1) {
      if (enrolment.status === "CONFIRMED") return fail("Votre place est déjà confirmée.");
      if (enrolment.status === "OFFERED") return fail("Le délai pour confirmer cette place est dépassé : elle a été proposée à la personne suivante.");
      return fail("Aucune place ne vous est proposée pour cette session.");
    }
    await enqueueConvocation(tx, { session, learner: enrolment.user, enrolmentId, now });
    await issueInvoiceForEnrolment(tx, enrolmentId, { now });
    await tx.auditLog.create({
      data: { actorId: user.id, action: "enrolment.offer_confirmed", entityType: "Enrolment", entityId: enrolmentId, data: { sessionId: session.id }, createdAt: now },
    });
    return { ok: true as const };
  });
}

/** The person leaves the waiting list (no seat was held, so none is given back). */
export async function leaveWaitlist(input: { user: { id: string }; enrolmentId: string; now?: Date }): Promise<{ ok: true } | Failure> {
  const { user, enrolmentId, now = new Date() } = input;
  return withTxRetry(async (tx) => {
    const { count } = await tx.enrolment.updateMany({
      where: { id: enrolmentId, userId: user.id, status: "WAITLISTED" },
      data: { status: "CANCELLED", cancelReason: "retrait de la liste d'attente", cancelledAt: now },
    });
    if (count !== 1) return fail("Vous n'êtes pas sur la liste d'attente de cette session.");
    await tx.auditLog.create({
      data: { actorId: user.id, action: "enrolment.left_waitlist", entityType: "Enrolment", entityId: enrolmentId, createdAt: now },
    });
    return { ok: true as const };
  });
}

export const OFFER_EXPIRED_REASON = "offre expirée";

/** Lapsed offers go back to CANCELLED and their seat to the next person. Returns how many lapsed. */
export async function expireOffers(now = new Date()): Promise<number> {
  const due = await db.enrolment.findMany({ where: { status: "OFFERED", offerExpiresAt: { lte: now } }, select: { id: true, sessionId: true } });
  let expired = 0;
  for (const { id, sessionId } of due) {
    const done = await withTxRetry(async (tx) => {
      await lockSession(tx, sessionId);
      const { count } = await tx.enrolment.updateMany({
        where: { id, status: "OFFERED", offerExpiresAt: { lte: now } },
        data: { status: "CANCELLED", cancelReason: OFFER_EXPIRED_REASON, cancelledAt: now, offerExpiresAt: null },
      });
      if (count !== 1) return false;
      await tx.session.updateMany({ where: { id: sessionId, seatsTaken: { gt: 0 } }, data: { seatsTaken: { decrement: 1 } } });
      const enrolment = await tx.enrolment.findUniqueOrThrow({ where: { id }, include: { user: { select: { email: true, name: true } } } });
      const session = await loadSessionForMail(tx, sessionId);
      await tx.auditLog.create({
        data: { actorId: null, action: "enrolment.offer_expired", entityType: "Enrolment", entityId: id, reason: OFFER_EXPIRED_REASON, data: { sessionId }, createdAt: now },
      });
      if (session) {
        await enqueueMail(tx, {
          template: "enrolment-cancelled",
          to: enrolment.user.email,
          data: {
            name: enrolment.user.name,
            moduleTitle: session.module.title,
            dates: sessionDates(session.slots),
            reason: "la place proposée n'a pas été confirmée dans le délai",
            byStaff: false,
            url: mySpaceUrl(),
          },
        });
      }
      await offerSeatToNextInLine(tx, sessionId, now);
      return true;
    });
    if (done) expired++;
  }
  return expired;
}

