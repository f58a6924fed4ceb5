import { describe, expect, it } from "vitest";
import {
  addCalendarMonths,
  certificateExpiresAt,
  certificateStatus,
  certificatesDue,
  certificateYear,
  formatAttendedDuration,
  formatCertificateNumber,
  generateVerificationCode,
  isRecertificationReminderDue,
  lastValidDay,
  normaliseVerificationCode,
  objectivesLabel,
  parseCertificateNumber,
  recertificationReminderAt,
  revocationRefusal,
  type CertificateDates,
} from "./certificate.rules";

describe("certificatesDue", () => {
  const due = (over: Partial<Parameters<typeof certificatesDue>[0]> = {}) =>
    certificatesDue({ sessionStatus: "CLOSED", enrolmentStatus: "CONFIRMED", attendedMinutes: 390, objectivesReached: true, ...over });

  it("gives a trainee who attended both documents, with the minutes actually attended", () => {
    expect(due()).toEqual([
      { kind: "COMPLETION", attendedMinutes: 390, objectivesReached: true },
      { kind: "END_OF_TRAINING", attendedMinutes: 390, objectivesReached: true },
    ]);
    expect(due({ attendedMinutes: 180, objectivesReached: false }).map((c) => [c.kind, c.attendedMinutes, c.objectivesReached])).toEqual([
      ["COMPLETION", 180, false],
      ["END_OF_TRAINING", 180, false],
    ]);
    expect(due({ objectivesReached: null })[1]!.objectivesReached).toBeNull();
  });

  it.each([
    ["no slot attended", { attendedMinutes: 0 }],
    ["a negative or missing count", { attendedMinutes: Number.NaN }],
    ["a session not closed", { sessionStatus: "SCHEDULED" }],
    ["a cancelled session", { sessionStatus: "CANCELLED" }],
    ["a cancelled enrolment", { enrolmentStatus: "CANCELLED" }],
    ["a waiting-list enrolment", { enrolmentStatus: "WAITLISTED" }],
  ] as const)("gives nothing for %s", (_case, over) => {
    expect(due(over)).toEqual([]);
  });
});

describe("labels", () => {
  it("prints the assessment result and the attended duration", () => {
    expect([true, false, null].map(objectivesLabel)).toEqual(["Objectifs atteints", "Objectifs non atteints", "Évaluation des acquis non renseignée"]);
    expect([0, 5, 60, 390, 420, 1290].map(formatAttendedDuration)).toEqual(["0 h", "0 h 05", "1 h", "6 h 30", "7 h", "21 h 30"]);
  });
});

describe("certificate numbers", () => {
  it("formats sequential numbers per year", () => {
    expect(formatCertificateNumber(2026, 123)).toBe("MAI-2026-000123");
    expect(formatCertificateNumber(2026, 1)).toBe("MAI-2026-000001");
    expect(formatCertificateNumber(2027, 999_999)).toBe("MAI-2027-999999");
  });

  it.each([
    [2026, 0],
    [2026, 1_000_000],
    [2026, 1.5],
    [1999, 1],
    [20_260, 1],
  ])("refuses year %i sequence %i", (year, sequence) => {
    expect(() => formatCertificateNumber(year, sequence)).toThrow(RangeError);
  });

  it.each([
    ["MAI-2026-000123", "MAI-2026-000123"],
    ["mai-2026-000123", "MAI-2026-000123"],
    ["  MAI 2026 123 ", "MAI-2026-000123"],
    ["MAI–2026–000123", "MAI-2026-000123"], // en dashes from a PDF copy
    ["MAI/2026/42", "MAI-2026-000042"],
  ])("reads %j as %s", (input, number) => {
    expect(parseCertificateNumber(input)?.number).toBe(number);
  });

  it("gives year and sequence back, and round-trips", () => {
    expect(parseCertificateNumber("MAI-2026-000123")).toEqual({ prefix: "MAI", year: 2026, sequence: 123, number: "MAI-2026-000123" });
    for (const [year, seq] of [[2026, 1], [2030, 654_321]] as const) {
      expect(parseCertificateNumber(formatCertificateNumber(year, seq))).toMatchObject({ year, sequence: seq });
    }
  });

  it.each(["", "MAI-2026", "ABC-2026-000123", "MAI-26-000123", "MAI-2026-0001234", "MAI-2026-000000", "MAI-1999-000001", "MAI-2026-00012a"])("rejects %j", (input) => {
    expect(parseCertificateNumber(input)).toBeNull();
  });

  it("numbers by the Paris year of issue", () => {
    expect(certificateYear(new Date("2026-12-31T22:59:00Z"))).toBe(2026);
    expect(certificateYear(new Date("2026-12-31T23:30:00Z"))).toBe(2027); // 00:30 on 1 January in Paris
  });
});

describe("verification codes", () => {
  it("are random, grouped by four, in Crockford's alphabet", () => {
    const codes = Array.from({ length: 200 }, generateVerificationCode);
    expect(new Set(codes).size).toBe(200);
    for (const code of codes) {
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
      expect(normaliseVerificationCode(code)).toBe(code);
    }
  });

  it("reads typed codes leniently", () => {
    expect(normaliseVerificationCode("7kqh 2m9x pd4r w0zb")).toBe("7KQH-2M9X-PD4R-W0ZB");
    expect(normaliseVerificationCode("7KQH2M9XPD4RWOZB")).toBe("7KQH-2M9X-PD4R-W0ZB"); // O read as 0
    expect(normaliseVerificationCode("IL00-0000-0000-0000")).toBe("1100-0000-0000-0000");
    expect(normaliseVerificationCode("7KQH-2M9X-PD4R")).toBeNull();
    expect(normaliseVerificationCode("7KQH-2M9X-PD4R-W0ZU")).toBeNull(); // U is not in the alphabet
  });
});

describe("expiry", () => {
  it("adds calendar months, clamping to the end of the month", () => {
    expect(addCalendarMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addCalendarMonths("2027-01-31", 13)).toBe("2028-02-29");
    expect(addCalendarMonths("2026-03-15", 24)).toBe("2028-03-15");
    expect(addCalendarMonths("2026-03-31", -1)).toBe("2026-02-28");
    expect(addCalendarMonths("2026-01-15", -1)).toBe("2025-12-15");
  });

  it("expires at midnight in Paris, validity months after the last day of training", () => {
    // Last half-day ends at 17:00 on 15 March 2026 in Paris; two years of validity.
    const endsOn = new Date("2026-03-15T16:00:00Z");
    const expiresAt = certificateExpiresAt(endsOn, 24)!;
    expect(expiresAt.toISOString()).toBe("2028-03-14T23:00:00.000Z"); // 00:00 on 15 March 2028, Paris (UTC+1)
    expect(lastValidDay(expiresAt)).toBe("2028-03-14");
    expect(certificateExpiresAt(new Date("2026-06-30T13:00:00Z"), 12)!.toISOString()).toBe("2027-06-29T22:00:00.000Z"); // summer time
  });

  it("does not expire when the module says so, and refuses nonsense validity", () => {
    expect(certificateExpiresAt(new Date(), null)).toBeNull();
    expect(() => certificateExpiresAt(new Date(), 0)).toThrow(RangeError);
    expect(() => certificateExpiresAt(new Date(), 1.5)).toThrow(RangeError);
  });

  it("reminds one calendar month before expiry", () => {
    const expiresAt = new Date("2028-03-14T23:00:00Z"); // 15 March 2028, Paris
    expect(recertificationReminderAt(expiresAt).toISOString()).toBe("2028-02-14T23:00:00.000Z");
    const endOfMarch = new Date("2028-03-30T22:00:00Z"); // 31 March 2028, Paris (summer time)
    expect(recertificationReminderAt(endOfMarch).toISOString()).toBe("2028-02-28T23:00:00.000Z"); // 29 February
  });
});

describe("certificateStatus", () => {
  const cert = (over: Partial<CertificateDates> = {}): CertificateDates => ({
    issuedAt: new Date("2026-03-16T09:00:00Z"),
    expiresAt: new Date("2028-03-14T23:00:00Z"),
    revokedAt: null,
    supersededAt: null,
    ...over,
  });

  it.each([
    ["valid before expiry", cert(), "2028-03-14T22:59:59Z", "VALID"],
    ["expired at expiry", cert(), "2028-03-14T23:00:00Z", "EXPIRED"],
    ["valid forever without expiry", cert({ expiresAt: null }), "2099-01-01T00:00:00Z", "VALID"],
    ["revoked from the revocation on", cert({ revokedAt: new Date("2026-06-01T10:00:00Z") }), "2026-06-01T10:00:00Z", "REVOKED"],
    ["still valid before a later revocation", cert({ revokedAt: new Date("2026-06-01T10:00:00Z") }), "2026-05-31T10:00:00Z", "VALID"],
    ["revoked beats expired", cert({ revokedAt: new Date("2026-06-01T10:00:00Z") }), "2030-01-01T00:00:00Z", "REVOKED"],
    ["superseded once issued again", cert({ supersededAt: new Date("2026-04-01T08:00:00Z") }), "2026-04-02T00:00:00Z", "SUPERSEDED"],
    ["revoked beats superseded", cert({ supersededAt: new Date("2026-04-01T08:00:00Z"), revokedAt: new Date("2026-05-01T08:00:00Z") }), "2026-06-01T00:00:00Z", "REVOKED"],
  ])("%s", (_case, c, iso, status) => {
    expect(certificateStatus(c, new Date(iso))).toBe(status);
  });

  it("says when the re-certification reminder is due", () => {
    const c = cert();
    expect(isRecertificationReminderDue(c, new Date("2028-02-14T22:59:00Z"))).toBe(false);
    expect(isRecertificationReminderDue(c, new Date("2028-02-14T23:00:00Z"))).toBe(true);
    expect(isRecertificationReminderDue(c, new Date("2028-03-14T23:00:00Z"))).toBe(false); // expired
    expect(isRecertificationReminderDue(cert({ expiresAt: null }), new Date("2028-03-01T00:00:00Z"))).toBe(false);
    expect(isRecertificationReminderDue(cert({ revokedAt: new Date("2027-01-01T00:00:00Z") }), new Date("2028-03-01T00:00:00Z"))).toBe(false);
  });
});

describe("revocationRefusal", () => {
  it("needs a reason and revokes once", () => {
    expect(revocationRefusal({ revokedAt: null }, "Présence non justifiée après contrôle")).toBeNull();
    expect(revocationRefusal({ revokedAt: null }, "  erreur ")).toContain("raison de la révocation");
    expect(revocationRefusal({ revokedAt: new Date() }, "Présence non justifiée après contrôle")).toBe("Ce certificat est déjà révoqué.");
  });
});
