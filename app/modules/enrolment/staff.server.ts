import type { Prisma } from "~/generated/sqlite/client";
import { can, type Actor } from "~/modules/auth/permissions.rules";
import { db } from "~/utils/db.server";
import type { FieldErrors } from "~/utils/forms.server";
import { describeAuditEntry, type AuditEntryView } from "./audit.rules";
import { lockSession, sessionDates, withTxRetry } from "./enrolment.server";
import { waitlistPosition, type EnrolmentStatus, type Funding, type PaymentStatus } from "./enrolment.rules";
import { PAGE_SIZE, type EnrolmentFilters } from "./staff.schema";
import { moveInWaitlist, type WaitlistMove } from "./waitlist.rules";

/**
 * The staff's side of enrolments: reorder a waiting list, list and search enrolments across
 * sessions, read one enrolment with its journal. Each function checks the permission
 * itself, so a route that forgets is not a hole.
 */
type StaffActor = NonNullable<Actor>;
type Failure = { ok: false; errors: FieldErrors };
const FORBIDDEN: Failure = { ok: false, errors: { form: "Seule l'équipe de l'association peut gérer les inscriptions." } };

// ───────────────────────── Reordering the waiting list ─────────────────────────

/** Thrown inside the transaction to roll it back and answer with these field errors. */
class Refused extends Error {
  constructor(readonly errors: FieldErrors) {
    super("refused");
  }
}

/**
 * Moves one waiting person up, down or to a position. Under the session's lock the queue
 * is read in the order promotion uses, ranks are rewritten 1..n in the new order, and each
 * person whose place changes gets a journal row with the old and new positions and the reason.
 */
export async function reorderWaitlist(input: {
  actor: StaffActor;
  sessionId: string;
  enrolmentId: string;
  move: WaitlistMove;
  reason: string;
  now?: Date;
}): Promise<{ ok: true; name: string; from: number; to: number } | Failure> {
  const { actor, sessionId, enrolmentId, move, now = new Date() } = input;
  const reason = input.reason.trim();
  if (!can(actor, "admin.access")) return FORBIDDEN;
  if (!reason) return { ok: false, errors: { reason: "Indiquez le motif du changement d'ordre : il est conservé dans le journal." } };
  try {
    return await withTxRetry(async (tx) => {
      await lockSession(tx, sessionId);
      const queue = await tx.enrolment.findMany({
        where: { sessionId, status: "WAITLISTED" },
        orderBy: [{ waitlistRank: "asc" }, { createdAt: "asc" }],
        select: { id: true, waitlistRank: true, user: { select: { name: true } } },
      });
      const result = moveInWaitlist(
        queue.map((e) => ({ id: e.id, rank: e.waitlistRank })),
        enrolmentId,
        move,
      );
      if (!result.ok) throw new Refused({ [result.field]: result.message });
      for (const { id, rank } of result.rankUpdates) {
        const { count } = await tx.enrolment.updateMany({ where: { id, sessionId, status: "WAITLISTED" }, data: { waitlistRank: rank } });
        // The session lock makes this impossible; if it ever happens, roll everything back.
        if (count !== 1) throw new Error(`Enrolment ${id} left the waiting list while its session was locked`);
      }
      await tx.auditLog.createMany({
        data: result.positionChanges.map((change) => ({
          actorId: actor.id,
          action: "enrolment.waitlist_reordered",
          entityType: "Enrolment",
          entityId: change.id,
          reason,
          data: { sessionId, from: change.from, to: change.to, moved: change.id === enrolmentId, movedEnrolmentId: enrolmentId },
          createdAt: now,
        })),
      });
      const name = queue.find((e) => e.id === enrolmentId)?.user.name ?? "";
      return { ok: true as const, name, from: result.from, to: result.to };
    });
  } catch (error) {
    if (error instanceof Refused) return { ok: false, errors: error.errors };
    throw error;
  }
}

// ───────────────────────── The back-office list ─────────────────────────

export type StaffEnrolmentRow = {
  id: string;
  sessionId: string;
  learnerName: string;
  learnerEmail: string;
  structureName: string | null;
  moduleTitle: string;
  dates: string;
  status: EnrolmentStatus;
  funding: Funding;
  paymentStatus: PaymentStatus;
  amountCents: number;
  createdAt: Date;
  /** An invoiced seat whose payment staff can mark as received. */
  canMarkPaid: boolean;
};

export type StaffEnrolmentPage = { rows: StaffEnrolmentRow[]; total: number; page: number; pageCount: number };

/** Folds case and accents, so "lefevre" finds "Lefèvre" the same way on both databases. */
const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

export const INVOICED_FUNDINGS = ["STRUCTURE", "OPCO"] as const satisfies readonly Funding[];
export const canMarkPaid = (e: { funding: Funding; paymentStatus: PaymentStatus; status: EnrolmentStatus }) =>
  e.paymentStatus === "PENDING" && (INVOICED_FUNDINGS as readonly string[]).includes(e.funding) && e.status !== "CANCELLED";

function whereFor(filters: EnrolmentFilters, now: Date): Prisma.EnrolmentWhereInput {
  const and: Prisma.EnrolmentWhereInput[] = [];
  if (filters.view === "paiements") and.push({ funding: { in: [...INVOICED_FUNDINGS] }, paymentStatus: "PENDING", status: { not: "CANCELLED" } });
  if (filters.status) and.push({ status: filters.status });
  if (filters.funding) and.push({ funding: filters.funding });
  if (filters.payment) and.push({ paymentStatus: filters.payment });
  if (filters.moduleId) and.push({ session: { moduleId: filters.moduleId } });
  if (filters.when === "upcoming") and.push({ session: { OR: [{ slots: { some: { endsAt: { gt: now } } } }, { slots: { none: {} } }] } });
  if (filters.when === "past") and.push({ session: { slots: { some: {}, none: { endsAt: { gt: now } } } } });
  return and.length ? { AND: and } : {};
}

const ORDER: Prisma.EnrolmentOrderByWithRelationInput[] = [{ createdAt: "desc" }, { id: "desc" }];

/**
 * Enrolments across sessions, newest first, PAGE_SIZE a page. Filters run in the database;
 * the free-text search (learner's name or e-mail, structure) runs here over those three
 * fields only, accent- and case-insensitively, then only the page's rows are loaded in full.
 */
export async function listStaffEnrolments(actor: StaffActor, filters: EnrolmentFilters, now = new Date()): Promise<StaffEnrolmentPage | null> {
  if (!can(actor, "admin.access")) return null;
  const where = whereFor(filters, now);
  let ids: string[];
  let total: number;
  const q = fold(filters.q);
  if (q) {
    const candidates = await db.enrolment.findMany({
      where,
      orderBy: ORDER,
      select: { id: true, user: { select: { name: true, email: true } }, structure: { select: { name: true } } },
    });
    const matching = candidates.filter((c) => [c.user.name, c.user.email, c.structure?.name ?? ""].some((f) => fold(f).includes(q)));
    total = matching.length;
    ids = matching.slice((filters.page - 1) * PAGE_SIZE, filters.page * PAGE_SIZE).map((c) => c.id);
  } else {
    const [count, page] = await Promise.all([
      db.enrolment.count({ where }),
      db.enrolment.findMany({ where, orderBy: ORDER, skip: (filters.page - 1) * PAGE_SIZE, take: PAGE_SIZE, select: { id: true } }),
    ]);
    total = count;
    ids = page.map((e) => e.id);
  }
  const rows = ids.length
    ? await db.enrolment.findMany({
        where: { id: { in: ids } },
        orderBy: ORDER,
        include: {
          user: { select: { name: true, email: true } },
          structure: { select: { name: true } },
          session: { select: { module: { select: { title: true } }, slots: { select: { startsAt: true, endsAt: true }, orderBy: { startsAt: "asc" } } } },
        },
      })
    : [];
  return {
    rows: rows.map((e) => ({
      id: e.id,
      sessionId: e.sessionId,
      learnerName: e.user.name,
      learnerEmail: e.user.email,
      structureName: e.structure?.name ?? null,
      moduleTitle: e.session.module.title,
      dates: sessionDates(e.session.slots),
      status: e.status,
      funding: e.funding,
      paymentStatus: e.paymentStatus,
      amountCents: e.amountCents,
      createdAt: e.createdAt,
      canMarkPaid: canMarkPaid(e),
    })),
    total,
    page: filters.page,
    pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
  };
}

/** The modules, for the list's filter. */
export async function listModuleOptions() {
  return db.module.findMany({ select: { id: true, number: true, title: true }, orderBy: { number: "asc" } });
}

// ───────────────────────── One enrolment and its journal ─────────────────────────

export type StaffEnrolmentHistoryEntry = AuditEntryView & { id: string; at: Date; actorName: string | null };

export async function getStaffEnrolment(actor: StaffActor, enrolmentId: string) {
  if (!can(actor, "admin.access")) return null;
  const e = await db.enrolment.findUnique({
    where: { id: enrolmentId },
    include: {
      user: { select: { name: true, email: true } },
      structure: { select: { name: true } },
      enrolledBy: { select: { name: true } },
      rulesVersion: { select: { number: true, createdAt: true } },
      session: {
        select: {
          id: true,
          status: true,
          module: { select: { title: true } },
          slots: { select: { startsAt: true, endsAt: true }, orderBy: { startsAt: "asc" } },
          enrolments: { where: { status: "WAITLISTED" }, select: { waitlistRank: true } },
        },
      },
    },
  });
  if (!e) return null;
  const journal = await db.auditLog.findMany({
    where: { entityType: "Enrolment", entityId: enrolmentId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    include: { actor: { select: { name: true } } },
  });
  const waitingRanks = e.session.enrolments.map((w) => w.waitlistRank).filter((r): r is number => r !== null);
  return {
    id: e.id,
    sessionId: e.sessionId,
    sessionStatus: e.session.status,
    moduleTitle: e.session.module.title,
    dates: sessionDates(e.session.slots),
    learnerName: e.user.name,
    learnerEmail: e.user.email,
    structureName: e.structure?.name ?? null,
    enrolledByName: e.enrolledById === e.userId ? null : e.enrolledBy.name,
    status: e.status,
    funding: e.funding,
    paymentStatus: e.paymentStatus,
    amountCents: e.amountCents,
    position: e.status === "WAITLISTED" && e.waitlistRank !== null ? waitlistPosition(e.waitlistRank, waitingRanks) : null,
    offerExpiresAt: e.offerExpiresAt,
    createdAt: e.createdAt,
    confirmedAt: e.confirmedAt,
    cancelledAt: e.cancelledAt,
    cancelReason: e.cancelReason,
    reminder7SentAt: e.reminder7SentAt,
    reminder1SentAt: e.reminder1SentAt,
    rulesDelivered: e.rulesVersion && e.rulesDeliveredAt ? { number: e.rulesVersion.number, createdAt: e.rulesVersion.createdAt, at: e.rulesDeliveredAt } : null,
    canMarkPaid: canMarkPaid(e),
    canCancel: e.status !== "CANCELLED",
    history: journal.map(
      (row): StaffEnrolmentHistoryEntry => ({ id: row.id, at: row.createdAt, actorName: row.actor?.name ?? null, ...describeAuditEntry(row) }),
    ),
  };
}
