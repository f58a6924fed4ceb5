import type { Funding } from "~/generated/sqlite/enums";
import { isAdmin, type Role } from "~/modules/auth/permissions.rules";
import { enqueueMail } from "~/modules/mail/outbox.server";
import { formatDateRange, formatSlot } from "~/utils/dates";
import { db, type Tx } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { hasQuote } from "~/modules/training/quote.rules";
import {
  cancellationDecision,
  effectiveFunding,
  enrolmentRefusal,
  holdsSeat,
  isOfferOpen,
  nextWaitlistRank,
  paymentFor,
  waitlistPosition,
  type EnrolmentStatus,
} from "./enrolment.rules";
import { CARD_NEEDS_A_SEAT, canPayNow, cardEnrolmentRefusal, holdDeadline } from "~/modules/payments/payment.rules";
import { settleCancelledPayments } from "~/modules/payments/refunds.server";
import { isStripeConfigured } from "~/modules/payments/stripe.server";
import { creditWhatIsLeft, issueInvoiceForEnrolment } from "~/modules/invoicing/invoicing.server";
import type { FundingChoice, SelfFundingChoice } from "./enrolment.schema";
import { buildCalendar, type CalendarPerson } from "./ics";
import { currentRules, rulesUrl } from "~/modules/internal-rules/internal-rules.server";
import { rulesVersionLabel } from "~/modules/internal-rules/internal-rules.rules";
import { currentIdentity } from "~/modules/organisation/identity.server";
import { offerSeatToNextInLine } from "./waitlist.server";

/**
 * Enrolment: a person takes a seat in a session, or joins its waiting list when it is full.
 *
 * Seats: `Session.seatsTaken` counts the enrolments that hold a seat (CONFIRMED,
 * PENDING_PAYMENT, OFFERED). It only moves through conditional `updateMany` calls inside the
 * transaction that changes the enrolment (`seatsTaken < capacity` to take, `> 0` to give
 * back), so it can never exceed the capacity, whatever the number of people clicking.
 *
 * Every transaction here starts by touching the session row (`lockSession`): on PostgreSQL
 * this row lock puts the enrolments of one session in a queue, so waiting-list ranks are
 * distinct and "already enrolled" is seen rather than hit as a unique violation. SQLite
 * already runs one writer at a time.
 */

export type EnrolPerson = { id: string; email: string; name: string };
type Failure = { ok: false; message: string };
export type EnrolResult =
  | { ok: true; enrolmentId: string; status: "CONFIRMED" }
  | { ok: true; enrolmentId: string; status: "WAITLISTED"; position: number }
  /** A seat held while the learner pays by card (payments/checkout.server.ts `startCheckout`). */
  | { ok: true; enrolmentId: string; status: "PENDING_PAYMENT"; holdExpiresAt: Date }
  | Failure;

const fail = (message: string): Failure => ({ ok: false, message });
export const mySpaceUrl = () => `${getEnv().APP_URL}/mon-espace`;

// ───────────────────────────── Transactions ─────────────────────────────

const RETRIES = 6;
const TX_OPTIONS = { maxWait: 15_000, timeout: 20_000 };

/**
 * Busy and serialisation failures are retried, a few times, after a short random pause.
 * SQLite: a writer that cannot get the lock within busy_timeout gets SQLITE_BUSY, and a
 * transaction that read before writing may get SQLITE_BUSY at once (WAL snapshot). PostgreSQL:
 * P2034 (write conflict or deadlock), P2028 (no connection free to start the transaction
 * in time). The work is all-or-nothing, so running it again is safe.
 */
export function isRetryable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; cause?: unknown } | null;
  if (!e) return false;
  if (e.code === "P2034" || e.code === "P2028" || e.code === "SQLITE_BUSY" || e.code === "40001" || e.code === "40P01") return true;
  const message = typeof e.message === "string" ? e.message : "";
  if (/SQLITE_BUSY|database is locked|could not serialize|deadlock detected/i.test(message)) return true;
  return e.cause !== undefined && e.cause !== error ? isRetryable(e.cause) : false;
}

export async function withTxRetry<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(work, TX_OPTIONS);
    } catch (error) {
      if (attempt >= RETRIES || !isRetryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, attempt * 10 + Math.random() * 40));
    }
  }
}

/** Takes the session row's lock for the rest of the transaction (a no-op write). */
export async function lockSession(tx: Tx, sessionId: string): Promise<void> {
  await tx.session.updateMany({ where: { id: sessionId }, data: { seatsTaken: { increment: 0 } } });
}

const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === "P2002";

// ───────────────────────────── Convocation ─────────────────────────────

const sessionForMail = {
  slots: { orderBy: { startsAt: "asc" as const }, select: { id: true, startsAt: true, endsAt: true } },
  module: { select: { title: true, programme: true } },
  trainer: { select: { name: true } },
};

type SessionForMail = {
  id: string;
  calendarSequence: number;
  format: "IN_PERSON" | "REMOTE";
  venueName: string | null;
  address: string | null;
  postcode: string | null;
  city: string | null;
  accessInfo: string | null;
  remoteUrl: string | null;
  slots: { id: string; startsAt: Date; endsAt: Date }[];
  module: { title: string; programme: string };
  trainer: { name: string } | null;
};

export function sessionDates(slots: { startsAt: Date; endsAt: Date }[]): string {
  const first = slots[0];
  const last = slots.at(-1);
  return first && last ? formatDateRange(first.startsAt, last.endsAt) : "dates à venir";
}

export function placeLines(session: SessionForMail): string[] {
  if (session.format === "REMOTE") return [];
  const town = [session.postcode, session.city].filter(Boolean).join(" ");
  return [session.venueName, session.address, town].filter((v): v is string => !!v);
}

const lines = (text: string) => text.split("\n").map((l) => l.trim()).filter(Boolean);

/** Who sends the convocations: the organisation (its current identity), for ORGANIZER. */
export async function calendarOrganizer(client: Tx | typeof db = db): Promise<CalendarPerson> {
  const identity = await currentIdentity(client);
  return { name: identity.name, email: identity.email };
}

const calendarHost = () => new URL(getEnv().APP_URL).hostname || "maillon";
/** Stable per enrolment and half-day position: a half-day moved keeps its event, which is updated. */
const convocationUid = (enrolmentId: string, position: number) => `${enrolmentId}-${position}@${calendarHost()}`;

export type CalendarAddressee = { enrolmentId: string; learner: CalendarPerson; organizer: CalendarPerson };

/**
 * The convocation's calendar (METHOD:REQUEST): one event per half-day, each with its stable
 * UID and the session's SEQUENCE, which grows when its dates or place change
 * (sessions-admin.server.ts `updateSession`), so the new file replaces the old events.
 */
export function convocationIcs(session: SessionForMail, to: CalendarAddressee, now: Date): string {
  const location = session.format === "REMOTE" ? `À distance : ${session.remoteUrl ?? ""}`.trim() : placeLines(session).join(", ");
  const description = [
    `Formation Maillon : ${session.module.title}`,
    session.trainer ? `Formatrice ou formateur : ${session.trainer.name}` : null,
    session.remoteUrl ? `Lien de connexion : ${session.remoteUrl}` : null,
    session.accessInfo ? `Accès : ${session.accessInfo}` : null,
    "Programme :",
    ...lines(session.module.programme).map((l) => `- ${l}`),
  ]
    .filter((l): l is string => l !== null)
    .join("\n");
  return buildCalendar({
    dtstamp: now,
    method: "REQUEST",
    name: session.module.title,
    organizer: to.organizer,
    attendee: to.learner,
    events: session.slots.map((slot, i) => ({
      uid: convocationUid(to.enrolmentId, i + 1),
      sequence: session.calendarSequence,
      startsAt: slot.startsAt,
      endsAt: slot.endsAt,
      summary: session.slots.length > 1 ? `${session.module.title} (${i + 1}/${session.slots.length})` : session.module.title,
      location,
      description,
      url: session.remoteUrl,
    })),
  });
}

/**
 * METHOD:CANCEL for the half-days a change removed (positions after the new last one), or
 * null when none was: their events would otherwise stay in the trainee's calendar.
 */
export function convocationCancellationIcs(
  session: SessionForMail,
  removed: { startsAt: Date; endsAt: Date }[],
  to: CalendarAddressee,
  now: Date,
): string | null {
  if (removed.length === 0) return null;
  return buildCalendar({
    dtstamp: now,
    method: "CANCEL",
    organizer: to.organizer,
    attendee: to.learner,
    events: removed.map((slot, i) => ({
      uid: convocationUid(to.enrolmentId, session.slots.length + i + 1),
      sequence: session.calendarSequence,
      startsAt: slot.startsAt,
      endsAt: slot.endsAt,
      summary: `Annulé : ${session.module.title}`,
    })),
  });
}

export const CONVOCATION_FILENAME = "convocation.ics";
export const CANCELLATION_FILENAME = "annulation.ics";
export const ICS_CONTENT_TYPE = "text/calendar; charset=utf-8; method=REQUEST";
export const ICS_CANCEL_CONTENT_TYPE = "text/calendar; charset=utf-8; method=CANCEL";

/**
 * The convocation mail with its calendar and the règlement intérieur in force, whose
 * version is recorded on the enrolment (what the trainee received, for an audit).
 */
export async function enqueueConvocation(tx: Tx, input: { session: SessionForMail; learner: EnrolPerson; enrolmentId: string; now: Date }) {
  const { session, learner, enrolmentId, now } = input;
  const organizer = await calendarOrganizer(tx);
  const rules = await currentRules(tx);
  if (rules) await tx.enrolment.update({ where: { id: enrolmentId }, data: { rulesVersionId: rules.id, rulesDeliveredAt: now } });
  const ics = convocationIcs(session, { enrolmentId, learner, organizer }, now);
  await enqueueMail(
    tx,
    {
      template: "convocation",
      to: learner.email,
      data: {
        name: learner.name,
        moduleTitle: session.module.title,
        dates: sessionDates(session.slots),
        slots: session.slots.map(formatSlot),
        place: placeLines(session),
        remoteUrl: session.format === "REMOTE" ? session.remoteUrl : null,
        accessInfo: session.accessInfo,
        programme: lines(session.module.programme),
        trainerName: session.trainer?.name ?? null,
        url: mySpaceUrl(),
        rules: rules ? { label: rulesVersionLabel(rules), url: rulesUrl(rules.number) } : null,
      },
    },
    { attachments: [{ filename: CONVOCATION_FILENAME, contentType: ICS_CONTENT_TYPE, content: Buffer.from(ics, "utf8") }] },
  );
}

export async function loadSessionForMail(tx: Tx, sessionId: string) {
  return tx.session.findUnique({ where: { id: sessionId }, include: sessionForMail });
}

// ───────────────────────────── Enrolling ─────────────────────────────

type EnrolInput = {
  learner: EnrolPerson;
  enrolledById: string;
  sessionId: string;
  funding: SelfFundingChoice;
  /** The employer enrolling them (a referent's structure); otherwise derived. */
  structureId?: string;
  now: Date;
  self: boolean;
};

async function enrolPerson(input: EnrolInput): Promise<EnrolResult> {
  const { learner, enrolledById, sessionId, now, self } = input;
  const already = self ? "Vous êtes déjà inscrit·e à cette session." : `${learner.name} est déjà inscrit·e à cette session.`;
  try {
    return await withTxRetry(async (tx): Promise<EnrolResult> => {
      await lockSession(tx, sessionId);
      const session = await loadSessionForMail(tx, sessionId);
      if (!session) return fail("Cette session n'existe pas.");
      const memberOf = (await tx.membership.findMany({ where: { userId: learner.id }, select: { structureId: true } })).map((m) => m.structureId);
      const refusal = enrolmentRefusal({
        session: { status: session.status, kind: session.kind, structureId: session.structureId, firstSlotStartsAt: session.slots[0]?.startsAt ?? null },
        memberOf,
        now,
      });
      if (refusal) return fail(refusal);
      const existing = await tx.enrolment.findUnique({ where: { sessionId_userId: { sessionId, userId: learner.id } } });
      if (existing && existing.status !== "CANCELLED") {
        if (existing.status === "WAITLISTED") return fail(self ? "Vous êtes déjà sur la liste d'attente de cette session." : `${learner.name} est déjà sur la liste d'attente.`);
        return fail(already);
      }
      const funding: Funding = effectiveFunding(session.isFree, input.funding);
      const structureId =
        input.structureId ?? (session.kind === "INTRA" ? session.structureId : memberOf.length === 1 ? (memberOf[0] ?? null) : null);
      const reset = { structureId, enrolledById, funding, cancelReason: null, cancelledAt: null, offerExpiresAt: null, holdExpiresAt: null };
      const card = funding === "CARD";
      if (card) {
        const refusal = cardEnrolmentRefusal({
          stripeConfigured: isStripeConfigured(),
          isFree: session.isFree,
          priceCents: session.priceCents,
          seatLeft: session.seatsTaken < session.capacity,
        });
        if (refusal) return fail(refusal);
      }

      // Capacity is read in this transaction and compared in the update's WHERE: Prisma
      // cannot compare two columns there. Staff change a capacity rarely, never in the same
      // second as an enrolment, and the seat count itself is the part that races.
      const seat = await tx.session.updateMany({
        where: { id: sessionId, status: "SCHEDULED", seatsTaken: { lt: session.capacity } },
        data: { seatsTaken: { increment: 1 } },
      });
      if (seat.count === 1 && card) {
        // The seat is held, not confirmed: the convocation goes once Stripe confirms the payment.
        const holdExpiresAt = holdDeadline(now);
        const data = {
          ...reset,
          status: "PENDING_PAYMENT" as const,
          paymentStatus: "PENDING" as const,
          amountCents: session.priceCents,
          holdExpiresAt,
          waitlistRank: null,
          confirmedAt: null,
          stripeCheckoutSessionId: null,
          stripePaymentIntentId: null,
        };
        const enrolment = existing
          ? await tx.enrolment.update({ where: { id: existing.id }, data })
          : await tx.enrolment.create({ data: { ...data, sessionId, userId: learner.id, createdAt: now } });
        await tx.auditLog.create({
          data: { actorId: enrolledById, action: "enrolment.payment_pending", entityType: "Enrolment", entityId: enrolment.id, data: { sessionId, userId: learner.id, funding, holdExpiresAt: holdExpiresAt.toISOString() }, createdAt: now },
        });
        return { ok: true, enrolmentId: enrolment.id, status: "PENDING_PAYMENT", holdExpiresAt };
      }
      if (card) return fail(CARD_NEEDS_A_SEAT);
      if (seat.count === 1) {
        const data = { ...reset, status: "CONFIRMED" as const, ...paymentFor(funding, session.priceCents), waitlistRank: null, confirmedAt: now };
        const enrolment = existing
          ? await tx.enrolment.update({ where: { id: existing.id }, data })
          : await tx.enrolment.create({ data: { ...data, sessionId, userId: learner.id, createdAt: now } });
        await enqueueConvocation(tx, { session, learner, enrolmentId: enrolment.id, now });
        // Payable now (structure, OPCO): the invoice is issued with the confirmation.
        await issueInvoiceForEnrolment(tx, enrolment.id, { now });
        await tx.auditLog.create({
          data: { actorId: enrolledById, action: "enrolment.confirmed", entityType: "Enrolment", entityId: enrolment.id, data: { sessionId, userId: learner.id, funding }, createdAt: now },
        });
        return { ok: true, enrolmentId: enrolment.id, status: "CONFIRMED" };
      }

      const { _max } = await tx.enrolment.aggregate({ where: { sessionId }, _max: { waitlistRank: true } });
      const waitlistRank = nextWaitlistRank(_max.waitlistRank);
      const data = { ...reset, status: "WAITLISTED" as const, paymentStatus: "NOT_REQUIRED" as const, amountCents: 0, waitlistRank, confirmedAt: null };
      const enrolment = existing
        ? await tx.enrolment.update({ where: { id: existing.id }, data })
        : await tx.enrolment.create({ data: { ...data, sessionId, userId: learner.id, createdAt: now } });
      const position = 1 + (await tx.enrolment.count({ where: { sessionId, status: "WAITLISTED", waitlistRank: { lt: waitlistRank } } }));
      await enqueueMail(tx, {
        template: "waitlist-joined",
        to: learner.email,
        data: { name: learner.name, moduleTitle: session.module.title, dates: sessionDates(session.slots), position, url: mySpaceUrl() },
      });
      await tx.auditLog.create({
        data: { actorId: enrolledById, action: "enrolment.waitlisted", entityType: "Enrolment", entityId: enrolment.id, data: { sessionId, userId: learner.id, waitlistRank }, createdAt: now },
      });
      return { ok: true, enrolmentId: enrolment.id, status: "WAITLISTED", position };
    });
  } catch (error) {
    // Two requests of the same person at the same instant: the second one hits the unique index.
    if (isUniqueViolation(error)) return fail(already);
    throw error;
  }
}

/** A logged-in person enrols themself; when the session is full, they join its waiting list. */
export function enrolSelf(input: { user: EnrolPerson; sessionId: string; funding: SelfFundingChoice; now?: Date }): Promise<EnrolResult> {
  const { user, sessionId, funding, now = new Date() } = input;
  return enrolPerson({ learner: user, enrolledById: user.id, sessionId, funding, now, self: true });
}

export type ColleagueResult = { userId: string; name: string; result: EnrolResult };

/**
 * A structure's referent enrols several of its members: one enrolment, one convocation per
 * person, each in its own transaction (a person already enrolled does not block the others).
 */
export async function enrolColleagues(input: {
  referent: { id: string };
  structureId: string;
  sessionId: string;
  userIds: string[];
  funding: FundingChoice;
  now?: Date;
}): Promise<{ ok: true; results: ColleagueResult[] } | Failure> {
  const { referent, structureId, sessionId, funding, now = new Date() } = input;
  const userIds = [...new Set(input.userIds)];
  const referentRow = await db.membership.findUnique({ where: { userId_structureId: { userId: referent.id, structureId } }, select: { role: true } });
  if (referentRow?.role !== "REFERENT") return fail("Seul·e un·e référent·e de la structure peut inscrire ses collègues.");
  const members = await db.membership.findMany({
    where: { structureId, userId: { in: userIds } },
    include: { user: { select: { id: true, email: true, name: true } } },
  });
  if (members.length !== userIds.length) return fail("Vous ne pouvez inscrire que des membres de votre structure.");
  const results: ColleagueResult[] = [];
  for (const m of members.sort((a, b) => a.user.name.localeCompare(b.user.name, "fr"))) {
    const result = await enrolPerson({ learner: m.user, enrolledById: referent.id, sessionId, funding, structureId, now, self: m.user.id === referent.id });
    results.push({ userId: m.user.id, name: m.user.name, result });
  }
  return { ok: true, results };
}

/** The referent's colleagues, with their current state in this session. */
export async function listColleaguesForSession(input: { referentId: string; structureId: string; sessionId: string }) {
  const { referentId, structureId, sessionId } = input;
  const referentRow = await db.membership.findUnique({ where: { userId_structureId: { userId: referentId, structureId } }, select: { role: true } });
  if (referentRow?.role !== "REFERENT") return null;
  const members = await db.membership.findMany({
    where: { structureId },
    include: { user: { select: { id: true, name: true, email: true, enrolments: { where: { sessionId }, select: { status: true } } } } },
  });
  return members
    .map((m) => ({ userId: m.user.id, name: m.user.name, email: m.user.email, status: (m.user.enrolments[0]?.status ?? null) as EnrolmentStatus | null }))
    .sort((a, b) => a.name.localeCompare(b.name, "fr"));
}

export async function getSessionSummary(sessionId: string) {
  const session = await db.session.findUnique({
    where: { id: sessionId },
    include: { module: { select: { title: true } }, slots: { orderBy: { startsAt: "asc" }, select: { startsAt: true, endsAt: true } } },
  });
  if (!session) return null;
  return {
    id: session.id,
    title: session.module.title,
    dates: sessionDates(session.slots),
    isFree: session.isFree,
    kind: session.kind,
    structureId: session.structureId,
    seatsLeft: Math.max(0, session.capacity - session.seatsTaken),
  };
}

// ───────────────────────────── Cancelling ─────────────────────────────

export type Canceller = { id: string; roles: readonly Role[] };

/**
 * The learner cancels (until 7 days before), or staff cancel (any time, with a reason).
 * A seat given back goes at once to the head of the waiting list, in the same transaction.
 */
export async function cancelEnrolment(input: { actor: Canceller; enrolmentId: string; reason?: string; now?: Date }): Promise<{ ok: true } | Failure> {
  const { actor, enrolmentId, now = new Date() } = input;
  const reason = (input.reason ?? "").trim();
  const staff = isAdmin({ id: actor.id, roles: actor.roles, memberships: [] });
  const result = await withTxRetry(async (tx): Promise<{ ok: true } | Failure> => {
    const found = await tx.enrolment.findUnique({ where: { id: enrolmentId }, select: { sessionId: true } });
    if (!found) return fail("Cette inscription n'existe pas.");
    await lockSession(tx, found.sessionId);
    const enrolment = await tx.enrolment.findUniqueOrThrow({
      where: { id: enrolmentId },
      include: { user: { select: { id: true, email: true, name: true } }, session: { include: sessionForMail } },
    });
    if (enrolment.userId !== actor.id && !staff) return fail("Cette inscription n'existe pas.");
    const decision = cancellationDecision({
      actor: { id: actor.id, isAdmin: staff },
      enrolment: { userId: enrolment.userId, status: enrolment.status },
      firstSlotStartsAt: enrolment.session.slots[0]?.startsAt ?? null,
      reason,
      now,
    });
    if (!decision.ok) return decision;
    const byStaff = enrolment.userId !== actor.id;
    const { count } = await tx.enrolment.updateMany({
      where: { id: enrolmentId, status: enrolment.status },
      data: {
        status: "CANCELLED",
        cancelReason: reason || null,
        cancelledAt: now,
        offerExpiresAt: null,
        holdExpiresAt: null,
        // Nothing is owed for a seat given back before payment.
        ...(enrolment.paymentStatus === "PENDING" ? { paymentStatus: "NOT_REQUIRED" as const } : {}),
      },
    });
    if (count !== 1) return fail("Cette inscription vient de changer : rechargez la page.");
    // Cancelled after its invoice: a credit note for what the invoice still carries.
    await creditWhatIsLeft(tx, enrolmentId, reason ? `annulation de l'inscription : ${reason}` : "annulation de l'inscription", now);
    if (holdsSeat(enrolment.status)) {
      await tx.session.updateMany({ where: { id: enrolment.sessionId, seatsTaken: { gt: 0 } }, data: { seatsTaken: { decrement: 1 } } });
      await offerSeatToNextInLine(tx, enrolment.sessionId, now);
    }
    await enqueueMail(tx, {
      template: "enrolment-cancelled",
      to: enrolment.user.email,
      data: {
        name: enrolment.user.name,
        moduleTitle: enrolment.session.module.title,
        dates: sessionDates(enrolment.session.slots),
        reason: reason || null,
        byStaff,
        url: mySpaceUrl(),
      },
    });
    await tx.auditLog.create({
      data: {
        actorId: actor.id,
        action: "enrolment.cancelled",
        entityType: "Enrolment",
        entityId: enrolmentId,
        reason: reason || null,
        data: { sessionId: enrolment.sessionId, previousStatus: enrolment.status, byStaff },
        createdAt: now,
      },
    });
    return { ok: true as const };
  });
  // After the commit: a card payment is refunded, a Checkout Session still open is closed.
  if (result.ok) await settleCancelledPayments([enrolmentId], now);
  return result;
}

// ───────────────────────────── The learner's space ─────────────────────────────

export type MyEnrolment = {
  id: string;
  sessionId: string;
  moduleTitle: string;
  dates: string;
  status: EnrolmentStatus;
  position: number | null;
  offerExpiresAt: Date | null;
  offerOpen: boolean;
  /** Until when a seat is held for a card payment, and whether the learner can (re)start paying now. */
  holdExpiresAt: Date | null;
  canPay: boolean;
  canCancel: boolean;
  hasConvocation: boolean;
  /** Funded by the structure or an OPCO and not cancelled: its quote can be downloaded. */
  hasQuote: boolean;
  /** Paid by the learner under a contrat de formation (contracts/contract.server.ts). */
  hasContract: boolean;
  past: boolean;
};

export async function listMyEnrolments(userId: string, now = new Date()): Promise<MyEnrolment[]> {
  const rows = await db.enrolment.findMany({
    where: { userId },
    include: {
      session: {
        select: {
          id: true,
          status: true,
          module: { select: { title: true } },
          slots: { orderBy: { startsAt: "asc" }, select: { startsAt: true, endsAt: true } },
          enrolments: { where: { status: "WAITLISTED" }, select: { waitlistRank: true } },
        },
      },
      contract: { select: { id: true } },
    },
  });
  return rows
    .map((e) => {
      const first = e.session.slots[0]?.startsAt ?? null;
      const last = e.session.slots.at(-1)?.endsAt ?? null;
      const ranks = e.session.enrolments.map((w) => w.waitlistRank).filter((r): r is number => r !== null);
      const decision = cancellationDecision({ actor: { id: userId, isAdmin: false }, enrolment: { userId, status: e.status }, firstSlotStartsAt: first, reason: "", now });
      return {
        id: e.id,
        sessionId: e.sessionId,
        moduleTitle: e.session.module.title,
        dates: sessionDates(e.session.slots),
        status: e.status,
        position: e.status === "WAITLISTED" && e.waitlistRank !== null ? waitlistPosition(e.waitlistRank, ranks) : null,
        offerExpiresAt: e.offerExpiresAt,
        offerOpen: e.status === "OFFERED" && isOfferOpen(e.offerExpiresAt, now),
        holdExpiresAt: e.status === "PENDING_PAYMENT" ? e.holdExpiresAt : null,
        canPay: !e.contract && canPayNow(e, now),
        canCancel: decision.ok && e.session.status === "SCHEDULED" && e.status !== "WAITLISTED",
        // A card enrolment gets its convocation once paid.
        hasConvocation: e.status === "CONFIRMED",
        hasQuote: hasQuote(e),
        hasContract: !!e.contract,
        past: !!last && last.getTime() < now.getTime(),
        sortKey: first?.getTime() ?? Number.MAX_SAFE_INTEGER,
      };
    })
    .sort((a, b) => a.sortKey - b.sortKey)
    .map(({ sortKey: _sortKey, ...rest }) => rest);
}

/** The convocation's .ics again, for its owner, while the seat is theirs. */
export async function getConvocationIcs(input: { userId: string; enrolmentId: string; now?: Date }): Promise<string | null> {
  const { userId, enrolmentId, now = new Date() } = input;
  const enrolment = await db.enrolment.findFirst({
    where: { id: enrolmentId, userId, status: "CONFIRMED" },
    include: { session: { include: sessionForMail }, user: { select: { name: true, email: true } } },
  });
  if (!enrolment) return null;
  return convocationIcs(enrolment.session, { enrolmentId: enrolment.id, learner: enrolment.user, organizer: await calendarOrganizer() }, now);
}
