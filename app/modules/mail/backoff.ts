/**
 * When to try a mail again after a failed attempt. Delays double from 30 s up to 1 h, and
 * the worker gives up after MAX_SEND_ATTEMPTS: about a day of trying, so an SMTP outage of
 * several hours loses nothing. The random part spreads the retries of mails that failed
 * together (an outage) so they do not all hit the server again at the same instant.
 */
export const FIRST_RETRY_DELAY_MS = 30_000;
export const MAX_RETRY_DELAY_MS = 60 * 60_000;
export const MAX_SEND_ATTEMPTS = 30;
/** Each delay is drawn between this share of its nominal value and the nominal value. */
const JITTER_FLOOR = 0.8;

export type RetryDecision = { giveUp: true } | { giveUp: false; nextAttemptAt: Date };

/** The nominal wait after the n-th failed attempt (n ≥ 1): 30 s, 1 min, 2 min… at most 1 h. */
export function nominalRetryDelayMs(failedAttempts: number): number {
  const doublings = Math.min(Math.max(failedAttempts - 1, 0), 30);
  return Math.min(FIRST_RETRY_DELAY_MS * 2 ** doublings, MAX_RETRY_DELAY_MS);
}

/** `random` returns a number in [0, 1), like Math.random (tests pass a fixed one). */
export function decideRetry(failedAttempts: number, now: Date, random: () => number = Math.random): RetryDecision {
  if (failedAttempts >= MAX_SEND_ATTEMPTS) return { giveUp: true };
  const nominal = nominalRetryDelayMs(failedAttempts);
  const delay = Math.round(nominal * (JITTER_FLOOR + (1 - JITTER_FLOOR) * random()));
  return { giveUp: false, nextAttemptAt: new Date(now.getTime() + delay) };
}
