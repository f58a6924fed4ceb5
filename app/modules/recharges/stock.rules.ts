/**
 * What a code in stock is worth to a beneficiary: pure, tested (stock.rules.test.ts).
 *
 * `RechargeCode.expiresAt` is the first instant the code no longer works: the CSV import turns
 * "valid through 31 March" into the end of that day in Paris (code-csv.rules.ts `parseExpiry`),
 * and a code is usable while `expiresAt > now`. So the last day it can be used is the Paris day
 * of the millisecond before `expiresAt`.
 */

/** Codes expiring within this many days are listed apart, to be issued first or claimed back from the operator. */
export const EXPIRING_SOON_DAYS = 30;

/** Bounds of a product's least validity left for a code to be issued (`RechargeProduct.minValidityDays`). */
export const MIN_VALIDITY_DAYS_MAX = 90;

const DAY_MS = 86_400_000;

/**
 * A code is issued only if it expires after this instant: it then leaves the beneficiary at
 * least `minValidityDays` days after today (0: any code not yet expired).
 */
export const issuableAfter = (now: Date, minValidityDays: number): Date => new Date(now.getTime() + minValidityDays * DAY_MS);

export type CodeStanding = "ISSUABLE" | "TO_CLEAR" | "EXPIRED";

/** Issuable; still valid but too close to its end to be given ("à écouler"); or expired. */
export function codeStanding(expiresAt: Date, now: Date, minValidityDays: number): CodeStanding {
  if (expiresAt.getTime() <= now.getTime()) return "EXPIRED";
  return expiresAt.getTime() > issuableAfter(now, minValidityDays).getTime() ? "ISSUABLE" : "TO_CLEAR";
}

/** An instant within the last day the code can be used (format it in Paris time: "valable jusqu'au … inclus"). */
export const lastValidDay = (expiresAt: Date): Date => new Date(expiresAt.getTime() - 1);
