import { describe, expect, it } from "vitest";
import { certifiedStaffIds, holdsValidCertificate, missingCertifiedStaff, relayStatusFor, relayStatusNote, type RelayStatus, type StaffCertificate } from "./activation.rules";

const NOW = new Date("2026-06-15T10:00:00Z");
const BEFORE = new Date("2026-01-10T10:00:00Z");
const LATER = new Date("2027-01-10T10:00:00Z");
const M1 = "module-1";
const M2 = "module-2";

const cert = (over: Partial<StaffCertificate> = {}): StaffCertificate => ({
  moduleId: M1,
  issuedAt: BEFORE,
  expiresAt: LATER,
  revokedAt: null,
  supersededAt: null,
  ...over,
});

describe("holdsValidCertificate", () => {
  it.each([
    ["a valid certificate of the required module", [cert()], true],
    ["one that does not expire", [cert({ expiresAt: null })], true],
    ["only another module's", [cert({ moduleId: M2 })], false],
    ["an expired one", [cert({ expiresAt: NOW })], false],
    ["a revoked one", [cert({ revokedAt: BEFORE })], false],
    ["a superseded one only", [cert({ supersededAt: BEFORE })], false],
    ["a revoked one and a valid one", [cert({ revokedAt: BEFORE }), cert()], true],
    ["none", [], false],
    ["one revoked in the future (not yet)", [cert({ revokedAt: LATER })], true],
  ] as [string, StaffCertificate[], boolean][])("%s → %s", (_name, certificates, expected) => {
    expect(holdsValidCertificate(certificates, M1, NOW)).toBe(expected);
  });
});

it("certifiedStaffIds keeps only staff with a valid certificate of the module", () => {
  const staff = [
    { userId: "a", certificates: [cert()] },
    { userId: "b", certificates: [cert({ moduleId: M2 })] },
    { userId: "c", certificates: [cert({ revokedAt: BEFORE })] },
    { userId: "d", certificates: [cert({ expiresAt: null })] },
  ];
  expect(certifiedStaffIds(staff, M1, NOW)).toEqual(["a", "d"]);
});

describe("relayStatusFor", () => {
  it.each([
    ["PENDING_CERTIFICATION", 0, 1, "PENDING_CERTIFICATION"],
    ["PENDING_CERTIFICATION", 1, 1, "ACTIVE"],
    ["PENDING_CERTIFICATION", 1, 2, "PENDING_CERTIFICATION"],
    ["PENDING_CERTIFICATION", 3, 2, "ACTIVE"],
    ["ACTIVE", 0, 1, "PENDING_CERTIFICATION"],
    ["ACTIVE", 2, 2, "ACTIVE"],
    ["ACTIVE", 1, 2, "PENDING_CERTIFICATION"],
    ["SUSPENDED", 5, 1, "SUSPENDED"],
    ["SUSPENDED", 0, 1, "SUSPENDED"],
    // N below 1 never activates a relay without any certified member.
    ["PENDING_CERTIFICATION", 0, 0, "PENDING_CERTIFICATION"],
  ] as [RelayStatus, number, number, RelayStatus][])("%s with %i certified of %i required → %s", (current, certifiedCount, requiredCertifiedStaff, expected) => {
    expect(relayStatusFor({ current, certifiedCount, requiredCertifiedStaff })).toBe(expected);
  });

  it.each([
    [0, 1, 1],
    [1, 1, 0],
    [1, 3, 2],
    [4, 3, 0],
    [0, 0, 1],
  ])("missingCertifiedStaff(%i, %i) = %i", (count, required, expected) => {
    expect(missingCertifiedStaff(count, required)).toBe(expected);
  });
});


describe("relayStatusNote: what a flash adds when the status moved", () => {
  it.each([
    [[], ""],
    [[{ to: "ACTIVE" as const }], " Le relais est désormais actif."],
    [[{ to: "PENDING_CERTIFICATION" as const }], " Le relais repasse en attente de certification : il n'a plus assez de membres certifiés."],
  ])("%j → %s", (changes, expected) => expect(relayStatusNote(changes)).toBe(expected));
});
