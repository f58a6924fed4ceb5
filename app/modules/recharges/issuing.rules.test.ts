import { describe, expect, it } from "vitest";
import { formatCode, maskCode } from "./display";
import { isVoucherPrintable, issueAccess, issuingRefusal, mistakeDeclarerRefusal, mistakeRefusal, withinCeiling, type IssueFacts, type IssuerInput, type IssueReader } from "./issuing.rules";

const now = new Date("2026-11-30T10:00:00Z");
const relay = { structureId: "s1", status: "ACTIVE" as const, requiredModuleId: "m1" };
const valid = { moduleId: "m1", issuedAt: new Date("2026-01-01"), expiresAt: null, revokedAt: null, supersededAt: null };
const base: IssuerInput = { relay, membershipStructureIds: ["s1"], certificates: [valid], now };

describe("issuingRefusal (who may issue)", () => {
  it.each<[string, Partial<IssuerInput>, ReturnType<typeof issuingRefusal>]>([
    ["certified member of an active relay", {}, null],
    ["no relay", { relay: null }, "NO_RELAY"],
    ["member of another structure", { membershipStructureIds: ["s2"] }, "NOT_MEMBER"],
    ["not a member, even certified, of a suspended relay", { membershipStructureIds: [], relay: { ...relay, status: "SUSPENDED" } }, "NOT_MEMBER"],
    ["relay pending certification", { relay: { ...relay, status: "PENDING_CERTIFICATION" } }, "RELAY_PENDING"],
    ["suspended relay", { relay: { ...relay, status: "SUSPENDED" } }, "RELAY_SUSPENDED"],
    ["no certificate", { certificates: [] }, "NOT_CERTIFIED"],
    ["certificate of another module", { certificates: [{ ...valid, moduleId: "m2" }] }, "NOT_CERTIFIED"],
    ["expired certificate", { certificates: [{ ...valid, expiresAt: new Date("2026-11-01") }] }, "NOT_CERTIFIED"],
    ["revoked certificate", { certificates: [{ ...valid, revokedAt: new Date("2026-06-01") }] }, "NOT_CERTIFIED"],
    ["superseded certificate only", { certificates: [{ ...valid, supersededAt: new Date("2026-06-01") }] }, "NOT_CERTIFIED"],
    ["one revoked and one valid", { certificates: [{ ...valid, revokedAt: new Date("2026-06-01") }, valid] }, null],
    ["certificate expiring later", { certificates: [{ ...valid, expiresAt: new Date("2027-01-01") }] }, null],
  ])("%s", (_label, override, expected) => {
    expect(issuingRefusal({ ...base, ...override })).toBe(expected);
  });
});

describe("small issuing rules", () => {
  it.each([
    [0, 400, 3000, true],
    [2600, 400, 3000, true],
    [2800, 400, 3000, false],
    [0, 3001, 3000, false],
  ])("ceiling: %i already + %i within %i is %s", (already, value, ceiling, expected) => {
    expect(withinCeiling(already, value, ceiling)).toBe(expected);
  });

  it("accepts a mistake within 15 minutes, with a reason, once", () => {
    const issuedAt = new Date(now.getTime() - 14 * 60_000);
    expect(mistakeRefusal({ issuedAt, mistakeDeclaredAt: null }, "Mauvais produit", now)).toBeNull();
    expect(mistakeRefusal({ issuedAt, mistakeDeclaredAt: null }, "  ", now)).toMatch(/raison/);
    expect(mistakeRefusal({ issuedAt, mistakeDeclaredAt: now }, "Mauvais produit", now)).toMatch(/déjà/);
    expect(mistakeRefusal({ issuedAt: new Date(now.getTime() - 16 * 60_000), mistakeDeclaredAt: null }, "Mauvais produit", now)).toMatch(/15 minutes/);
  });

  it("lets the voucher be printed only shortly after the code was shown", () => {
    expect(isVoucherPrintable(null, now)).toBe(false);
    expect(isVoucherPrintable(new Date(now.getTime() - 5 * 60_000), now)).toBe(true);
    expect(isVoucherPrintable(new Date(now.getTime() - 11 * 60_000), now)).toBe(false);
  });

  it("masks and groups codes", () => {
    expect(maskCode("1234")).toBe("•••• •••• 1234");
    expect(formatCode("12345678901234")).toBe("1234 5678 9012 34");
  });
});

describe("issueAccess (an issue page is its issuer's business)", () => {
  const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
  const readers = {
    "its certified issuer": { userId: "issuer", referent: false, certified: true },
    "its issuer, no longer certified": { userId: "issuer", referent: false, certified: false },
    "a certified colleague": { userId: "colleague", referent: false, certified: true },
    "an uncertified colleague": { userId: "colleague", referent: false, certified: false },
    "a certified referent": { userId: "referent", referent: true, certified: true },
    "an uncertified referent": { userId: "referent", referent: true, certified: false },
  } satisfies Record<string, IssueReader>;
  const issues = {
    "fresh, code never shown": { staffId: "issuer", issuedAt: minutesAgo(1), codeRevealedAt: null, mistakeDeclaredAt: null },
    "code shown a minute ago": { staffId: "issuer", issuedAt: minutesAgo(2), codeRevealedAt: minutesAgo(1), mistakeDeclaredAt: null },
    "code shown three minutes ago": { staffId: "issuer", issuedAt: minutesAgo(4), codeRevealedAt: minutesAgo(3), mistakeDeclaredAt: null },
    "issued 16 minutes ago, never shown": { staffId: "issuer", issuedAt: minutesAgo(16), codeRevealedAt: null, mistakeDeclaredAt: null },
    "mistake declared": { staffId: "issuer", issuedAt: minutesAgo(5), codeRevealedAt: null, mistakeDeclaredAt: minutesAgo(1) },
  } satisfies Record<string, IssueFacts>;
  // reader × issue → [view, revealCode, declareMistake]
  it.each<[keyof typeof readers, keyof typeof issues, [boolean, boolean, boolean]]>([
    ["its certified issuer", "fresh, code never shown", [true, true, true]],
    ["its certified issuer", "code shown a minute ago", [true, true, true]],
    ["its certified issuer", "code shown three minutes ago", [true, false, true]],
    ["its certified issuer", "issued 16 minutes ago, never shown", [true, true, false]],
    ["its certified issuer", "mistake declared", [true, false, false]],
    ["its issuer, no longer certified", "fresh, code never shown", [true, true, false]],
    ["a certified colleague", "fresh, code never shown", [true, false, false]],
    ["an uncertified colleague", "fresh, code never shown", [false, false, false]],
    ["an uncertified colleague", "code shown three minutes ago", [false, false, false]],
    ["a certified referent", "fresh, code never shown", [true, false, true]],
    ["a certified referent", "issued 16 minutes ago, never shown", [true, false, false]],
    ["a certified referent", "mistake declared", [true, false, false]],
    ["an uncertified referent", "fresh, code never shown", [false, false, false]],
  ])("%s, issue %s: [view, reveal, declare] = %j", (reader, issue, [view, revealCode, declareMistake]) => {
    expect(issueAccess(readers[reader], issues[issue], now)).toEqual({ view, revealCode, declareMistake });
  });

  it("says in French why a mistake may not be declared", () => {
    expect(mistakeDeclarerRefusal(readers["an uncertified colleague"], { staffId: "issuer" })).toMatch(/membres certifiés/);
    expect(mistakeDeclarerRefusal(readers["a certified colleague"], { staffId: "issuer" })).toMatch(/référent certifié/);
    expect(mistakeDeclarerRefusal(readers["a certified referent"], { staffId: "issuer" })).toBeNull();
  });
});
