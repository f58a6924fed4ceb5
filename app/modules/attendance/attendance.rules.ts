/**
 * Attendance (émargement) rules, pure and tested in attendance.rules.test.ts: when a
 * half-day's sheet can be signed, why a signature or a mark is refused (French messages),
 * how many minutes a learner attended, and the consistency checks that get sheets rejected
 * by funders (signature outside the slot's hours, on a public holiday, the same drawn image
 * twice, a trainer in two places at once, more signers than seats).
 *
 * Times are instants (UTC `Date`), read on Paris clocks. A sheet opens to learners a little
 * before the slot starts and closes a little after it ends; the same margins are the
 * tolerance of the "outside the slot's hours" check, so a signature the portal accepted from
 * a learner never raises that flag.
 */
import { createHash } from "node:crypto";
import { formatLongDate, formatTime } from "~/utils/dates";
import { publicHolidayAt } from "./holidays";

export type AttendanceStatus = "PRESENT" | "LATE" | "ABSENT";
export type SignatureMethod = "DRAWN" | "TYPED" | "CODE" | "QR" | "TRAINER";
export type EnrolmentStatus = "PENDING_PAYMENT" | "CONFIRMED" | "WAITLISTED" | "OFFERED" | "CANCELLED";

/** Learners may sign from this many minutes before the slot starts. */
export const SIGNING_OPENS_BEFORE_MINUTES = 15;
/** … until this many minutes after it ends; then only the trainer can mark presence. */
export const SIGNING_CLOSES_AFTER_MINUTES = 30;
/** The trainer countersigns (and so locks) from this many minutes before the slot ends. */
export const COUNTERSIGN_OPENS_BEFORE_END_MINUTES = 30;
/** A staff correction must say why, in at least this many characters. */
export const CORRECTION_REASON_MIN_LENGTH = 10;

const MINUTE_MS = 60_000;

export type SheetSlot = { startsAt: Date; endsAt: Date; lockedAt: Date | null };
export type SheetState = "UPCOMING" | "OPEN" | "ENDED" | "LOCKED";
export type Refusal<Code extends string = string> = { code: Code; message: string };

// ───────────────────────── Sheet state ─────────────────────────

/** When learners may start signing this slot's sheet. */
export const signingOpensAt = (slot: { startsAt: Date }): Date => new Date(slot.startsAt.getTime() - SIGNING_OPENS_BEFORE_MINUTES * MINUTE_MS);

/** When learners may no longer sign this slot's sheet themselves. */
export const signingClosesAt = (slot: { endsAt: Date }): Date => new Date(slot.endsAt.getTime() + SIGNING_CLOSES_AFTER_MINUTES * MINUTE_MS);

/** LOCKED once countersigned; otherwise UPCOMING, OPEN (learners sign) or ENDED (only the trainer marks). */
export function sheetState(slot: SheetSlot, now: Date): SheetState {
  if (slot.lockedAt) return "LOCKED";
  if (now < signingOpensAt(slot)) return "UPCOMING";
  if (now <= signingClosesAt(slot)) return "OPEN";
  return "ENDED";
}

/** The slots whose sheets learners can sign at `now`, in the order given. */
export const sheetsOpenForSigning = <S extends SheetSlot>(slots: readonly S[], now: Date): S[] => slots.filter((s) => sheetState(s, now) === "OPEN");

// ───────────────────────── Refusals ─────────────────────────

export type SheetLine = { enrolmentId: string; userId: string; sessionId: string; status: EnrolmentStatus };
export type ExistingMark = { status: AttendanceStatus; method: SignatureMethod };

export type LearnerSignRefusalCode =
  | "LOCKED"
  | "NOT_ENROLLED"
  | "NOT_YOUR_LINE"
  | "NOT_CONFIRMED"
  | "FUTURE"
  | "CLOSED"
  | "ALREADY_SIGNED"
  | "MARKED_ABSENT";

const MESSAGES = {
  LOCKED: "Cette feuille d'émargement est verrouillée : le formateur l'a contresignée. Pour une correction, adressez-vous à l'équipe Maillon.",
  NOT_ENROLLED: "Vous n'êtes pas inscrit·e à cette session : vous ne pouvez pas signer cette feuille.",
  NOT_YOUR_LINE: "Vous ne pouvez signer que votre propre ligne, pas celle d'une autre personne.",
  CANCELLED: "Votre inscription à cette session a été annulée : vous ne pouvez pas signer cette feuille.",
  NOT_CONFIRMED: "Votre inscription à cette session n'est pas confirmée : vous ne pouvez pas encore signer.",
  CLOSED: "L'émargement de ce créneau est clos : demandez au formateur de noter votre présence.",
  ALREADY_SIGNED: "Vous avez déjà signé pour ce créneau : une seule signature par demi-journée.",
  MARKED_ABSENT: "Le formateur vous a noté·e absent·e pour ce créneau : adressez-vous à lui s'il doit corriger.",
} as const;

/** "lundi 2 mars 2026 à 08:45" */
const when = (instant: Date) => `${formatLongDate(instant)} à ${formatTime(instant)}`;

/** Why the line is not one a learner or trainer can act on in this slot's session, or null. */
function lineRefusal(line: SheetLine | null, sessionId: string): Refusal<"NOT_ENROLLED" | "NOT_CONFIRMED"> | null {
  if (!line || line.sessionId !== sessionId) return { code: "NOT_ENROLLED", message: MESSAGES.NOT_ENROLLED };
  if (line.status === "CANCELLED") return { code: "NOT_CONFIRMED", message: MESSAGES.CANCELLED };
  if (line.status !== "CONFIRMED") return { code: "NOT_CONFIRMED", message: MESSAGES.NOT_CONFIRMED };
  return null;
}

/**
 * Why `signerUserId` may not sign `line` on this slot's sheet (drawn, typed, code or QR),
 * or null when they may. `line` is the enrolment the form names (null: none found);
 * `existing` the mark already on that line for this slot.
 */
export function learnerSignRefusal(input: {
  slot: SheetSlot & { sessionId: string };
  line: SheetLine | null;
  signerUserId: string;
  existing: ExistingMark | null;
  now: Date;
}): Refusal<LearnerSignRefusalCode> | null {
  const { slot, line, signerUserId, existing, now } = input;
  const state = sheetState(slot, now);
  if (state === "LOCKED") return { code: "LOCKED", message: MESSAGES.LOCKED };
  if (line && line.sessionId === slot.sessionId && line.userId !== signerUserId) return { code: "NOT_YOUR_LINE", message: MESSAGES.NOT_YOUR_LINE };
  const lineProblem = lineRefusal(line, slot.sessionId);
  if (lineProblem) return lineProblem;
  if (state === "UPCOMING") return { code: "FUTURE", message: `L'émargement de ce créneau n'est pas encore ouvert : il ouvrira le ${when(signingOpensAt(slot))}.` };
  if (state === "ENDED") return { code: "CLOSED", message: MESSAGES.CLOSED };
  if (existing?.status === "ABSENT") return { code: "MARKED_ABSENT", message: MESSAGES.MARKED_ABSENT };
  if (existing) return { code: "ALREADY_SIGNED", message: MESSAGES.ALREADY_SIGNED };
  return null;
}

export type TrainerMarkRefusalCode = "NOT_TRAINER" | "LOCKED" | "NOT_ENROLLED" | "NOT_CONFIRMED" | "FUTURE" | "SIGNED_BY_LEARNER";

/**
 * Why the trainer may not mark `line` PRESENT, LATE or ABSENT on this slot's sheet, or null.
 * The trainer marks from the moment the sheet opens until they countersign; a line the
 * learner signed themself may be turned into a late arrival, never into an absence.
 */
export function trainerMarkRefusal(input: {
  slot: SheetSlot & { sessionId: string };
  isSessionTrainer: boolean;
  line: SheetLine | null;
  existing: ExistingMark | null;
  status: AttendanceStatus;
  now: Date;
}): Refusal<TrainerMarkRefusalCode> | null {
  const { slot, line, existing, status, now } = input;
  if (!input.isSessionTrainer) return { code: "NOT_TRAINER", message: "Seul le formateur de la session peut noter les présences." };
  const state = sheetState(slot, now);
  if (state === "LOCKED") return { code: "LOCKED", message: "Cette feuille est verrouillée : seule l'équipe Maillon peut encore la corriger, en indiquant pourquoi." };
  const lineProblem = lineRefusal(line, slot.sessionId);
  if (lineProblem?.code === "NOT_ENROLLED") return { ...lineProblem, message: "Cette personne n'est pas inscrite à cette session." };
  if (lineProblem) return { ...lineProblem, message: "L'inscription de cette personne à la session n'est pas confirmée." };
  if (state === "UPCOMING") return { code: "FUTURE", message: `Ce créneau n'a pas commencé : vous pourrez noter les présences à partir du ${when(signingOpensAt(slot))}.` };
  if (status === "ABSENT" && existing && existing.method !== "TRAINER" && existing.status !== "ABSENT") {
    return { code: "SIGNED_BY_LEARNER", message: "Cette personne a signé elle-même : vous pouvez la noter en retard, pas absente." };
  }
  return null;
}

export type CountersignRefusalCode = "NOT_TRAINER" | "LOCKED" | "TOO_EARLY" | "INCOMPLETE";

/**
 * Why the trainer may not countersign (and lock) this slot's sheet, or null. Every
 * confirmed learner needs a mark first (a signature, a late arrival or an absence).
 */
export function countersignRefusal(input: {
  slot: SheetSlot;
  isSessionTrainer: boolean;
  confirmedEnrolmentIds: readonly string[];
  markedEnrolmentIds: readonly string[];
  now: Date;
}): Refusal<CountersignRefusalCode> | null {
  const { slot, now } = input;
  if (!input.isSessionTrainer) return { code: "NOT_TRAINER", message: "Seul le formateur de la session peut contresigner la feuille." };
  if (slot.lockedAt) return { code: "LOCKED", message: "Cette feuille est déjà contresignée et verrouillée." };
  const opensAt = new Date(slot.endsAt.getTime() - COUNTERSIGN_OPENS_BEFORE_END_MINUTES * MINUTE_MS);
  if (now < opensAt) return { code: "TOO_EARLY", message: `Vous pourrez contresigner en fin de créneau, à partir du ${when(opensAt)}.` };
  const marked = new Set(input.markedEnrolmentIds);
  const missing = input.confirmedEnrolmentIds.filter((id) => !marked.has(id)).length;
  if (missing > 0) {
    const who = missing === 1 ? "1 stagiaire n'a" : `${missing} stagiaires n'ont`;
    return { code: "INCOMPLETE", message: `${who} ni signature ni absence notée : notez leur présence ou leur absence avant de contresigner.` };
  }
  return null;
}

/** Why a correction of a sheet may not be recorded, or null: staff only, with a reason for the audit log. */
export function correctionRefusal(input: { isStaff: boolean; reason: string }): Refusal<"NOT_STAFF" | "REASON_REQUIRED"> | null {
  if (!input.isStaff) return { code: "NOT_STAFF", message: "Seule l'équipe Maillon peut corriger une feuille d'émargement." };
  if (input.reason.trim().length < CORRECTION_REASON_MIN_LENGTH) {
    return { code: "REASON_REQUIRED", message: `Indiquez la raison de la correction (${CORRECTION_REASON_MIN_LENGTH} caractères au moins) : elle est gardée dans le journal.` };
  }
  return null;
}

// ───────────────────────── Hours attended ─────────────────────────

export type SlotSpan = { id: string; startsAt: Date; endsAt: Date };
/**
 * One learner's mark on one slot. `minutesLate` is the delay when one was recorded; the
 * current schema records none, so a late arrival then counts the whole half-day (the
 * trainer saw the learner and let them sign).
 */
export type AttendanceMark = { slotId: string; status: AttendanceStatus; minutesLate?: number | null };

/** Whole minutes the slot lasts (0 when it ends before it starts). */
export const slotMinutes = (slot: { startsAt: Date; endsAt: Date }): number => Math.max(0, Math.floor((slot.endsAt.getTime() - slot.startsAt.getTime()) / MINUTE_MS));

/** Minutes the training planned over these slots. */
export const plannedMinutes = (slots: readonly SlotSpan[]): number => slots.reduce((sum, s) => sum + slotMinutes(s), 0);

/** Minutes one learner attended: PRESENT counts the slot, LATE the slot minus any recorded delay, ABSENT nothing; marks on other slots are ignored. */
export function attendedMinutes(slots: readonly SlotSpan[], marks: readonly AttendanceMark[]): number {
  const markBySlot = new Map(marks.map((m) => [m.slotId, m]));
  return slots.reduce((sum, slot) => {
    const mark = markBySlot.get(slot.id);
    if (!mark || mark.status === "ABSENT") return sum;
    const full = slotMinutes(slot);
    const late = mark.status === "LATE" ? Math.min(full, Math.max(0, Math.floor(mark.minutesLate ?? 0))) : 0;
    return sum + full - late;
  }, 0);
}

/** Hours one learner attended (minutes / 60, not rounded). */
export const hoursAttended = (slots: readonly SlotSpan[], marks: readonly AttendanceMark[]): number => attendedMinutes(slots, marks) / 60;

// ───────────────────────── Signature images ─────────────────────────

const DATA_URL = /^data:(image\/[a-z0-9.+-]+);base64,([A-Za-z0-9+/]+={0,2})$/i;

/** SHA-256 (hex) of a drawn signature's image bytes, or null when `dataUrl` is not a base64 image data URL. */
export function signatureImageHash(dataUrl: string): string | null {
  const match = DATA_URL.exec(dataUrl.trim());
  if (!match) return null;
  const bytes = Buffer.from(match[2]!, "base64");
  return bytes.length ? createHash("sha256").update(bytes).digest("hex") : null;
}

// ───────────────────────── Consistency checks ─────────────────────────

export type CheckedSlot = {
  id: string;
  sessionId: string;
  startsAt: Date;
  endsAt: Date;
  /** Seats of the room (the session's capacity). */
  capacity: number;
  trainerId: string | null;
  trainerSignedAt: Date | null;
  /** Where it takes place, as shown to people ("Maillon Lyon, 8 rue …", "À distance"); null when unknown. */
  place: string | null;
  /** Held in Alsace-Moselle, where Good Friday and 26 December are public holidays too. */
  alsaceMoselle?: boolean;
};

export type CheckedSignature = {
  slotId: string;
  enrolmentId: string;
  status: AttendanceStatus;
  method: SignatureMethod;
  imageHash: string | null;
  signedAt: Date;
};

export type AttendanceFlag =
  | { kind: "OUTSIDE_HOURS"; slotId: string; enrolmentId: string | null; signedAt: Date; label: string }
  | { kind: "PUBLIC_HOLIDAY"; slotId: string; day: string; holiday: string; enrolmentIds: string[]; trainer: boolean; label: string }
  | { kind: "SIGNATURE_REUSED"; imageHash: string; uses: Array<{ slotId: string; enrolmentId: string }>; label: string }
  | { kind: "TRAINER_DOUBLE_BOOKED"; trainerId: string; slotIds: [string, string]; label: string }
  | { kind: "OVER_CAPACITY"; slotId: string; signed: number; capacity: number; label: string };

export type AttendanceFlagKind = AttendanceFlag["kind"];

/** Short French titles for the staff dashboard's groups. */
export const FLAG_TITLES: Record<AttendanceFlagKind, string> = {
  OUTSIDE_HOURS: "Signature hors des horaires du créneau",
  PUBLIC_HOLIDAY: "Émargement un jour férié",
  SIGNATURE_REUSED: "Même image de signature réutilisée",
  TRAINER_DOUBLE_BOOKED: "Formateur à deux endroits en même temps",
  OVER_CAPACITY: "Plus de signatures que de places",
};

/** A signature is one only when the learner was there. */
const isSigned = (s: CheckedSignature) => s.status !== "ABSENT";
const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;
const hours = (slot: { startsAt: Date; endsAt: Date }) => `${formatTime(slot.startsAt)}–${formatTime(slot.endsAt)}`;

/** Signatures (and countersignatures) made earlier or later than the slot's hours allow, with the sheet's margins as tolerance. */
export function outsideHoursFlags(slots: readonly CheckedSlot[], signatures: readonly CheckedSignature[]): AttendanceFlag[] {
  const bySlot = new Map(slots.map((s) => [s.id, s]));
  const outside = (slot: CheckedSlot, at: Date) => at < signingOpensAt(slot) || at > signingClosesAt(slot);
  const label = (who: string, slot: CheckedSlot, at: Date) =>
    `${who} le ${when(at)}, hors du créneau du ${formatLongDate(slot.startsAt)} (${hours(slot)}).`;
  const learners = signatures.flatMap((s): AttendanceFlag[] => {
    const slot = bySlot.get(s.slotId);
    if (!slot || !isSigned(s) || !outside(slot, s.signedAt)) return [];
    return [{ kind: "OUTSIDE_HOURS", slotId: slot.id, enrolmentId: s.enrolmentId, signedAt: s.signedAt, label: label("Signature", slot, s.signedAt) }];
  });
  const trainers = slots.flatMap((slot): AttendanceFlag[] =>
    slot.trainerSignedAt && outside(slot, slot.trainerSignedAt)
      ? [{ kind: "OUTSIDE_HOURS", slotId: slot.id, enrolmentId: null, signedAt: slot.trainerSignedAt, label: label("Contresignature du formateur", slot, slot.trainerSignedAt) }]
      : [],
  );
  return [...learners, ...trainers];
}

/** Signatures or countersignatures made on a French public holiday (Paris calendar day), one flag per slot and holiday. */
export function publicHolidayFlags(slots: readonly CheckedSlot[], signatures: readonly CheckedSignature[]): AttendanceFlag[] {
  return slots.flatMap((slot) => {
    const options = { alsaceMoselle: slot.alsaceMoselle ?? false };
    const found = new Map<string, { holiday: string; at: Date; enrolmentIds: string[]; trainer: boolean }>();
    const note = (at: Date, enrolmentId: string | null) => {
      const holiday = publicHolidayAt(at, options);
      if (!holiday) return;
      const entry = found.get(holiday.day) ?? { holiday: holiday.name, at, enrolmentIds: [], trainer: false };
      if (enrolmentId) entry.enrolmentIds.push(enrolmentId);
      else entry.trainer = true;
      found.set(holiday.day, entry);
    };
    for (const s of signatures) if (s.slotId === slot.id && isSigned(s)) note(s.signedAt, s.enrolmentId);
    if (slot.trainerSignedAt) note(slot.trainerSignedAt, null);
    return [...found].map(([day, e]): AttendanceFlag => {
      const who = [e.enrolmentIds.length ? plural(e.enrolmentIds.length, "signature", "signatures") : null, e.trainer ? "la contresignature du formateur" : null];
      const label = `Émargement un jour férié (${e.holiday}, ${formatLongDate(e.at)}) : ${who.filter(Boolean).join(" et ")}.`;
      return { kind: "PUBLIC_HOLIDAY", slotId: slot.id, day, holiday: e.holiday, enrolmentIds: e.enrolmentIds, trainer: e.trainer, label };
    });
  });
}

/** The same drawn image (by hash) found on more than one line: different people, or one person on several half-days. */
export function reusedSignatureFlags(signatures: readonly CheckedSignature[]): AttendanceFlag[] {
  const byHash = new Map<string, Array<{ slotId: string; enrolmentId: string }>>();
  for (const s of signatures) {
    if (!s.imageHash || !isSigned(s)) continue;
    const uses = byHash.get(s.imageHash) ?? [];
    if (!uses.some((u) => u.slotId === s.slotId && u.enrolmentId === s.enrolmentId)) uses.push({ slotId: s.slotId, enrolmentId: s.enrolmentId });
    byHash.set(s.imageHash, uses);
  }
  return [...byHash].flatMap(([imageHash, uses]): AttendanceFlag[] => {
    if (uses.length < 2) return [];
    const people = new Set(uses.map((u) => u.enrolmentId)).size;
    const halfDays = new Set(uses.map((u) => u.slotId)).size;
    const label = `Même image de signature utilisée ${uses.length} fois (${plural(people, "personne", "personnes")}, ${plural(halfDays, "demi-journée", "demi-journées")}).`;
    return [{ kind: "SIGNATURE_REUSED", imageHash, uses, label }];
  });
}

/** "Maillon Lyon, 8 rue Saint-Jérôme" and "maillon  lyon, 8 Rue Saint-Jérôme" are one place. */
const placeKey = (place: string) => place.normalize("NFC").trim().replace(/\s+/g, " ").toLocaleLowerCase("fr");

/** Two places differ unless both are known and equal: an unknown place cannot clear a trainer. */
const differentPlaces = (a: string | null, b: string | null) => a === null || b === null || placeKey(a) !== placeKey(b);

/** A trainer who countersigned two overlapping slots of different sessions held in different places. */
export function trainerDoubleBookedFlags(slots: readonly CheckedSlot[]): AttendanceFlag[] {
  const countersigned = [...slots]
    .filter((s): s is CheckedSlot & { trainerId: string } => s.trainerId !== null && s.trainerSignedAt !== null)
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  return countersigned.flatMap((a, i) =>
    countersigned.slice(i + 1).flatMap((b): AttendanceFlag[] => {
      const clash = a.trainerId === b.trainerId && a.sessionId !== b.sessionId && a.startsAt < b.endsAt && b.startsAt < a.endsAt;
      if (!clash || !differentPlaces(a.place, b.place)) return [];
      const where = (s: CheckedSlot) => `« ${s.place ?? "lieu non renseigné"} » (${hours(s)})`;
      const label = `Le formateur a contresigné deux créneaux qui se chevauchent le ${formatLongDate(a.startsAt)} : ${where(a)} et ${where(b)}.`;
      return [{ kind: "TRAINER_DOUBLE_BOOKED", trainerId: a.trainerId, slotIds: [a.id, b.id], label }];
    }),
  );
}

/** Slots whose present or late learners outnumber the room's seats. */
export function overCapacityFlags(slots: readonly CheckedSlot[], signatures: readonly CheckedSignature[]): AttendanceFlag[] {
  const signedBySlot = new Map<string, Set<string>>();
  for (const s of signatures) if (isSigned(s)) signedBySlot.set(s.slotId, (signedBySlot.get(s.slotId) ?? new Set()).add(s.enrolmentId));
  return slots.flatMap((slot): AttendanceFlag[] => {
    const signed = signedBySlot.get(slot.id)?.size ?? 0;
    if (signed <= slot.capacity) return [];
    const label = `${plural(signed, "signature", "signatures")} pour ${plural(slot.capacity, "place", "places")} le ${formatLongDate(slot.startsAt)} (${hours(slot)}).`;
    return [{ kind: "OVER_CAPACITY", slotId: slot.id, signed, capacity: slot.capacity, label }];
  });
}

/** Every consistency flag for these slots and their signatures (give all of a trainer's slots in the period to catch double bookings). */
export function attendanceFlags(slots: readonly CheckedSlot[], signatures: readonly CheckedSignature[]): AttendanceFlag[] {
  return [
    ...outsideHoursFlags(slots, signatures),
    ...publicHolidayFlags(slots, signatures),
    ...reusedSignatureFlags(signatures),
    ...trainerDoubleBookedFlags(slots),
    ...overCapacityFlags(slots, signatures),
  ];
}

/** Whether a French postcode lies in Alsace-Moselle (Bas-Rhin 67, Haut-Rhin 68, Moselle 57). */
export const isAlsaceMoselle = (postcode: string | null): boolean => postcode !== null && /^(57|67|68)\d{3}$/.test(postcode.trim());

// ───────────────────────── Typed confirmation ─────────────────────────

/** A name reduced to its letters and digits, lower case, without accents: "Zoë O'Brien" → "zoe o brien". */
const nameKey = (name: string) =>
  name
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLocaleLowerCase("fr")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();

/** Whether a typed confirmation names the logged-in person (accents, case and punctuation aside). */
export const typedNameMatches = (typed: string, accountName: string): boolean => {
  const key = nameKey(typed);
  return key.length > 0 && key === nameKey(accountName);
};
