/**
 * Certificate rules, pure and tested in certificate.rules.test.ts: who gets which
 * certificate when a session closes, the human-readable number ("MAI-2026-000123",
 * sequential per year of issue in Paris), the verification code printed beside the QR code,
 * expiry from the module's validity, the re-certification reminder a month before, and
 * the status at a given time.
 *
 * Expiry counts from the last day of training (`endsOn`), not from the issue date, so a
 * certificate issued again later never lasts longer than the first one.
 */
import { randomBytes } from "node:crypto";
import { calendarDay } from "~/modules/attendance/holidays";
import { parisInstant } from "~/modules/training/sessions.rules";

export type CertificateKind = "COMPLETION" | "END_OF_TRAINING";
export type CertificateStatus = "VALID" | "EXPIRED" | "REVOKED" | "SUPERSEDED";

export const CERTIFICATE_PREFIX = "MAI";
const SEQUENCE_DIGITS = 6;
const MAX_SEQUENCE = 10 ** SEQUENCE_DIGITS - 1;
/** A revocation must say why, in at least this many characters. */
export const REVOCATION_REASON_MIN_LENGTH = 10;

export const CERTIFICATE_KIND_LABELS: Record<CertificateKind, string> = {
  COMPLETION: "Certificat de réalisation",
  END_OF_TRAINING: "Attestation de fin de formation",
};

export const CERTIFICATE_STATUS_LABELS: Record<CertificateStatus, string> = {
  VALID: "Valide",
  EXPIRED: "Expiré",
  REVOKED: "Révoqué",
  SUPERSEDED: "Remplacé par un certificat plus récent",
};

// ───────────────────────── Who gets what ─────────────────────────

export type CertificateDue = { kind: CertificateKind; attendedMinutes: number; objectivesReached: boolean | null };

/**
 * The certificates one enrolment earns: none before the session is closed, for a seat not
 * confirmed, or with no minute attended; otherwise a certificat de réalisation (hours
 * actually attended) and an attestation de fin de formation (objectives reached, not
 * reached, or not assessed: null).
 */
export function certificatesDue(input: {
  sessionStatus: "SCHEDULED" | "CANCELLED" | "CLOSED";
  enrolmentStatus: "PENDING_PAYMENT" | "CONFIRMED" | "WAITLISTED" | "OFFERED" | "CANCELLED";
  attendedMinutes: number;
  objectivesReached: boolean | null;
}): CertificateDue[] {
  if (input.sessionStatus !== "CLOSED" || input.enrolmentStatus !== "CONFIRMED" || !(input.attendedMinutes > 0)) return [];
  const { attendedMinutes, objectivesReached } = input;
  return [
    { kind: "COMPLETION", attendedMinutes, objectivesReached },
    { kind: "END_OF_TRAINING", attendedMinutes, objectivesReached },
  ];
}

/** The assessment result as printed on the attestation. */
export function objectivesLabel(objectivesReached: boolean | null): string {
  if (objectivesReached === null) return "Évaluation des acquis non renseignée";
  return objectivesReached ? "Objectifs atteints" : "Objectifs non atteints";
}

/** 420 → "7 h", 390 → "6 h 30", 5 → "0 h 05". */
export function formatAttendedDuration(minutes: number): string {
  const whole = Math.max(0, Math.floor(minutes));
  const rest = whole % 60;
  return rest === 0 ? `${Math.floor(whole / 60)} h` : `${Math.floor(whole / 60)} h ${String(rest).padStart(2, "0")}`;
}

// ───────────────────────── Numbers ─────────────────────────

/** The year (Paris calendar) a certificate issued at `issuedAt` is numbered in. */
export const certificateYear = (issuedAt: Date): number => Number(calendarDay(issuedAt).slice(0, 4));

/** "MAI-2026-000123" from year 2026 and sequence 123; throws a RangeError outside 1–999 999. */
export function formatCertificateNumber(year: number, sequence: number, prefix = CERTIFICATE_PREFIX): string {
  if (!Number.isInteger(year) || year < 2000 || year > 9999) throw new RangeError(`Certificate year out of range: ${year}`);
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_SEQUENCE) throw new RangeError(`Certificate sequence out of range: ${sequence}`);
  return `${prefix}-${year}-${String(sequence).padStart(SEQUENCE_DIGITS, "0")}`;
}

export type CertificateNumber = { prefix: string; year: number; sequence: number; number: string };

/**
 * Reads a number as people type it from paper ("mai 2026 123", "MAI–2026–000123"), giving
 * back its canonical form; null when it is not one of ours.
 */
export function parseCertificateNumber(input: string, prefix = CERTIFICATE_PREFIX): CertificateNumber | null {
  const cleaned = input.normalize("NFKC").trim().toUpperCase().replace(/[\s\u2010-\u2015_.\/-]+/g, "-");
  const match = /^([A-Z]+)-(\d{4})-(\d{1,6})$/.exec(cleaned);
  if (!match || match[1] !== prefix) return null;
  const year = Number(match[2]);
  const sequence = Number(match[3]);
  if (year < 2000 || sequence < 1) return null;
  return { prefix, year, sequence, number: formatCertificateNumber(year, sequence, prefix) };
}

// ───────────────────────── Verification codes ─────────────────────────

/** Crockford's base 32: no I, L, O, U, so a code read aloud or from paper is not misread. */
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_LENGTH = 16;

/** A fresh random verification code (80 bits), "7KQH-2M9X-PD4R-W0ZB". */
export function generateVerificationCode(): string {
  const bytes = randomBytes(CODE_LENGTH);
  const chars = [...bytes].map((b) => CROCKFORD[b & 31]);
  return chars.join("").replace(/(.{4})(?!$)/g, "$1-");
}

/** A typed code in canonical form (upper case, dashes every 4, O→0, I/L→1), or null when it cannot be one. */
export function normaliseVerificationCode(input: string): string | null {
  const compact = input.normalize("NFKC").toUpperCase().replace(/[\s\u2010-\u2015-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  if (compact.length !== CODE_LENGTH || [...compact].some((c) => !CROCKFORD.includes(c))) return null;
  return compact.replace(/(.{4})(?!$)/g, "$1-");
}

// ───────────────────────── Expiry and status ─────────────────────────

/** "2026-01-31" plus one month is "2026-02-28": the day is clamped to the target month's length. */
export function addCalendarMonths(day: string, months: number): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(target.getUTCFullYear(), 4)}-${pad(target.getUTCMonth() + 1)}-${pad(Math.min(d, lastDay))}`;
}

/** Midnight in Paris at the start of calendar day `day`. */
const parisMidnight = (day: string): Date => parisInstant(day, "00:00")!;

/**
 * When a certificate stops being valid: midnight (Paris) starting the day `validityMonths`
 * after the last day of training; null when the module's certificates do not expire.
 */
export function certificateExpiresAt(endsOn: Date, validityMonths: number | null): Date | null {
  if (validityMonths === null) return null;
  if (!Number.isInteger(validityMonths) || validityMonths < 1) throw new RangeError(`Validity must be a whole number of months: ${validityMonths}`);
  return parisMidnight(addCalendarMonths(calendarDay(endsOn), validityMonths));
}

/** The last calendar day (Paris) on which a certificate expiring at `expiresAt` is still valid, "YYYY-MM-DD". */
export const lastValidDay = (expiresAt: Date): string => calendarDay(new Date(expiresAt.getTime() - 1));

/** When to remind the holder to re-certify: midnight (Paris) one calendar month before expiry. */
export const recertificationReminderAt = (expiresAt: Date): Date => parisMidnight(addCalendarMonths(calendarDay(expiresAt), -1));

export type CertificateDates = { issuedAt: Date; expiresAt: Date | null; revokedAt: Date | null; supersededAt: Date | null };

/** The status at `at`: revoked first, then superseded (issued again), then expired, else valid. */
export function certificateStatus(cert: CertificateDates, at: Date): CertificateStatus {
  if (cert.revokedAt && cert.revokedAt <= at) return "REVOKED";
  if (cert.supersededAt && cert.supersededAt <= at) return "SUPERSEDED";
  if (cert.expiresAt && cert.expiresAt <= at) return "EXPIRED";
  return "VALID";
}

/** Whether the re-certification reminder is due at `now`: a valid, expiring certificate within its last month. */
export function isRecertificationReminderDue(cert: CertificateDates, now: Date): boolean {
  if (!cert.expiresAt || certificateStatus(cert, now) !== "VALID") return false;
  return now >= recertificationReminderAt(cert.expiresAt);
}

/** Why a certificate may not be revoked now, or null: once only, and with a reason kept with it. */
export function revocationRefusal(cert: { revokedAt: Date | null }, reason: string): string | null {
  if (cert.revokedAt) return "Ce certificat est déjà révoqué.";
  if (reason.trim().length < REVOCATION_REASON_MIN_LENGTH) {
    return `Indiquez la raison de la révocation (${REVOCATION_REASON_MIN_LENGTH} caractères au moins) : elle est conservée avec le certificat.`;
  }
  return null;
}
