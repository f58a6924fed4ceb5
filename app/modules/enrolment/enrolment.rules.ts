/**
 * Enrolment and waiting-list rules: pure functions over plain data, tested as tables
 * (enrolment.rules.test.ts). The server module applies them inside its transactions.
 */
import { formatLongDate, formatTime } from "~/utils/dates";

export type EnrolmentStatus = "PENDING_PAYMENT" | "CONFIRMED" | "WAITLISTED" | "OFFERED" | "CANCELLED";
export type Funding = "CARD" | "STRUCTURE" | "OPCO" | "FREE";
export type PaymentStatus = "NOT_REQUIRED" | "PENDING" | "PAID" | "REFUNDED";

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

/** A learner cancels alone until this many days before the first half-day. */
export const LEARNER_CANCEL_DAYS = 7;
/** How long a freed seat is kept for the head of the waiting list. */
export const OFFER_HOURS = 48;

/** The statuses that hold one of the session's seats (counted in `Session.seatsTaken`). */
export const SEAT_HOLDING_STATUSES = ["CONFIRMED", "PENDING_PAYMENT", "OFFERED"] as const satisfies readonly EnrolmentStatus[];
export const holdsSeat = (status: EnrolmentStatus): boolean => (SEAT_HOLDING_STATUSES as readonly string[]).includes(status);

export type SessionForEnrolment = {
  status: "SCHEDULED" | "CANCELLED" | "CLOSED";
  kind: "INTER" | "INTRA";
  structureId: string | null;
  /** null for a session without any slot yet. */
  firstSlotStartsAt: Date | null;
};

/** Why a person may not enrol (nor join the waiting list), in French; null when they may. */
export function enrolmentRefusal(input: { session: SessionForEnrolment; memberOf: readonly string[]; now: Date }): string | null {
  const { session, memberOf, now } = input;
  if (session.status === "CANCELLED") return "Cette session a été annulée : il n'est plus possible de s'y inscrire.";
  if (session.status === "CLOSED") return "Cette session est terminée : il n'est plus possible de s'y inscrire.";
  if (!session.firstSlotStartsAt) return "Les dates de cette session ne sont pas encore fixées : revenez plus tard.";
  if (session.firstSlotStartsAt.getTime() <= now.getTime()) return "Cette session a déjà commencé : il n'est plus possible de s'y inscrire.";
  if (session.kind === "INTRA" && !(session.structureId && memberOf.includes(session.structureId))) {
    return "Cette session est réservée aux salarié·es de la structure qui l'organise.";
  }
  return null;
}

/** A free session is free for everyone, whatever the form sent. */
export const effectiveFunding = (isFree: boolean, requested: Funding): Funding => (isFree ? "FREE" : requested);

/** What a confirmed seat costs and whether payment is awaited. */
export function paymentFor(funding: Funding, priceCents: number): { paymentStatus: PaymentStatus; amountCents: number } {
  if (funding === "FREE") return { paymentStatus: "NOT_REQUIRED", amountCents: 0 };
  return { paymentStatus: "PENDING", amountCents: priceCents };
}

/** The last moment a learner may cancel by themself. */
export const learnerCancelDeadline = (firstSlotStartsAt: Date): Date => new Date(firstSlotStartsAt.getTime() - LEARNER_CANCEL_DAYS * DAY_MS);

export type CancelDecision = { ok: true } | { ok: false; message: string };

/**
 * The learner may leave the waiting list or decline an offer at any time; a held seat
 * only until the deadline, after which the association handles it (the group is set).
 * Staff may cancel at any time, with a reason.
 */
export function cancellationDecision(input: {
  actor: { id: string; isAdmin: boolean };
  enrolment: { userId: string; status: EnrolmentStatus };
  firstSlotStartsAt: Date | null;
  reason: string;
  now: Date;
}): CancelDecision {
  const { actor, enrolment, firstSlotStartsAt, reason, now } = input;
  if (enrolment.status === "CANCELLED") return { ok: false, message: "Cette inscription est déjà annulée." };
  if (actor.isAdmin && enrolment.userId !== actor.id) {
    return reason.trim() ? { ok: true } : { ok: false, message: "Indiquez le motif de l'annulation." };
  }
  if (enrolment.userId !== actor.id) return { ok: false, message: "Vous ne pouvez annuler que vos propres inscriptions." };
  if (enrolment.status === "WAITLISTED" || enrolment.status === "OFFERED") return { ok: true };
  if (actor.isAdmin) return { ok: true };
  if (firstSlotStartsAt && now.getTime() > learnerCancelDeadline(firstSlotStartsAt).getTime()) {
    return {
      ok: false,
      message: `L'annulation en ligne est possible jusqu'à ${LEARNER_CANCEL_DAYS} jours avant la session. Contactez l'association pour annuler votre inscription.`,
    };
  }
  return { ok: true };
}

/** An offer lasts 48 h, but never past the start of the session. */
export function offerDeadline(now: Date, firstSlotStartsAt: Date | null): Date {
  const deadline = now.getTime() + OFFER_HOURS * HOUR_MS;
  return new Date(firstSlotStartsAt ? Math.min(deadline, firstSlotStartsAt.getTime()) : deadline);
}

export const isOfferOpen = (offerExpiresAt: Date | null, now: Date): boolean => !!offerExpiresAt && offerExpiresAt.getTime() > now.getTime();

/** The next rank at the end of the waiting list (ranks only grow; gaps are fine). */
export const nextWaitlistRank = (maxRank: number | null): number => (maxRank ?? 0) + 1;

/** The person's place in the queue: 1 for the head. */
export const waitlistPosition = (rank: number, otherWaitingRanks: readonly number[]): number => 1 + otherWaitingRanks.filter((r) => r < rank).length;

/** "lundi 2 mars 2026 à 14:05" (Paris). */
export const formatDateTime = (date: Date): string => `${formatLongDate(date)} à ${formatTime(date)}`;

/** The status as the learner reads it. */
export function enrolmentStatusLabel(input: { status: EnrolmentStatus; position?: number | null; offerExpiresAt?: Date | null }): string {
  switch (input.status) {
    case "CONFIRMED":
      return "Confirmée";
    case "PENDING_PAYMENT":
      return "En attente de paiement";
    case "WAITLISTED":
      return input.position ? `Sur liste d'attente (rang ${input.position})` : "Sur liste d'attente";
    case "OFFERED":
      return input.offerExpiresAt ? `Place proposée — à confirmer avant le ${formatDateTime(input.offerExpiresAt)}` : "Place proposée";
    case "CANCELLED":
      return "Annulée";
  }
}

export const FUNDING_LABELS: Record<Funding, string> = {
  CARD: "Carte bancaire",
  STRUCTURE: "Prise en charge par la structure",
  OPCO: "Prise en charge par un OPCO",
  FREE: "Gratuit",
};
