import type { AttendanceStatus, EnrolmentStatus, SignatureMethod } from "~/generated/sqlite/enums";
import { can, hasRole, isAdmin, type Actor } from "~/modules/auth/permissions.rules";
import { placeLine } from "~/modules/training/sessions.rules";
import { db, type Db, type Tx } from "~/utils/db.server";
import {
  attendanceFlags,
  correctionRefusal,
  countersignRefusal,
  FLAG_TITLES,
  isAlsaceMoselle,
  learnerSignRefusal,
  sheetState,
  signatureImageHash,
  trainerMarkRefusal,
  typedNameMatches,
  type AttendanceFlagKind,
  type CheckedSignature,
  type CheckedSlot,
  type Refusal,
  type SheetState,
} from "./attendance.rules";
import type { CorrectionInput, MarkInput, SignInput } from "./attendance.schema";
import { checkSlotCode } from "./slot-code.server";

/**
 * Attendance sheets (émargement), one per half-day slot: what the trainer, the learner and
 * staff see of a sheet, and every change to it. Each function takes the acting person and
 * checks again what the route checked; every refusal comes from attendance.rules.ts.
 */

type Client = Db | Tx;

/** A refusal, with the HTTP status the route answers with: 403 for "not yours", 404 for "no such sheet", 400 otherwise. */
export type AttendanceFailure = { ok: false; code: string; message: string; status: 400 | 403 | 404 };
export type AttendanceResult<T = object> = ({ ok: true } & T) | AttendanceFailure;

const FORBIDDEN_CODES = new Set(["NOT_ENROLLED", "NOT_YOUR_LINE", "NOT_TRAINER", "NOT_STAFF"]);
const fail = (refusal: Refusal): AttendanceFailure => ({ ok: false, ...refusal, status: FORBIDDEN_CODES.has(refusal.code) ? 403 : 400 });
const NOT_FOUND: AttendanceFailure = { ok: false, code: "NOT_FOUND", message: "Cette feuille d'émargement n'existe pas.", status: 404 };
const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === "P2002";

export type SheetMark = {
  status: AttendanceStatus;
  method: SignatureMethod;
  signedAt: Date;
  minutesLate: number | null;
  imageData: string | null;
};

export type SheetLineView = {
  enrolmentId: string;
  userId: string;
  name: string;
  structureName: string | null;
  enrolmentStatus: EnrolmentStatus;
  mark: SheetMark | null;
};

export type AttendanceSheet = {
  slotId: string;
  sessionId: string;
  moduleTitle: string;
  startsAt: Date;
  endsAt: Date;
  place: string;
  capacity: number;
  trainerId: string | null;
  trainerName: string | null;
  trainerSignedAt: Date | null;
  trainerSignature: string | null;
  lockedAt: Date | null;
  state: SheetState;
  lines: SheetLineView[];
};

const markSelect = { enrolmentId: true, status: true, method: true, signedAt: true, minutesLate: true, imageData: true } as const;

async function loadSheet(client: Client, slotId: string, now: Date): Promise<AttendanceSheet | null> {
  const slot = await client.slot.findUnique({
    where: { id: slotId },
    include: {
      signatures: { select: markSelect },
      session: {
        include: {
          module: { select: { title: true } },
          trainer: { select: { name: true } },
          enrolments: {
            where: { OR: [{ status: "CONFIRMED" }, { signatures: { some: { slotId } } }] },
            include: { user: { select: { name: true } }, structure: { select: { name: true } } },
          },
        },
      },
    },
  });
  if (!slot) return null;
  const marks = new Map(slot.signatures.map((s) => [s.enrolmentId, s]));
  const { session } = slot;
  return {
    slotId: slot.id,
    sessionId: session.id,
    moduleTitle: session.module.title,
    startsAt: slot.startsAt,
    endsAt: slot.endsAt,
    place: placeLine(session),
    capacity: session.capacity,
    trainerId: session.trainerId,
    trainerName: session.trainer?.name ?? null,
    trainerSignedAt: slot.trainerSignedAt,
    trainerSignature: slot.trainerSignature,
    lockedAt: slot.lockedAt,
    state: sheetState(slot, now),
    lines: session.enrolments
      .map((e) => {
        const mark = marks.get(e.id);
        return {
          enrolmentId: e.id,
          userId: e.userId,
          name: e.user.name,
          structureName: e.structure?.name ?? null,
          enrolmentStatus: e.status,
          mark: mark ? { status: mark.status, method: mark.method, signedAt: mark.signedAt, minutesLate: mark.minutesLate, imageData: mark.imageData } : null,
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name, "fr")),
  };
}

const isSessionTrainer = (actor: Actor, sheet: { trainerId: string | null }) =>
  !!actor && !!sheet.trainerId && sheet.trainerId === actor.id && hasRole(actor, "TRAINER");

// ───────────────────────── Reading ─────────────────────────

/** The sheet of one slot of `sessionId`, for the session's trainer and staff; null when there is none or it is not theirs. */
export async function getTrainerSheet(input: { actor: Actor; sessionId: string; slotId: string; now?: Date }): Promise<(AttendanceSheet & { isSessionTrainer: boolean }) | null> {
  const sheet = await loadSheet(db, input.slotId, input.now ?? new Date());
  if (!sheet || sheet.sessionId !== input.sessionId) return null;
  if (!can(input.actor, "session.viewRoster", { sessionTrainerId: sheet.trainerId })) return null;
  return { ...sheet, isSessionTrainer: isSessionTrainer(input.actor, sheet) };
}

/** The slots of one session with how many lines are marked, for the links from the session pages. */
export async function listSessionSheets(sessionId: string, now = new Date()) {
  const slots = await db.slot.findMany({
    where: { sessionId },
    orderBy: { startsAt: "asc" },
    select: { id: true, startsAt: true, endsAt: true, lockedAt: true, _count: { select: { signatures: true } } },
  });
  return slots.map((s) => ({ id: s.id, startsAt: s.startsAt, endsAt: s.endsAt, state: sheetState(s, now), marked: s._count.signatures }));
}

export type LearnerSheet = {
  slotId: string;
  sessionId: string;
  moduleTitle: string;
  startsAt: Date;
  endsAt: Date;
  place: string;
  trainerName: string | null;
  state: SheetState;
  enrolmentId: string | null;
  mark: SheetMark | null;
  /** Why this person cannot sign now, or null when they can. */
  refusal: Refusal | null;
};

/** The signer's own enrolment in the session: the confirmed one when there are several. */
async function ownEnrolment(client: Client, userId: string, sessionId: string) {
  const rows = await client.enrolment.findMany({ where: { userId, sessionId }, select: { id: true, userId: true, sessionId: true, status: true } });
  return rows.find((e) => e.status === "CONFIRMED") ?? rows[0] ?? null;
}

/** One sheet as the logged-in learner sees it: their line only. null when the slot does not exist. */
export async function getLearnerSheet(input: { userId: string; slotId: string; now?: Date }): Promise<LearnerSheet | null> {
  const now = input.now ?? new Date();
  const slot = await db.slot.findUnique({
    where: { id: input.slotId },
    include: { session: { include: { module: { select: { title: true } }, trainer: { select: { name: true } } } } },
  });
  if (!slot) return null;
  const enrolment = await ownEnrolment(db, input.userId, slot.sessionId);
  const mark = enrolment
    ? await db.signature.findUnique({ where: { slotId_enrolmentId: { slotId: slot.id, enrolmentId: enrolment.id } }, select: markSelect })
    : null;
  return {
    slotId: slot.id,
    sessionId: slot.sessionId,
    moduleTitle: slot.session.module.title,
    startsAt: slot.startsAt,
    endsAt: slot.endsAt,
    place: placeLine(slot.session),
    trainerName: slot.session.trainer?.name ?? null,
    state: sheetState(slot, now),
    enrolmentId: enrolment?.id ?? null,
    mark: mark ? { status: mark.status, method: mark.method, signedAt: mark.signedAt, minutesLate: mark.minutesLate, imageData: null } : null,
    refusal: learnerSignRefusal({ slot, line: enrolment && { ...enrolment, enrolmentId: enrolment.id }, signerUserId: input.userId, existing: mark, now }),
  };
}

/**
 * The sheets of the learner's confirmed enrolments that are open now (or were signed by them
 * today and are still shown), soonest first.
 */
export async function listLearnerOpenSheets(input: { userId: string; now?: Date }): Promise<LearnerSheet[]> {
  const now = input.now ?? new Date();
  const slots = await db.slot.findMany({
    where: {
      startsAt: { lte: new Date(now.getTime() + 60 * 60_000) },
      endsAt: { gte: new Date(now.getTime() - 60 * 60_000) },
      session: { enrolments: { some: { userId: input.userId, status: "CONFIRMED" } } },
    },
    orderBy: { startsAt: "asc" },
    select: { id: true },
  });
  const sheets = await Promise.all(slots.map((s) => getLearnerSheet({ userId: input.userId, slotId: s.id, now })));
  return sheets.filter((s): s is LearnerSheet => s !== null && (s.state === "OPEN" || s.mark !== null));
}

// ───────────────────────── Learner signing ─────────────────────────

/** The drawn image's hash, or the refusal to show next to the canvas. */
function drawnImage(dataUrl: string): { imageData: string; imageHash: string } | AttendanceFailure {
  const imageHash = signatureImageHash(dataUrl);
  if (!imageHash) return { ok: false, code: "BAD_IMAGE", message: "Ce dessin de signature n'a pas pu être lu : effacez-le et signez à nouveau.", status: 400 };
  return { imageData: dataUrl, imageHash };
}

/**
 * The learner signs their line of the slot's sheet: typed name, drawn image (with the typed
 * name), the 6-digit code shown in the room, or the QR code's token. `enrolmentId`, when the
 * form names one, must be the signer's own line.
 */
export async function signSheet(input: {
  signer: { id: string; name: string };
  slotId: string;
  data: SignInput;
  now?: Date;
}): Promise<AttendanceResult<{ signedAt: Date }>> {
  const { signer, data } = input;
  const now = input.now ?? new Date();
  try {
    return await db.$transaction(async (tx) => {
      const slot = await tx.slot.findUnique({ where: { id: input.slotId }, select: { id: true, sessionId: true, startsAt: true, endsAt: true, lockedAt: true } });
      if (!slot) return NOT_FOUND;
      const line = data.enrolmentId
        ? await tx.enrolment.findUnique({ where: { id: data.enrolmentId }, select: { id: true, userId: true, sessionId: true, status: true } })
        : await ownEnrolment(tx, signer.id, slot.sessionId);
      const existing = line ? await tx.signature.findUnique({ where: { slotId_enrolmentId: { slotId: slot.id, enrolmentId: line.id } }, select: { status: true, method: true } }) : null;
      const refusal = learnerSignRefusal({ slot, line: line && { ...line, enrolmentId: line.id }, signerUserId: signer.id, existing, now });
      if (refusal) return fail(refusal);

      let image: { imageData: string; imageHash: string } | null = null;
      if (data.method === "TYPED" || data.method === "DRAWN") {
        if (!typedNameMatches(data.typedName, signer.name)) {
          return { ok: false as const, code: "NAME_MISMATCH", message: `Écrivez votre nom tel qu'il figure sur votre compte : ${signer.name}.`, status: 400 as const };
        }
        if (data.method === "DRAWN") {
          const drawn = drawnImage(data.signature);
          if ("ok" in drawn) return drawn;
          image = drawn;
        }
      } else {
        const check = checkSlotCode(slot.id, data.method === "QR" ? data.token : data.code, now);
        if (!check.ok) return { ok: false as const, code: check.reason, message: check.message, status: 400 as const };
      }
      await tx.signature.create({
        data: { slotId: slot.id, enrolmentId: line!.id, status: "PRESENT", method: data.method, imageData: image?.imageData, imageHash: image?.imageHash, signedAt: now },
      });
      return { ok: true as const, signedAt: now };
    });
  } catch (error) {
    // Two submissions at once: the second meets the first's row.
    if (isUniqueViolation(error)) return fail({ code: "ALREADY_SIGNED", message: "Vous avez déjà signé pour ce créneau : une seule signature par demi-journée." });
    throw error;
  }
}

// ───────────────────────── Trainer ─────────────────────────

/** The trainer marks a line present, late (with the delay) or absent; a learner's own signature stays, only its status changes. */
export async function markAttendance(input: { actor: Actor; slotId: string; data: MarkInput; now?: Date }): Promise<AttendanceResult> {
  const { actor, data } = input;
  const now = input.now ?? new Date();
  return db.$transaction(async (tx) => {
    const slot = await tx.slot.findUnique({ where: { id: input.slotId }, include: { session: { select: { trainerId: true } } } });
    if (!slot) return NOT_FOUND;
    const line = await tx.enrolment.findUnique({ where: { id: data.enrolmentId }, select: { id: true, userId: true, sessionId: true, status: true } });
    const existing = line ? await tx.signature.findUnique({ where: { slotId_enrolmentId: { slotId: slot.id, enrolmentId: line.id } } }) : null;
    const refusal = trainerMarkRefusal({
      slot,
      isSessionTrainer: isSessionTrainer(actor, slot.session),
      line: line && { ...line, enrolmentId: line.id },
      existing,
      status: data.status,
      now,
    });
    if (refusal) return fail(refusal);
    const minutesLate = data.status === "LATE" ? (data.minutesLate ?? null) : null;
    if (existing) {
      await tx.signature.update({ where: { id: existing.id }, data: { status: data.status, minutesLate } });
    } else {
      await tx.signature.create({ data: { slotId: slot.id, enrolmentId: line!.id, status: data.status, method: "TRAINER", minutesLate, signedAt: now } });
    }
    return { ok: true as const };
  });
}

/**
 * The trainer countersigns the sheet with their name (and a drawn image when they drew one),
 * which locks it: from then on only staff can change it. The lock is taken by a conditional
 * update, so two countersignatures cannot both succeed.
 */
export async function countersignSheet(input: {
  actor: Actor & { name: string };
  slotId: string;
  typedName: string;
  signature: string;
  now?: Date;
}): Promise<AttendanceResult> {
  const { actor } = input;
  const now = input.now ?? new Date();
  return db.$transaction(async (tx) => {
    const slot = await tx.slot.findUnique({
      where: { id: input.slotId },
      include: { session: { select: { trainerId: true, enrolments: { where: { status: "CONFIRMED" }, select: { id: true } } } }, signatures: { select: { enrolmentId: true } } },
    });
    if (!slot) return NOT_FOUND;
    const refusal = countersignRefusal({
      slot,
      isSessionTrainer: isSessionTrainer(actor, slot.session),
      confirmedEnrolmentIds: slot.session.enrolments.map((e) => e.id),
      markedEnrolmentIds: slot.signatures.map((s) => s.enrolmentId),
      now,
    });
    if (refusal) return fail(refusal);
    if (!typedNameMatches(input.typedName, actor.name)) {
      return { ok: false as const, code: "NAME_MISMATCH", message: `Écrivez votre nom tel qu'il figure sur votre compte : ${actor.name}.`, status: 400 as const };
    }
    let trainerSignature = actor.name;
    if (input.signature) {
      const drawn = drawnImage(input.signature);
      if ("ok" in drawn) return drawn;
      trainerSignature = drawn.imageData;
    }
    const locked = await tx.slot.updateMany({ where: { id: slot.id, lockedAt: null }, data: { trainerSignedAt: now, trainerSignature, lockedAt: now } });
    if (locked.count !== 1) return fail({ code: "LOCKED", message: "Cette feuille est déjà contresignée et verrouillée." });
    return { ok: true as const };
  });
}

// ───────────────────────── Staff correction ─────────────────────────

const markSnapshot = (m: { status: AttendanceStatus; method: SignatureMethod; minutesLate: number | null; signedAt: Date } | null) =>
  m ? { status: m.status, method: m.method, minutesLate: m.minutesLate, signedAt: m.signedAt.toISOString() } : null;

/**
 * Staff change one line of a sheet, locked or not, saying why: the change and the reason go
 * to the audit log with the line before and after. The learner's own signature (time,
 * image) is kept; a line nobody marked gets a mark by staff.
 */
export async function correctSheet(input: { actor: Actor; slotId: string; data: CorrectionInput; now?: Date }): Promise<AttendanceResult> {
  const { actor, data } = input;
  const now = input.now ?? new Date();
  const refusal = correctionRefusal({ isStaff: isAdmin(actor), reason: data.reason });
  if (refusal) return fail(refusal);
  return db.$transaction(async (tx) => {
    const slot = await tx.slot.findUnique({ where: { id: input.slotId }, select: { id: true, sessionId: true } });
    if (!slot) return NOT_FOUND;
    const line = await tx.enrolment.findUnique({ where: { id: data.enrolmentId }, select: { id: true, sessionId: true } });
    if (!line || line.sessionId !== slot.sessionId) return fail({ code: "NOT_ENROLLED", message: "Cette personne n'est pas inscrite à cette session." });
    const before = await tx.signature.findUnique({ where: { slotId_enrolmentId: { slotId: slot.id, enrolmentId: line.id } } });
    const minutesLate = data.status === "LATE" ? (data.minutesLate ?? null) : null;
    const after = before
      ? await tx.signature.update({ where: { id: before.id }, data: { status: data.status, minutesLate } })
      : await tx.signature.create({ data: { slotId: slot.id, enrolmentId: line.id, status: data.status, method: "TRAINER", minutesLate, signedAt: now } });
    await tx.auditLog.create({
      data: {
        actorId: actor!.id,
        action: "attendance.corrected",
        entityType: "Slot",
        entityId: slot.id,
        reason: data.reason,
        data: { enrolmentId: line.id, before: markSnapshot(before), after: markSnapshot(after) },
        createdAt: now,
      },
    });
    return { ok: true as const };
  });
}

/** The corrections recorded on a slot's sheet, newest first, for the staff page. */
export async function listSheetCorrections(slotId: string) {
  const rows = await db.auditLog.findMany({
    where: { entityType: "Slot", entityId: slotId, action: "attendance.corrected" },
    orderBy: { createdAt: "desc" },
    include: { actor: { select: { name: true } } },
  });
  return rows.map((r) => ({ id: r.id, at: r.createdAt, actorName: r.actor?.name ?? null, reason: r.reason, data: r.data }));
}

// ───────────────────────── Consistency flags ─────────────────────────

export type FlagView = {
  kind: AttendanceFlagKind;
  title: string;
  label: string;
  sheets: { href: string; text: string }[];
};

/** How far back the staff dashboard looks for sheets to check. */
export const FLAG_WINDOW_DAYS = 90;

/**
 * The consistency checks over the slots held in the last FLAG_WINDOW_DAYS days (and any
 * slot already signed), each flag naming the session and half-day and linking to the sheet.
 */
export async function recentAttendanceFlags(now = new Date()): Promise<FlagView[]> {
  const since = new Date(now.getTime() - FLAG_WINDOW_DAYS * 86_400_000);
  const slots = await db.slot.findMany({
    where: { startsAt: { gte: since }, OR: [{ startsAt: { lte: now } }, { trainerSignedAt: { not: null } }, { signatures: { some: {} } }] },
    include: {
      session: { select: { id: true, capacity: true, trainerId: true, format: true, venueName: true, address: true, postcode: true, city: true, module: { select: { title: true } } } },
      signatures: { select: { enrolmentId: true, status: true, method: true, imageHash: true, signedAt: true } },
    },
  });
  const checked: CheckedSlot[] = slots.map((s) => ({
    id: s.id,
    sessionId: s.sessionId,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    capacity: s.session.capacity,
    trainerId: s.session.trainerId,
    trainerSignedAt: s.trainerSignedAt,
    place: s.session.format === "REMOTE" ? null : placeLine(s.session),
    alsaceMoselle: isAlsaceMoselle(s.session.postcode),
  }));
  const signatures: CheckedSignature[] = slots.flatMap((s) => s.signatures.map((sig) => ({ ...sig, slotId: s.id })));
  const bySlot = new Map(slots.map((s) => [s.id, s]));
  const sheetLink = (slotId: string) => {
    const s = bySlot.get(slotId)!;
    return {
      href: `/admin/sessions/${encodeURIComponent(s.sessionId)}/emargement/${encodeURIComponent(s.id)}`,
      text: `${s.session.module.title} — ${new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", dateStyle: "long", timeStyle: "short" }).format(s.startsAt)}`,
    };
  };
  return attendanceFlags(checked, signatures).map((flag) => {
    const slotIds =
      flag.kind === "SIGNATURE_REUSED" ? [...new Set(flag.uses.map((u) => u.slotId))] : flag.kind === "TRAINER_DOUBLE_BOOKED" ? flag.slotIds : [flag.slotId];
    return { kind: flag.kind, title: FLAG_TITLES[flag.kind], label: flag.label, sheets: slotIds.map(sheetLink) };
  });
}
