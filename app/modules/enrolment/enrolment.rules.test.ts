import { describe, expect, it } from "vitest";
import {
  cancellationDecision,
  effectiveFunding,
  enrolmentRefusal,
  enrolmentStatusLabel,
  holdsSeat,
  learnerCancelDeadline,
  nextWaitlistRank,
  offerDeadline,
  paymentFor,
  waitlistPosition,
  type EnrolmentStatus,
  type SessionForEnrolment,
} from "./enrolment.rules";

const now = new Date("2026-03-02T10:00:00Z");
const inDays = (d: number) => new Date(now.getTime() + d * 24 * 3600_000);
const session = (over: Partial<SessionForEnrolment> = {}): SessionForEnrolment => ({
  status: "SCHEDULED",
  kind: "INTER",
  structureId: null,
  firstSlotStartsAt: inDays(10),
  ...over,
});

describe("enrolmentRefusal", () => {
  it.each<[string, SessionForEnrolment, string[], RegExp | null]>([
    ["an upcoming inter session", session(), [], null],
    ["a cancelled session", session({ status: "CANCELLED" }), [], /annulée/],
    ["a closed session", session({ status: "CLOSED" }), [], /terminée/],
    ["a session already started", session({ firstSlotStartsAt: now }), [], /déjà commencé/],
    ["a past session", session({ firstSlotStartsAt: inDays(-3) }), [], /déjà commencé/],
    ["a session without slots", session({ firstSlotStartsAt: null }), [], /pas encore fixées/],
    ["an intra session of my structure", session({ kind: "INTRA", structureId: "s1" }), ["s2", "s1"], null],
    ["an intra session of another structure", session({ kind: "INTRA", structureId: "s1" }), ["s2"], /réservée/],
    ["an intra session when I have no structure", session({ kind: "INTRA", structureId: "s1" }), [], /réservée/],
  ])("%s", (_label, s, memberOf, expected) => {
    const refusal = enrolmentRefusal({ session: s, memberOf, now });
    if (expected === null) expect(refusal).toBeNull();
    else expect(refusal).toMatch(expected);
  });
});

describe("funding and payment", () => {
  it.each([
    [true, "STRUCTURE", "FREE"],
    [true, "OPCO", "FREE"],
    [false, "OPCO", "OPCO"],
    [false, "FREE", "FREE"],
  ] as const)("isFree=%s, asked %s → %s", (isFree, asked, expected) => {
    expect(effectiveFunding(isFree, asked)).toBe(expected);
  });
  it.each([
    ["FREE", { paymentStatus: "NOT_REQUIRED", amountCents: 0 }],
    ["STRUCTURE", { paymentStatus: "PENDING", amountCents: 25_000 }],
    ["OPCO", { paymentStatus: "PENDING", amountCents: 25_000 }],
  ] as const)("%s", (funding, expected) => {
    expect(paymentFor(funding, 25_000)).toEqual(expected);
  });
});

describe("seats", () => {
  it.each<[EnrolmentStatus, boolean]>([
    ["CONFIRMED", true],
    ["PENDING_PAYMENT", true],
    ["OFFERED", true],
    ["WAITLISTED", false],
    ["CANCELLED", false],
  ])("%s holds a seat: %s", (status, expected) => expect(holdsSeat(status)).toBe(expected));
});

describe("cancellationDecision", () => {
  const learner = { id: "u1", isAdmin: false };
  const admin = { id: "a1", isAdmin: true };
  it.each<[string, { id: string; isAdmin: boolean }, EnrolmentStatus, string, number, string, RegExp | null]>([
    ["learner, 8 days before", learner, "CONFIRMED", "u1", 8, "", null],
    ["learner, exactly 7 days before", learner, "CONFIRMED", "u1", 7, "", null],
    ["learner, 6 days before", learner, "CONFIRMED", "u1", 6, "", /Contactez l'association/],
    ["learner, pending payment, 2 days before", learner, "PENDING_PAYMENT", "u1", 2, "", /7 jours/],
    ["learner declines an offer the day before", learner, "OFFERED", "u1", 1, "", null],
    ["learner leaves the list the day before", learner, "WAITLISTED", "u1", 1, "", null],
    ["someone else's enrolment", learner, "CONFIRMED", "u2", 20, "", /propres inscriptions/],
    ["already cancelled", learner, "CANCELLED", "u1", 20, "", /déjà annulée/],
    ["staff, the day before, with a reason", admin, "CONFIRMED", "u2", 1, "Session reportée", null],
    ["staff without a reason", admin, "CONFIRMED", "u2", 20, "  ", /motif/],
  ])("%s", (_label, actor, status, userId, daysBefore, reason, expected) => {
    const decision = cancellationDecision({ actor, enrolment: { userId, status }, firstSlotStartsAt: inDays(daysBefore), reason, now });
    if (expected === null) expect(decision).toEqual({ ok: true });
    else expect(decision.ok ? "" : decision.message).toMatch(expected);
  });

  it("puts the learner's deadline 7 days before the first half-day", () => {
    expect(learnerCancelDeadline(inDays(10)).toISOString()).toBe(inDays(3).toISOString());
  });
});

describe("waiting list", () => {
  it.each([
    [null, 1],
    [1, 2],
    [41, 42],
  ])("after max rank %s comes %s", (max, expected) => expect(nextWaitlistRank(max)).toBe(expected));

  it.each<[number, number[], number]>([
    [5, [], 1],
    [5, [7, 9], 1],
    [5, [2, 3, 9], 3],
  ])("rank %s among %j is position %s", (rank, others, expected) => expect(waitlistPosition(rank, others)).toBe(expected));

  it.each([
    ["far from the session: 48 h", inDays(10), new Date(now.getTime() + 48 * 3600_000)],
    ["the session starts in 24 h: its start", inDays(1), inDays(1)],
    ["no slot yet: 48 h", null, new Date(now.getTime() + 48 * 3600_000)],
  ] as const)("offer deadline, %s", (_label, first, expected) => {
    expect(offerDeadline(now, first).toISOString()).toBe(expected.toISOString());
  });
});

describe("enrolmentStatusLabel", () => {
  it.each([
    [{ status: "CONFIRMED" }, "Confirmée"],
    [{ status: "PENDING_PAYMENT" }, "En attente de paiement"],
    [{ status: "WAITLISTED", position: 3 }, "Sur liste d'attente (rang 3)"],
    [{ status: "OFFERED", offerExpiresAt: new Date("2026-03-04T13:05:00Z") }, "Place proposée — à confirmer avant le mercredi 4 mars 2026 à 14:05"],
    [{ status: "CANCELLED" }, "Annulée"],
  ] as const)("%j → %s", (input, expected) => expect(enrolmentStatusLabel(input)).toBe(expected));
});
