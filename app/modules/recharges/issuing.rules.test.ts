import { describe, expect, it } from "vitest";
import { formatCode, maskCode } from "./display";
import { isVoucherPrintable, issuingRefusal, mistakeRefusal, withinCeiling, type IssuerInput } from "./issuing.rules";

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
