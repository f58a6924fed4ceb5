import { describe, expect, it } from "vitest";
import type { Actor } from "~/modules/auth/permissions.rules";
import { canViewQuote, formatEuros, hasQuote, quoteNumber, teachingMinutes } from "./quote.rules";

const A = "structure-a";
const actors = {
  anonymous: null,
  "the learner": { id: "u-learner", roles: ["LEARNER"], memberships: [{ structureId: A, role: "MEMBER", relayStatus: null }] },
  "a referent of the structure": { id: "u-ref", roles: ["LEARNER"], memberships: [{ structureId: A, role: "REFERENT", relayStatus: null }] },
  "a member of the structure": { id: "u-member", roles: ["LEARNER"], memberships: [{ structureId: A, role: "MEMBER", relayStatus: null }] },
  "a referent of another structure": { id: "u-ref-b", roles: ["LEARNER"], memberships: [{ structureId: "b", role: "REFERENT", relayStatus: null }] },
  "a trainer": { id: "u-trainer", roles: ["TRAINER"], memberships: [] },
  staff: { id: "u-admin", roles: ["ADMIN"], memberships: [] },
} satisfies Record<string, Actor>;

describe("who may read a quote", () => {
  const withStructure = { userId: "u-learner", structureId: A };
  const withoutStructure = { userId: "u-learner", structureId: null };
  it.each([
    ["anonymous", withStructure, false],
    ["the learner", withStructure, true],
    ["the learner", withoutStructure, true],
    ["a referent of the structure", withStructure, true],
    ["a referent of the structure", withoutStructure, false],
    ["a member of the structure", withStructure, false],
    ["a referent of another structure", withStructure, false],
    ["a trainer", withStructure, false],
    ["staff", withStructure, true],
    ["staff", withoutStructure, true],
  ] as const)("%s → %s", (actor, enrolment, allowed) => {
    expect(canViewQuote(actors[actor], enrolment)).toBe(allowed);
  });
});

describe("quote rules", () => {
  it("exists for structure and OPCO funding, until cancelled", () => {
    expect(hasQuote({ funding: "STRUCTURE", status: "CONFIRMED" })).toBe(true);
    expect(hasQuote({ funding: "OPCO", status: "WAITLISTED" })).toBe(true);
    expect(hasQuote({ funding: "OPCO", status: "CANCELLED" })).toBe(false);
    expect(hasQuote({ funding: "CARD", status: "CONFIRMED" })).toBe(false);
    expect(hasQuote({ funding: "FREE", status: "CONFIRMED" })).toBe(false);
  });

  it("numbers a quote from the enrolment: stable and readable", () => {
    const enrolment = { id: "cm8x0k2a40000qz7b3k9m2zdx", createdAt: new Date("2025-12-31T23:30:00Z") };
    // 00:30 on 1 January in Paris: the Paris year counts.
    expect(quoteNumber(enrolment)).toBe("DEV-2026-3K9M2ZDX");
    expect(quoteNumber({ ...enrolment })).toBe(quoteNumber(enrolment));
  });

  it("formats integer cents the French way", () => {
    expect(formatEuros(123_400).replace(/[\u00a0\u202f]/g, " ")).toBe("1 234,00 €");
    expect(formatEuros(5).replace(/[\u00a0\u202f]/g, " ")).toBe("0,05 €");
    expect(() => formatEuros(12.5)).toThrow();
  });

  it("counts teaching time from the half-days, else the module's duration", () => {
    const slot = (h1: number, h2: number) => ({ startsAt: new Date(Date.UTC(2026, 3, 7, h1)), endsAt: new Date(Date.UTC(2026, 3, 7, h2, 30)) });
    expect(teachingMinutes([slot(7, 10), slot(11, 14)], 420)).toBe(420);
    expect(teachingMinutes([], 840)).toBe(840);
  });
});
