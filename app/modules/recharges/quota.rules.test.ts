import { describe, expect, it } from "vitest";
import { balanceKey, isPeriod, moveRefusal, nextPeriod, replayLedger } from "./quota.rules";

const k = { relayId: "r1", productId: "p1", period: "2026-11" };

describe("replayLedger", () => {
  it("sums deltas per relay, product and month", () => {
    const balances = replayLedger([
      { ...k, delta: 10 },
      { ...k, delta: -1 },
      { ...k, relayId: "r2", delta: 3 },
      { ...k, delta: -2 },
      { ...k, period: "2026-12", delta: 7 },
    ]);
    expect(balances.get(balanceKey(k))).toBe(7);
    expect(balances.get(balanceKey({ ...k, relayId: "r2" }))).toBe(3);
    expect(balances.get(balanceKey({ ...k, period: "2026-12" }))).toBe(7);
  });

  it("refuses a ledger in which a balance went below zero", () => {
    expect(() => replayLedger([{ ...k, delta: 1 }, { ...k, delta: -2 }])).toThrow(/négatif/);
  });
});

describe("periods and moves", () => {
  it.each([["2026-11", "2026-12"], ["2026-12", "2027-01"], ["2027-01", "2027-02"]])("%s → %s", (p, next) => expect(nextPeriod(p)).toBe(next));
  it.each([["2026-11", true], ["2026-13", false], ["26-11", false], ["2026-1", false]])("isPeriod(%s) = %s", (p, ok) => expect(isPeriod(p)).toBe(ok));

  it.each<[string, Parameters<typeof moveRefusal>[0], RegExp | null]>([
    ["a valid move", { fromRelayId: "a", toRelayId: "b", units: 2, available: 2, reason: "Besoin urgent" }, null],
    ["to itself", { fromRelayId: "a", toRelayId: "a", units: 1, available: 2, reason: "Besoin urgent" }, /différents/],
    ["zero units", { fromRelayId: "a", toRelayId: "b", units: 0, available: 2, reason: "Besoin urgent" }, /au moins 1/],
    ["more than available", { fromRelayId: "a", toRelayId: "b", units: 3, available: 2, reason: "Besoin urgent" }, /que 2/],
    ["no reason", { fromRelayId: "a", toRelayId: "b", units: 1, available: 2, reason: " " }, /raison/],
  ])("%s", (_l, input, expected) => {
    const r = moveRefusal(input);
    if (expected) expect(r).toMatch(expected);
    else expect(r).toBeNull();
  });
});
