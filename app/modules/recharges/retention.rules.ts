/** When a beneficiary record has outlived its purpose: pure, tested (retention.rules.test.ts). */

/** The instant `months` calendar months before `now` (clamped to the month's last day). */
export function monthsBefore(now: Date, months: number): Date {
  const d = new Date(now);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/** A record is purged once its last issue (or its creation, if it never received one) is older than the cutoff. */
export const isBeyondRetention = (record: { lastIssuedAt: Date | null; createdAt: Date }, cutoff: Date): boolean =>
  (record.lastIssuedAt ?? record.createdAt) < cutoff;
