import { describe, expect, it } from "vitest";
import { SurveyAnswerSchema } from "./survey.schema";
import { addMonths, coldSurveyDueAt, dueSurveys, reminderCandidateWindow, surveyCandidateWindow, surveyReminderDue, type SurveyCandidate } from "./surveys.rules";

const endsAt = new Date("2026-03-03T16:00:00Z");
const closedAt = new Date("2026-03-04T09:00:00Z");
const candidate = (c: Partial<SurveyCandidate> = {}): SurveyCandidate => ({
  sessionStatus: "CLOSED",
  closedAt,
  sessionEndsAt: endsAt,
  enrolmentStatus: "CONFIRMED",
  attendedSlots: 2,
  sent: [],
  ...c,
});
const at = (iso: string) => new Date(iso);

describe("addMonths", () => {
  it.each([
    ["2026-03-03T16:00:00.000Z", 3, "2026-06-03T16:00:00.000Z"],
    ["2026-11-30T10:00:00.000Z", 3, "2027-02-28T10:00:00.000Z"], // no 30 February: the month's last day
    ["2026-05-31T10:00:00.000Z", -3, "2026-02-28T10:00:00.000Z"],
  ])("%s + %i months → %s", (from, months, expected) => {
    expect(addMonths(new Date(from), months).toISOString()).toBe(expected);
  });
});

describe("dueSurveys", () => {
  it("sends the hot survey once the session is closed, not before, and not twice", () => {
    expect(dueSurveys(candidate(), at("2026-03-04T08:59:00Z"))).toEqual([]);
    expect(dueSurveys(candidate(), at("2026-03-04T09:00:00Z"))).toEqual(["HOT"]);
    expect(dueSurveys(candidate({ sent: ["HOT"] }), at("2026-03-05T09:00:00Z"))).toEqual([]);
  });

  it("no longer sends a hot survey 30 days after closing", () => {
    expect(dueSurveys(candidate(), at("2026-04-02T08:59:00Z"))).toEqual(["HOT"]);
    expect(dueSurveys(candidate(), at("2026-04-03T09:00:00Z"))).toEqual([]);
  });

  it("sends the cold survey three months after the last half-day, within 30 days", () => {
    expect(coldSurveyDueAt(endsAt).toISOString()).toBe("2026-06-03T16:00:00.000Z");
    expect(dueSurveys(candidate({ sent: ["HOT"] }), at("2026-06-03T15:59:00Z"))).toEqual([]);
    expect(dueSurveys(candidate({ sent: ["HOT"] }), at("2026-06-03T16:00:00Z"))).toEqual(["COLD"]);
    expect(dueSurveys(candidate({ sent: ["HOT", "COLD"] }), at("2026-06-04T16:00:00Z"))).toEqual([]);
    expect(dueSurveys(candidate({ sent: ["HOT"] }), at("2026-07-03T16:00:00Z"))).toEqual([]);
  });

  it("sends the cold survey to a trainee who attended even when the hot one was never sent", () => {
    expect(dueSurveys(candidate(), at("2026-06-10T10:00:00Z"))).toEqual(["COLD"]);
  });

  it.each([
    ["an absentee (no half-day attended)", { attendedSlots: 0 }],
    ["a cancelled enrolment", { enrolmentStatus: "CANCELLED" as const }],
    ["a waiting-list enrolment", { enrolmentStatus: "WAITLISTED" as const }],
    ["a session not closed", { sessionStatus: "SCHEDULED" as const, closedAt: null }],
    ["a cancelled session", { sessionStatus: "CANCELLED" as const }],
    ["a session without half-days", { sessionEndsAt: null }],
  ])("sends nothing to %s", (_name, override) => {
    expect(dueSurveys(candidate(override), at("2026-03-05T10:00:00Z"))).toEqual([]);
    expect(dueSurveys(candidate(override), at("2026-06-10T10:00:00Z"))).toEqual([]);
  });
});

describe("surveyCandidateWindow", () => {
  it("covers every session for which a survey may be due", () => {
    const now = at("2026-06-10T10:00:00Z");
    const w = surveyCandidateWindow(now);
    expect(w.closedSince.toISOString()).toBe("2026-05-11T10:00:00.000Z");
    // Cold surveys due now belong to sessions ended between 3 months + 30 days ago and 3 months ago.
    expect(w.endedFrom.getTime()).toBeLessThanOrEqual(at("2026-02-08T10:00:00Z").getTime());
    expect(w.endedUntil.getTime()).toBeGreaterThanOrEqual(at("2026-03-10T10:00:00Z").getTime());
  });
});

describe("SurveyAnswerSchema", () => {
  it("takes a score of 1 to 5, a yes or no, and optional texts", () => {
    expect(SurveyAnswerSchema.parse({ satisfaction: "4", recommend: "oui", comment: "  Très concret.  ", practice: "" })).toEqual({
      satisfaction: 4,
      recommend: "oui",
      comment: "Très concret.",
      practice: null,
    });
  });

  it.each([
    [{ recommend: "oui" }, "satisfaction", "Choisissez une note de 1 à 5."],
    [{ satisfaction: "6", recommend: "oui" }, "satisfaction", "Choisissez une note de 1 à 5."],
    [{ satisfaction: "5" }, "recommend", "Indiquez si vous recommanderiez cette formation."],
    [{ satisfaction: "5", recommend: "oui", comment: "é".repeat(2001) }, "comment", "Votre commentaire est trop long (2000 caractères au plus)."],
  ])("refuses %j with a French message on %s", (input, field, message) => {
    const result = SurveyAnswerSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.find((i) => i.path[0] === field)?.message).toBe(message);
  });
});

describe("surveyReminderDue: one reminder, a few days after the survey", () => {
  const sentAt = new Date("2026-06-01T10:00:00Z");
  const day = 24 * 3600_000;
  const at = (days: number) => new Date(sentAt.getTime() + days * day);
  const base = { sentAt, respondedAt: null, reminderSentAt: null, enrolmentStatus: "CONFIRMED" as const };
  it.each([
    ["4 days after: not yet", at(4), {}, false],
    ["5 days after: due", at(5), {}, true],
    ["18 days after: still due", at(18), {}, true],
    ["19 days after: too late, left alone", at(19), {}, false],
    ["answered: never", at(6), { respondedAt: at(1) }, false],
    ["already reminded: never twice", at(6), { reminderSentAt: at(5) }, false],
    ["cancelled enrolment: never", at(6), { enrolmentStatus: "CANCELLED" as const }, false],
    ["never sent: never", at(6), { sentAt: null }, false],
  ])("%s", (_label, now, over, expected) => {
    expect(surveyReminderDue({ ...base, ...over }, now, 5)).toBe(expected);
  });

  it("the candidate window holds exactly the sending dates that may be due", () => {
    const w = reminderCandidateWindow(at(10), 5);
    expect(w.sentUntil).toEqual(at(5));
    expect(w.sentFrom).toEqual(at(-9));
  });
});
