import type { EnrolmentStatus, SessionStatus } from "~/generated/sqlite/enums";
import { can, type Actor } from "~/modules/auth/permissions.rules";
import {
  CANCELLATION_FILENAME,
  CONVOCATION_FILENAME,
  ICS_CANCEL_CONTENT_TYPE,
  ICS_CONTENT_TYPE,
  calendarOrganizer,
  convocationCancellationIcs,
  convocationIcs,
  loadSessionForMail,
} from "~/modules/enrolment/enrolment.server";
import { enqueueMail } from "~/modules/mail/outbox.server";
import { settleCancelledPayments } from "~/modules/payments/refunds.server";
import { creditWhatIsLeft, markInvoicePaid } from "~/modules/invoicing/invoicing.server";
import { formatDateRange, formatSlot } from "~/utils/dates";
import { db, type Tx } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import type { FieldErrors } from "~/utils/forms.server";
import type { SessionFilters, SessionInput, SlotRow } from "./sessions.schema";
import { capacityError, placeLine, sameSlot, slotErrors, sortSlots, trainerConflicts, type SlotTimes } from "./sessions.rules";

/**
 * The staff's side of sessions: create, edit, cancel, mark a payment as received, list.
 * Every function checks the permission itself, writes its audit rows and mails in the same
 * transaction as the change, and returns expected failures as French messages keyed by
 * form field.
 */
export type StaffActor = NonNullable<Actor>;
type Failure = { ok: false; errors: FieldErrors };
const FORBIDDEN: Failure = { ok: false, errors: { form: "Seule l'équipe de l'association peut gérer les sessions." } };

/** Who is told when a session changes or is cancelled. */
const SEAT_HOLDERS: EnrolmentStatus[] = ["CONFIRMED", "OFFERED", "PENDING_PAYMENT"];
const CANCELLABLE: EnrolmentStatus[] = ["CONFIRMED", "OFFERED", "PENDING_PAYMENT", "WAITLISTED"];

/** Thrown inside a transaction to roll it back and answer with these field errors. */
class Refused extends Error {
  constructor(readonly errors: FieldErrors) {
    super("refused");
  }
}

async function refusalsAsValues<T>(work: () => Promise<T>): Promise<T | Failure> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof Refused) return { ok: false, errors: e.errors };
    throw e;
  }
}

// ───────────────────────── Form options ─────────────────────────

export async function getSessionFormOptions() {
  const [modules, structures, trainers] = await Promise.all([
    db.module.findMany({ select: { id: true, number: true, title: true, priceCents: true }, orderBy: { number: "asc" } }),
    db.structure.findMany({ select: { id: true, name: true, city: true }, orderBy: { name: "asc" } }),
    db.user.findMany({ where: { roles: { some: { role: "TRAINER" } }, deactivatedAt: null }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
  ]);
  return { modules, structures, trainers };
}
export type SessionFormOptions = Awaited<ReturnType<typeof getSessionFormOptions>>;

// ───────────────────────── Checks needing the database ─────────────────────────

const slotErrorField = (slot: SlotRow) => `slot${slot.row}`;

/**
 * References exist, slots are half-days in the future (kept slots aside), and the trainer
 * is free. Touching the trainer's row first serialises concurrent bookings of the same
 * trainer (PostgreSQL locks the row until commit; SQLite has one writer anyway), so two
 * staff members cannot book them on overlapping slots at the same second.
 */
async function checkAgainstDatabase(
  tx: Tx,
  input: SessionInput,
  context: { now: Date; sessionId?: string; existingSlots?: SlotTimes[] },
): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  const module = await tx.module.findUnique({ where: { id: input.moduleId }, select: { id: true } });
  if (!module) errors.moduleId = "Ce module n'existe pas.";
  if (input.structureId && !(await tx.structure.findUnique({ where: { id: input.structureId }, select: { id: true } }))) {
    errors.structureId = "Cette structure n'existe pas.";
  }
  const slots = sortSlots(input.slots);
  for (const [i, message] of slotErrors(slots, { now: context.now, existing: context.existingSlots })) errors[slotErrorField(slots[i]!)] ??= message;

  if (input.trainerId) {
    const trainer = await tx.user.updateMany({
      where: { id: input.trainerId, roles: { some: { role: "TRAINER" } }, deactivatedAt: null },
      data: { updatedAt: context.now },
    });
    if (trainer.count !== 1) {
      errors.trainerId = "Choisissez une formatrice ou un formateur de la liste.";
    } else if (slots.length > 0) {
      const first = slots[0]!.startsAt;
      const last = slots.reduce((max, s) => (s.endsAt > max ? s.endsAt : max), slots[0]!.endsAt);
      const booked = await tx.slot.findMany({
        where: {
          startsAt: { lt: last },
          endsAt: { gt: first },
          session: { trainerId: input.trainerId, status: "SCHEDULED", ...(context.sessionId ? { id: { not: context.sessionId } } : {}) },
        },
        select: { startsAt: true, endsAt: true },
      });
      for (const i of trainerConflicts(slots, booked)) {
        errors[slotErrorField(slots[i]!)] ??= "La formatrice ou le formateur anime déjà une autre session sur ce créneau.";
      }
    }
  }
  return errors;
}

const sessionData = (input: SessionInput) => ({
  moduleId: input.moduleId,
  kind: input.kind,
  structureId: input.structureId,
  format: input.format,
  venueName: input.venueName,
  address: input.address,
  postcode: input.postcode,
  city: input.city,
  accessInfo: input.accessInfo,
  remoteUrl: input.remoteUrl,
  capacity: input.capacity,
  trainerId: input.trainerId,
  priceCents: input.priceCents,
  isFree: input.isFree,
});

// ───────────────────────── Create ─────────────────────────

export async function createSession(input: {
  actor: StaffActor;
  data: SessionInput;
  now?: Date;
}): Promise<{ ok: true; sessionId: string } | Failure> {
  const { actor, data, now = new Date() } = input;
  if (!can(actor, "admin.access")) return FORBIDDEN;
  return refusalsAsValues(() =>
    db.$transaction(async (tx) => {
      const errors = await checkAgainstDatabase(tx, data, { now });
      if (Object.keys(errors).length > 0) throw new Refused(errors);
      const session = await tx.session.create({
        data: {
          ...sessionData(data),
          slots: { create: sortSlots(data.slots).map(({ startsAt, endsAt }) => ({ startsAt, endsAt })) },
        },
        select: { id: true },
      });
      await tx.auditLog.create({
        data: {
          actorId: actor.id,
          action: "session.created",
          entityType: "Session",
          entityId: session.id,
          data: { ...sessionData(data), slots: data.slots.length },
          createdAt: now,
        },
      });
      return { ok: true as const, sessionId: session.id };
    }),
  );
}

// ───────────────────────── Edit ─────────────────────────

const PLACE_FIELDS = ["format", "venueName", "address", "postcode", "city", "remoteUrl", "accessInfo"] as const;
const OTHER_FIELDS = ["moduleId", "kind", "structureId", "capacity", "trainerId", "priceCents", "isFree"] as const;


/**
 * Saves the form over the session. Slots kept as they were stay (with their signatures);
 * removed ones go unless someone already signed them; new ones are added. When the dates or
 * the place change, everyone holding a seat is told by mail.
 */
export async function updateSession(input: {
  actor: StaffActor;
  sessionId: string;
  data: SessionInput;
  now?: Date;
}): Promise<{ ok: true; sessionId: string; notified: number } | Failure> {
  const { actor, sessionId, data, now = new Date() } = input;
  if (!can(actor, "admin.access")) return FORBIDDEN;
  return refusalsAsValues(() =>
    db.$transaction(async (tx) => {
      const before = await tx.session.findUnique({
        where: { id: sessionId },
        include: { slots: { select: { id: true, startsAt: true, endsAt: true } }, module: { select: { title: true } } },
      });
      if (!before) throw new Refused({ form: "Cette session n'existe pas." });
      if (before.status !== "SCHEDULED") throw new Refused({ form: "Une session annulée ou clôturée ne peut plus être modifiée." });

      const errors = await checkAgainstDatabase(tx, data, { now, sessionId, existingSlots: before.slots });
      if (Object.keys(errors).length > 0) throw new Refused(errors);

      // The condition on seatsTaken makes a capacity below the seats held impossible, even
      // when someone enrols between the page load and this save.
      const updated = await tx.session.updateMany({
        where: { id: sessionId, status: "SCHEDULED", seatsTaken: { lte: data.capacity } },
        data: sessionData(data),
      });
      if (updated.count !== 1) {
        const now = await tx.session.findUnique({ where: { id: sessionId }, select: { seatsTaken: true, status: true } });
        if (now?.status !== "SCHEDULED") throw new Refused({ form: "Une session annulée ou clôturée ne peut plus être modifiée." });
        throw new Refused({ capacity: capacityError(data.capacity, now.seatsTaken) ?? "La capacité est inférieure aux places prises." });
      }

      const removed = before.slots.filter((old) => !data.slots.some((s) => sameSlot(old, s)));
      const added = data.slots.filter((s) => !before.slots.some((old) => sameSlot(old, s)));
      if (removed.length > 0) {
        const deleted = await tx.slot.deleteMany({
          where: { id: { in: removed.map((s) => s.id) }, trainerSignedAt: null, lockedAt: null, signatures: { none: {} } },
        });
        if (deleted.count !== removed.length) {
          throw new Refused({ form: "Un créneau déjà émargé ne peut pas être supprimé ni déplacé." });
        }
      }
      if (added.length > 0) {
        await tx.slot.createMany({ data: added.map(({ startsAt, endsAt }) => ({ sessionId, startsAt, endsAt })) });
      }

      const changed: string[] = [...PLACE_FIELDS, ...OTHER_FIELDS].filter((f) => before[f] !== sessionData(data)[f]);
      if (removed.length > 0 || added.length > 0) changed.push("slots");
      const datesOrPlaceChanged = changed.some((f) => f === "slots" || (PLACE_FIELDS as readonly string[]).includes(f));

      let notified = 0;
      if (datesOrPlaceChanged) {
        // A new revision of the convocations' events: the calendar files below replace the old ones.
        await tx.session.updateMany({ where: { id: sessionId }, data: { calendarSequence: { increment: 1 } } });
        const forMail = await loadSessionForMail(tx, sessionId);
        const organizer = await calendarOrganizer(tx);
        const droppedPositions = sortSlots(before.slots).slice(data.slots.length);
        const holders = await tx.enrolment.findMany({
          where: { sessionId, status: { in: SEAT_HOLDERS } },
          select: { id: true, status: true, user: { select: { name: true, email: true } } },
        });
        const module = await tx.module.findUniqueOrThrow({ where: { id: data.moduleId }, select: { title: true } });
        const slots = sortSlots(data.slots).map(formatSlot);
        for (const { id, status, user } of holders) {
          // Only a confirmed seat has had a convocation, hence calendar events to update.
          const to = { enrolmentId: id, learner: user, organizer };
          const cancelled = forMail && status === "CONFIRMED" ? convocationCancellationIcs(forMail, droppedPositions, to, now) : null;
          const attachments =
            forMail && status === "CONFIRMED"
              ? [
                  { filename: CONVOCATION_FILENAME, contentType: ICS_CONTENT_TYPE, content: Buffer.from(convocationIcs(forMail, to, now), "utf8") },
                  ...(cancelled ? [{ filename: CANCELLATION_FILENAME, contentType: ICS_CANCEL_CONTENT_TYPE, content: Buffer.from(cancelled, "utf8") }] : []),
                ]
              : [];
          await enqueueMail(
            tx,
            {
              template: "session-changed",
              to: user.email,
              data: {
                name: user.name,
                moduleTitle: module.title,
                slots,
                place: placeLine(data),
                accessInfo: data.accessInfo,
                accountUrl: `${getEnv().APP_URL}/mon-espace`,
                calendar: attachments.length > 0,
              },
            },
            { attachments },
          );
        }
        notified = holders.length;
      }
      if (changed.length > 0) {
        await tx.auditLog.create({
          data: {
            actorId: actor.id,
            action: "session.updated",
            entityType: "Session",
            entityId: sessionId,
            data: { changed, notified, slotsAdded: added.length, slotsRemoved: removed.length },
            createdAt: now,
          },
        });
      }
      return { ok: true as const, sessionId, notified };
    }),
  );
}

// ───────────────────────── Cancel ─────────────────────────

/**
 * Cancels the session and every live enrolment in it (seats, offers, payments in progress,
 * the waiting list), frees the seats, tells each person by mail, and logs it all. Refunds
 * of card payments belong to the payment module.
 */
export async function cancelSession(input: {
  actor: StaffActor;
  sessionId: string;
  reason: string;
  now?: Date;
}): Promise<{ ok: true; cancelledEnrolments: number } | Failure> {
  const { actor, sessionId, reason, now = new Date() } = input;
  if (!can(actor, "admin.access")) return FORBIDDEN;
  const result = await db.$transaction(async (tx) => {
    // Status first: once it reads CANCELLED (row locked until commit), no enrolment can join.
    const { count } = await tx.session.updateMany({
      where: { id: sessionId, status: "SCHEDULED" },
      data: { status: "CANCELLED", cancelReason: reason, cancelledAt: now, seatsTaken: 0 },
    });
    if (count !== 1) return { ok: false as const, errors: { form: "Cette session n'existe pas ou n'est plus programmée." } };
    const session = await tx.session.findUniqueOrThrow({
      where: { id: sessionId },
      include: { module: { select: { title: true } }, slots: { select: { startsAt: true, endsAt: true }, orderBy: { startsAt: "asc" } } },
    });
    const enrolments = await tx.enrolment.findMany({
      where: { sessionId, status: { in: CANCELLABLE } },
      select: { id: true, status: true, user: { select: { name: true, email: true } } },
    });
    await tx.enrolment.updateMany({
      where: { id: { in: enrolments.map((e) => e.id) }, status: { in: CANCELLABLE } },
      data: { status: "CANCELLED", cancelReason: reason, cancelledAt: now, waitlistRank: null, offerExpiresAt: null, holdExpiresAt: null },
    });
    for (const e of enrolments) await creditWhatIsLeft(tx, e.id, `annulation de la session : ${reason}`, now);
    const first = session.slots[0];
    const last = session.slots.at(-1);
    const dates = first && last ? formatDateRange(first.startsAt, last.endsAt) : "Dates à définir";
    const place = session.format === "REMOTE" ? "à distance" : (session.city ?? "lieu à préciser");
    for (const e of enrolments) {
      await enqueueMail(tx, {
        template: "session-cancelled",
        to: e.user.email,
        data: { name: e.user.name, moduleTitle: session.module.title, dates, place, reason, catalogueUrl: `${getEnv().APP_URL}/formations` },
      });
      await tx.auditLog.create({
        data: {
          actorId: actor.id,
          action: "enrolment.cancelled",
          entityType: "Enrolment",
          entityId: e.id,
          reason,
          data: { sessionId, previousStatus: e.status, cause: "session_cancelled" },
          createdAt: now,
        },
      });
    }
    await tx.auditLog.create({
      data: {
        actorId: actor.id,
        action: "session.cancelled",
        entityType: "Session",
        entityId: sessionId,
        reason,
        data: { cancelledEnrolments: enrolments.length },
        createdAt: now,
      },
    });
    return { ok: true as const, cancelledEnrolments: enrolments.length, enrolmentIds: enrolments.map((e) => e.id) };
  });
  if (!result.ok) return result;
  // After the commit: card payments are refunded, Checkout Sessions still open are closed.
  await settleCancelledPayments(result.enrolmentIds, now);
  return { ok: true, cancelledEnrolments: result.cancelledEnrolments };
}

// ───────────────────────── Payments ─────────────────────────

/**
 * Records that an invoiced seat (funded by the structure or an OPCO) was paid. Card
 * payments are confirmed by Stripe, not by hand.
 */
export async function markEnrolmentPaid(input: {
  actor: StaffActor;
  sessionId: string;
  enrolmentId: string;
  now?: Date;
}): Promise<{ ok: true } | Failure> {
  const { actor, sessionId, enrolmentId, now = new Date() } = input;
  if (!can(actor, "admin.access")) return FORBIDDEN;
  return db.$transaction(async (tx) => {
    const { count } = await tx.enrolment.updateMany({
      where: { id: enrolmentId, sessionId, paymentStatus: "PENDING", funding: { in: ["STRUCTURE", "OPCO"] }, status: { not: "CANCELLED" } },
      data: { paymentStatus: "PAID" },
    });
    if (count !== 1) return { ok: false as const, errors: { form: "Ce paiement n'est pas en attente : il a peut-être déjà été enregistré." } };
    await markInvoicePaid(tx, enrolmentId, now);
    await tx.auditLog.create({
      data: { actorId: actor.id, action: "enrolment.payment_received", entityType: "Enrolment", entityId: enrolmentId, data: { sessionId }, createdAt: now },
    });
    return { ok: true as const };
  });
}

// ───────────────────────── Read ─────────────────────────

export type AdminSessionRow = {
  id: string;
  moduleTitle: string;
  kind: string;
  format: string;
  city: string | null;
  structureName: string | null;
  trainerName: string | null;
  status: SessionStatus;
  startsAt: Date | null;
  endsAt: Date | null;
  seatsTaken: number;
  capacity: number;
  waitlisted: number;
  pendingPayments: number;
};

/** Folds case and accents, so "etienne" finds "Saint-Étienne" on both databases. */
const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

/**
 * The sessions list. Status and period are filtered by the database; the free-text search
 * (module, city, trainer) runs here, accent- and case-insensitively, the same on SQLite and
 * PostgreSQL (the association runs a few hundred sessions a year).
 */
export async function listAdminSessions(filters: SessionFilters, now = new Date()): Promise<AdminSessionRow[]> {
  const period =
    filters.when === "upcoming"
      ? { OR: [{ slots: { some: { endsAt: { gt: now } } } }, { slots: { none: {} } }] }
      : filters.when === "past"
        ? { slots: { some: {}, none: { endsAt: { gt: now } } } }
        : {};
  const rows = await db.session.findMany({
    where: { ...(filters.status ? { status: filters.status } : {}), ...period },
    include: {
      module: { select: { title: true } },
      structure: { select: { name: true } },
      trainer: { select: { name: true } },
      slots: { select: { startsAt: true, endsAt: true }, orderBy: { startsAt: "asc" } },
      enrolments: { where: { OR: [{ status: "WAITLISTED" }, { paymentStatus: "PENDING", status: { not: "CANCELLED" } }] }, select: { status: true, paymentStatus: true } },
    },
  });
  const q = fold(filters.q);
  const list = rows
    .map((s) => ({
      id: s.id,
      moduleTitle: s.module.title,
      kind: s.kind,
      format: s.format,
      city: s.city,
      structureName: s.structure?.name ?? null,
      trainerName: s.trainer?.name ?? null,
      status: s.status,
      startsAt: s.slots[0]?.startsAt ?? null,
      endsAt: s.slots.reduce<Date | null>((max, slot) => (!max || slot.endsAt > max ? slot.endsAt : max), null),
      seatsTaken: s.seatsTaken,
      capacity: s.capacity,
      waitlisted: s.enrolments.filter((e) => e.status === "WAITLISTED").length,
      pendingPayments: s.enrolments.filter((e) => e.paymentStatus === "PENDING" && e.status !== "WAITLISTED").length,
    }))
    .filter((s) => !q || [s.moduleTitle, s.city ?? "", s.trainerName ?? ""].some((field) => fold(field).includes(q)));
  const time = (d: Date | null) => d?.getTime() ?? Number.POSITIVE_INFINITY;
  return filters.when === "past" ? list.sort((a, b) => time(b.startsAt) - time(a.startsAt)) : list.sort((a, b) => time(a.startsAt) - time(b.startsAt));
}

/** The session as stored, for the edit form and its page header. */
export async function getSessionForEdit(sessionId: string) {
  return db.session.findUnique({
    where: { id: sessionId },
    include: {
      module: { select: { title: true } },
      slots: { select: { startsAt: true, endsAt: true, trainerSignedAt: true }, orderBy: { startsAt: "asc" } },
    },
  });
}
