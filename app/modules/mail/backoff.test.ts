import { describe, expect, it } from "vitest";
import { decideRetry, FIRST_RETRY_DELAY_MS, MAX_RETRY_DELAY_MS, MAX_SEND_ATTEMPTS, nominalRetryDelayMs } from "./backoff";

const now = new Date("2026-03-02T08:00:00Z");
const HOUR = 60 * 60_000;
const delayOf = (failedAttempts: number, random: () => number) => {
  const decision = decideRetry(failedAttempts, now, random);
  if (decision.giveUp) throw new Error(`gave up after ${failedAttempts} attempts`);
  return decision.nextAttemptAt.getTime() - now.getTime();
};

describe("mail retry delays", () => {
  it("double from 30 seconds and stop growing at one hour", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map(nominalRetryDelayMs)).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, HOUR, HOUR,
    ]);
    expect(nominalRetryDelayMs(1000)).toBe(MAX_RETRY_DELAY_MS);
  });

  it("spread retries randomly, never above the nominal delay nor below 80 % of it", () => {
    for (const attempts of [1, 4, 8, MAX_SEND_ATTEMPTS - 1]) {
      const nominal = nominalRetryDelayMs(attempts);
      expect(delayOf(attempts, () => 0)).toBe(Math.round(nominal * 0.8));
      expect(delayOf(attempts, () => 0.999999)).toBeLessThanOrEqual(nominal);
      expect(delayOf(attempts, () => 0.999999)).toBeGreaterThan(nominal * 0.99);
    }
    expect(delayOf(1, () => 0)).toBeGreaterThanOrEqual(FIRST_RETRY_DELAY_MS * 0.8);
  });

  it("give up after the last attempt, not before", () => {
    expect(decideRetry(MAX_SEND_ATTEMPTS - 1, now).giveUp).toBe(false);
    expect(decideRetry(MAX_SEND_ATTEMPTS, now)).toEqual({ giveUp: true });
    expect(decideRetry(MAX_SEND_ATTEMPTS + 5, now)).toEqual({ giveUp: true });
  });

  it("keep a mail alive through an SMTP outage of many hours (about a day of retries)", () => {
    const shortestTotal = (random: () => number) => {
      let total = 0;
      for (let attempts = 1; attempts < MAX_SEND_ATTEMPTS; attempts++) total += delayOf(attempts, random);
      return total;
    };
    expect(shortestTotal(() => 0)).toBeGreaterThan(18 * HOUR);
    expect(shortestTotal(() => 0.999999)).toBeLessThan(25 * HOUR);
  });
});
