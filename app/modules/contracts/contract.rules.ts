/**
 * The contrat de formation of a person who pays for themself (Code du travail L6353-3 to
 * L6353-7): when the withdrawal period ends, how much is charged when, what happens to a
 * charge that fails. Pure functions over plain data (contract.rules.test.ts).
 */
import { publicHolidayOnDay, calendarDay } from "~/modules/attendance/holidays";
import { addCalendarDays, parisDayStart, weekdayOf } from "~/utils/dates";

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

/** L6353-5: ten days from the signature (the acceptance online). */
export const WITHDRAWAL_DAYS = 10;
/** L6353-6: at most 30 % of the price may be paid when the withdrawal period ends. */
export const DEPOSIT_PERCENT = 30;
/** A charge that fails keeps the seat this long, and is tried again once a day meanwhile. */
export const CHARGE_GRACE_DAYS = 3;
export const CHARGE_RETRY_MS = DAY_MS;
/** A claim on a charge older than this is taken to be a crashed run: claimed again, with the same idempotency key. */
export const CHARGE_CLAIM_STALE_MS = 10 * 60_000;
/** Written as the enrolment's cancel reason. */
export const WITHDRAWAL_REASON = "rétractation (article L6353-5 du Code du travail)";
export const CHARGE_FAILED_REASON = "le prélèvement sur votre carte a échoué et n'a pas pu être régularisé";

const isWorkingDay = (day: string): boolean => {
  const weekday = weekdayOf(day);
  return weekday !== 0 && weekday !== 6 && publicHolidayOnDay(day) === null;
};

/**
 * The withdrawal period of a contract accepted at `acceptedAt`. The day of acceptance does
 * not count; the period runs until the end of the tenth Paris calendar day after it (a
 * contract accepted on 2 March, any hour, may be withdrawn until 12 March, 23:59:59 Paris).
 * A tenth day that is a Saturday, a Sunday or a public holiday is carried to the next
 * working day, as French deadlines are (code de procédure civile, art. 641 and 642). The
 * answer is the first instant the withdrawal is no longer possible: 00:00 Paris the day after.
 */
export function withdrawalPeriodEnd(acceptedAt: Date): Date {
  let lastDay = addCalendarDays(calendarDay(acceptedAt), WITHDRAWAL_DAYS);
  while (!isWorkingDay(lastDay)) lastDay = addCalendarDays(lastDay, 1);
  return parisDayStart(addCalendarDays(lastDay, 1));
}

/** The last day of the period, for people ("jeudi 12 mars 2026"): the day before the end. */
export const withdrawalLastInstant = (periodEnd: Date): Date => new Date(periodEnd.getTime() - 1);

export const canWithdraw = (contract: { acceptedAt: Date | null; withdrawnAt: Date | null; withdrawalEndsAt: Date | null }, now: Date): boolean =>
  !!contract.acceptedAt && !contract.withdrawnAt && !!contract.withdrawalEndsAt && now.getTime() < contract.withdrawalEndsAt.getTime();

export type ChargeKind = "DEPOSIT" | "BALANCE";
export type PlannedCharge = { kind: ChargeKind; amountCents: number; dueAt: Date };

/**
 * What is charged when (L6353-6): nothing before the period ends; at its end, 30 % of the
 * price (rounded down to the cent); the balance when the training is over, and never on the
 * day the period ends even for a training already over then, so that no more than 30 % is
 * ever taken at the end of the period. Charging the balance once the whole action is
 * delivered is later than "as the action goes", so the learner never pays ahead.
 */
export function chargePlan(input: { priceCents: number; periodEnd: Date; lastSlotEndsAt: Date | null }): PlannedCharge[] {
  const { priceCents, periodEnd } = input;
  if (priceCents <= 0) return [];
  const deposit = Math.floor((priceCents * DEPOSIT_PERCENT) / 100);
  const balanceDue = new Date(Math.max(input.lastSlotEndsAt?.getTime() ?? 0, periodEnd.getTime() + DAY_MS));
  return [
    ...(deposit > 0 ? [{ kind: "DEPOSIT" as const, amountCents: deposit, dueAt: periodEnd }] : []),
    { kind: "BALANCE" as const, amountCents: priceCents - deposit, dueAt: balanceDue },
  ];
}

/** The period runs past the start of the session: the page and the contract say what that means. */
export const periodOutlastsStart = (periodEnd: Date, firstSlotStartsAt: Date | null): boolean =>
  !!firstSlotStartsAt && firstSlotStartsAt.getTime() < periodEnd.getTime();

/** Until when a seat is kept after the first failed charge. */
export const graceEnd = (firstFailureAt: Date): Date => new Date(firstFailureAt.getTime() + CHARGE_GRACE_DAYS * DAY_MS);

/** When a failed charge is tried again: a day later, but not after the grace ends (then the seat goes). */
export function nextChargeAttempt(failedAt: Date, graceEndsAt: Date): Date | null {
  const next = failedAt.getTime() + CHARGE_RETRY_MS;
  return next < graceEndsAt.getTime() ? new Date(next) : null;
}

/**
 * A charge whose grace is over without payment: a deposit frees the seat when the session has
 * not begun (someone on the waiting list can take it); otherwise (the balance, or a session
 * already under way) the seat stays and staff recover the debt.
 */
export const releaseSeatOnUnpaid = (kind: ChargeKind, firstSlotStartsAt: Date | null, now: Date): boolean =>
  kind === "DEPOSIT" && (!firstSlotStartsAt || firstSlotStartsAt.getTime() > now.getTime());

export const chargeIdempotencyKey = (chargeId: string, attempt: number): string => `maillon-charge-${chargeId}-${attempt}`;


/** The learner's page of the contract of an enrolment. */
export const contractPath = (enrolmentId: string) => `/mon-espace/inscriptions/${encodeURIComponent(enrolmentId)}/contrat`;
