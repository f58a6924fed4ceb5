/**
 * Failed-login throttling: growing delays per IP and per account, never a lock that lasts.
 * After FREE_ATTEMPTS failures each new failure doubles the wait, up to a cap; a quiet
 * period forgets the failures. An attempt made while waiting counts as a failure too (its
 * password is not even checked), so hammering only makes the wait grow, up to the cap. The
 * cap per account is short: an attacker can slow an account down, never lock its owner out.
 * Every attempt is counted as a failure before its password is checked (so parallel
 * attempts cannot all slip through); a success then takes back what its own address
 * counted against the account, never the other addresses' failures.
 */
export const FREE_ATTEMPTS = 3;
export const FORGET_AFTER_MS = 15 * 60_000;
export const MAX_DELAY_MS = { ip: 15 * 60_000, account: 2 * 60_000 } as const;

export type ThrottleKind = keyof typeof MAX_DELAY_MS;
export type ThrottleState = { failures: number; lastFailureAt: Date; blockedUntil: Date };

export function delayAfter(failures: number, kind: ThrottleKind): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(1000 * 2 ** (failures - FREE_ATTEMPTS), MAX_DELAY_MS[kind]);
}

export function afterFailure(prev: ThrottleState | null, now: Date, kind: ThrottleKind): ThrottleState {
  const stale = !prev || now.getTime() - prev.lastFailureAt.getTime() > FORGET_AFTER_MS;
  const failures = (stale ? 0 : prev.failures) + 1;
  return { failures, lastFailureAt: now, blockedUntil: new Date(now.getTime() + delayAfter(failures, kind)) };
}

/** Milliseconds still to wait before another attempt is examined (0: go ahead). */
export function waitRemaining(state: ThrottleState | null, now: Date): number {
  // Below the free attempts nothing waits, whatever the stamps of attempts made in parallel say.
  if (!state || state.failures < FREE_ATTEMPTS) return 0;
  return Math.max(0, state.blockedUntil.getTime() - now.getTime());
}

/** The state once `removed` failures are taken back (a success refunds its own address's). */
export function afterRefund(prev: ThrottleState, removed: number, kind: ThrottleKind): ThrottleState {
  const failures = Math.max(0, prev.failures - removed);
  return { failures, lastFailureAt: prev.lastFailureAt, blockedUntil: new Date(prev.lastFailureAt.getTime() + delayAfter(failures, kind)) };
}

/** A failure confirmed at `at` (its password checked and wrong): the wait runs from then, not from when it began. */
export function restamped(prev: ThrottleState, at: Date, kind: ThrottleKind): ThrottleState {
  const lastFailureAt = new Date(Math.max(prev.lastFailureAt.getTime(), at.getTime()));
  const delay = delayAfter(prev.failures, kind);
  const blockedUntil = delay > 0 ? new Date(Math.max(prev.blockedUntil.getTime(), at.getTime() + delay)) : prev.blockedUntil;
  return { failures: prev.failures, lastFailureAt, blockedUntil };
}
