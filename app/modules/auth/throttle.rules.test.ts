import { describe, expect, it } from "vitest";
import { afterFailure, afterRefund, delayAfter, restamped, FORGET_AFTER_MS, MAX_DELAY_MS, waitRemaining } from "./throttle.rules";

const t0 = new Date("2026-11-22T10:00:00Z");
const later = (ms: number) => new Date(t0.getTime() + ms);

describe("login throttling", () => {
  it.each([
    [1, 0],
    [2, 0],
    [3, 1000],
    [4, 2000],
    [5, 4000],
    [10, 128_000],
  ])("after %i failures an IP waits %i ms", (failures, ms) => {
    expect(delayAfter(failures, "ip")).toBe(ms);
  });

  it("caps the delay, so no failure count locks anyone out for long", () => {
    expect(delayAfter(1000, "ip")).toBe(MAX_DELAY_MS.ip);
    expect(delayAfter(1000, "account")).toBe(MAX_DELAY_MS.account);
    expect(MAX_DELAY_MS.account).toBeLessThanOrEqual(2 * 60_000);
  });

  it("grows with consecutive failures and tells how long to wait", () => {
    let state = null;
    for (let i = 0; i < 5; i++) state = afterFailure(state, t0, "account");
    expect(state!.failures).toBe(5);
    expect(waitRemaining(state, t0)).toBe(4000);
    expect(waitRemaining(state, later(4000))).toBe(0);
  });

  it("forgets failures after a quiet period", () => {
    let state = null;
    for (let i = 0; i < 6; i++) state = afterFailure(state, t0, "ip");
    const next = afterFailure(state, later(FORGET_AFTER_MS + 1), "ip");
    expect(next.failures).toBe(1);
    expect(waitRemaining(next, later(FORGET_AFTER_MS + 1))).toBe(0);
  });
});

describe("a success's refund", () => {
  it("takes back only the failures given, and the wait shrinks to match", () => {
    let state = null;
    for (let i = 0; i < 6; i++) state = afterFailure(state, t0, "account");
    const refunded = afterRefund(state!, 2, "account");
    expect(refunded.failures).toBe(4);
    expect(waitRemaining(refunded, t0)).toBe(delayAfter(4, "account"));
    expect(afterRefund(state!, 10, "account").failures).toBe(0);
    expect(waitRemaining(afterRefund(state!, 10, "account"), t0)).toBe(0);
  });
});

describe("a failure confirmed after its password was checked", () => {
  it("makes the wait run from the confirmation, and never shortens it", () => {
    let state = null;
    for (let i = 0; i < 3; i++) state = afterFailure(state, t0, "ip");
    const checked = restamped(state!, later(800), "ip");
    expect(waitRemaining(checked, later(800))).toBe(1000);
    expect(restamped(checked, later(100), "ip").blockedUntil).toEqual(checked.blockedUntil);
    const free = afterFailure(null, t0, "ip");
    expect(restamped(free, later(800), "ip").blockedUntil).toEqual(free.blockedUntil);
  });
});

describe("attempts in parallel", () => {
  it("never makes a free attempt wait, even when another attempt stamped the row later than this one's clock", () => {
    const stampedLater = afterFailure(afterFailure(null, later(50), "account"), later(50), "account");
    expect(waitRemaining(stampedLater, t0)).toBe(0);
  });
});
