import { describe, expect, it } from "vitest";
import { canWithdraw, chargePlan, graceEnd, nextChargeAttempt, periodOutlastsStart, releaseSeatOnUnpaid, withdrawalPeriodEnd } from "./contract.rules";

const paris = (local: string, offset: "+01:00" | "+02:00") => new Date(`${local}${offset}`);

describe("the withdrawal period (ten Paris calendar days after the acceptance day)", () => {
  it("ends at 00:00 Paris after the tenth day, whatever the hour of acceptance", () => {
    // Monday 2 March 2026: the tenth day is Thursday 12 March.
    const end = paris("2026-03-13T00:00:00", "+01:00");
    expect(withdrawalPeriodEnd(paris("2026-03-02T00:00:30", "+01:00"))).toEqual(end);
    expect(withdrawalPeriodEnd(paris("2026-03-02T23:59:00", "+01:00"))).toEqual(end);
  });

  it("day 10 at 23:59 Paris may still withdraw; the first minute after may not", () => {
    const accepted = paris("2026-03-02T15:00:00", "+01:00");
    const contract = { acceptedAt: accepted, withdrawnAt: null, withdrawalEndsAt: withdrawalPeriodEnd(accepted) };
    expect(canWithdraw(contract, paris("2026-03-12T23:59:00", "+01:00"))).toBe(true);
    expect(canWithdraw(contract, paris("2026-03-12T23:59:59.999", "+01:00"))).toBe(true);
    expect(canWithdraw(contract, paris("2026-03-13T00:00:00", "+01:00"))).toBe(false);
    expect(canWithdraw(contract, paris("2026-03-13T00:01:00", "+01:00"))).toBe(false);
  });

  it("counts Paris days across the spring clock change (UTC+1 to UTC+2)", () => {
    // Accepted Friday 20 March 2026 at 23:30 Paris (22:30 UTC); clocks go forward on 29 March;
    // the tenth day is Monday 30 March, which ends at 00:00 Paris summer time (22:00 UTC).
    const end = withdrawalPeriodEnd(new Date("2026-03-20T22:30:00Z"));
    expect(end.toISOString()).toBe("2026-03-30T22:00:00.000Z");
    expect(canWithdraw({ acceptedAt: new Date(), withdrawnAt: null, withdrawalEndsAt: end }, paris("2026-03-30T23:59:00", "+02:00"))).toBe(true);
    expect(canWithdraw({ acceptedAt: new Date(), withdrawnAt: null, withdrawalEndsAt: end }, paris("2026-03-31T00:00:00", "+02:00"))).toBe(false);
  });

  it("counts Paris days across the autumn clock change, and a late-evening UTC instant belongs to the next Paris day", () => {
    // 20 October 2026 at 22:30 UTC is already 21 October 00:30 in Paris (UTC+2): day 10 is 31 October, a Saturday,
    // carried to Monday 2 November (1 November is a Sunday and All Saints' Day). Clocks go back on 25 October.
    const end = withdrawalPeriodEnd(new Date("2026-10-20T22:30:00Z"));
    expect(end).toEqual(paris("2026-11-03T00:00:00", "+01:00"));
  });

  it("carries a tenth day on a weekend or a public holiday to the next working day", () => {
    // Accepted Wednesday 22 April 2026: the tenth day is Saturday 2 May → Monday 4 May.
    expect(withdrawalPeriodEnd(paris("2026-04-22T10:00:00", "+02:00"))).toEqual(paris("2026-05-05T00:00:00", "+02:00"));
    // Accepted Friday 1 May 2026: the tenth day is Monday 11 May, worked; 14 May (Ascension) does not matter.
    expect(withdrawalPeriodEnd(paris("2026-05-01T10:00:00", "+02:00"))).toEqual(paris("2026-05-12T00:00:00", "+02:00"));
    // Accepted 4 May 2026: the tenth day is Thursday 14 May, Ascension → Friday 15 May.
    expect(withdrawalPeriodEnd(paris("2026-05-04T10:00:00", "+02:00"))).toEqual(paris("2026-05-16T00:00:00", "+02:00"));
  });

  it("is closed once withdrawn or never accepted", () => {
    const end = paris("2026-03-13T00:00:00", "+01:00");
    const now = paris("2026-03-05T12:00:00", "+01:00");
    expect(canWithdraw({ acceptedAt: null, withdrawnAt: null, withdrawalEndsAt: null }, now)).toBe(false);
    expect(canWithdraw({ acceptedAt: now, withdrawnAt: now, withdrawalEndsAt: end }, now)).toBe(false);
  });
});

describe("what is charged when (L6353-6)", () => {
  const periodEnd = paris("2026-03-13T00:00:00", "+01:00");

  it("charges 30 % at the end of the period and the balance when the training is over", () => {
    const lastSlotEndsAt = paris("2026-04-10T17:00:00", "+02:00");
    expect(chargePlan({ priceCents: 18_050, periodEnd, lastSlotEndsAt })).toEqual([
      { kind: "DEPOSIT", amountCents: 5_415, dueAt: periodEnd },
      { kind: "BALANCE", amountCents: 12_635, dueAt: lastSlotEndsAt },
    ]);
  });

  it("rounds the deposit down, so it never exceeds 30 %, and the two add up to the price", () => {
    const plan = chargePlan({ priceCents: 33_333, periodEnd, lastSlotEndsAt: null });
    expect(plan.map((c) => c.amountCents)).toEqual([9_999, 23_334]);
    expect(plan[0]!.amountCents / 33_333).toBeLessThanOrEqual(0.3);
  });

  it("never takes the balance on the day the period ends, even for a training already over", () => {
    const lastSlotEndsAt = paris("2026-03-06T17:00:00", "+01:00");
    const plan = chargePlan({ priceCents: 10_000, periodEnd, lastSlotEndsAt });
    expect(plan[1]).toEqual({ kind: "BALANCE", amountCents: 7_000, dueAt: paris("2026-03-14T00:00:00", "+01:00") });
    expect(periodOutlastsStart(periodEnd, paris("2026-03-06T09:00:00", "+01:00"))).toBe(true);
    expect(periodOutlastsStart(periodEnd, paris("2026-04-06T09:00:00", "+02:00"))).toBe(false);
  });

  it("charges nothing for a free seat, and only the balance for a price too small to split", () => {
    expect(chargePlan({ priceCents: 0, periodEnd, lastSlotEndsAt: null })).toEqual([]);
    expect(chargePlan({ priceCents: 3, periodEnd, lastSlotEndsAt: null }).map((c) => [c.kind, c.amountCents])).toEqual([["BALANCE", 3]]);
  });
});

describe("a charge that fails", () => {
  const failedAt = new Date("2026-03-13T00:05:00Z");
  const end = graceEnd(failedAt);

  it("keeps the seat three days and tries again once a day meanwhile", () => {
    expect(end).toEqual(new Date("2026-03-16T00:05:00Z"));
    expect(nextChargeAttempt(failedAt, end)).toEqual(new Date("2026-03-14T00:05:00Z"));
    expect(nextChargeAttempt(new Date("2026-03-15T00:05:00Z"), end)).toBeNull();
  });

  it("frees the seat for an unpaid deposit before the session, never for the balance nor a session under way", () => {
    const now = new Date("2026-03-16T00:05:00Z");
    expect(releaseSeatOnUnpaid("DEPOSIT", new Date("2026-03-20T08:00:00Z"), now)).toBe(true);
    expect(releaseSeatOnUnpaid("DEPOSIT", new Date("2026-03-15T08:00:00Z"), now)).toBe(false);
    expect(releaseSeatOnUnpaid("BALANCE", new Date("2026-03-20T08:00:00Z"), now)).toBe(false);
  });
});
