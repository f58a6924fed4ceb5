import { describe, expect, it } from "vitest";
import { holdsIdentifier, isEditableByApplicant, needsOutsiderConfirmation, outsidersToConfirm, relayAuditLabel, transition, type ApplicationActor, type ApplicationEvent, type ApplicationStatus, type KnownMember } from "./application.rules";

const STATUSES: ApplicationStatus[] = ["DRAFT", "SUBMITTED", "CHANGES_REQUESTED", "APPROVED", "REJECTED", "WITHDRAWN"];
const EVENTS: ApplicationEvent[] = ["submit", "withdraw", "requestChanges", "approve", "reject"];

// Every allowed move; all other (status, event, actor) combinations are refused.
const allowed: [ApplicationStatus, ApplicationEvent, ApplicationActor, ApplicationStatus][] = [
  ["DRAFT", "submit", "applicant", "SUBMITTED"],
  ["CHANGES_REQUESTED", "submit", "applicant", "SUBMITTED"],
  ["DRAFT", "withdraw", "applicant", "WITHDRAWN"],
  ["SUBMITTED", "withdraw", "applicant", "WITHDRAWN"],
  ["CHANGES_REQUESTED", "withdraw", "applicant", "WITHDRAWN"],
  ["SUBMITTED", "requestChanges", "staff", "CHANGES_REQUESTED"],
  ["SUBMITTED", "approve", "staff", "APPROVED"],
  ["SUBMITTED", "reject", "staff", "REJECTED"],
];

describe("transition(from, event, actor)", () => {
  it.each(allowed)("%s —%s by %s→ %s", (from, event, by, to) => {
    expect(transition(from, event, by)).toEqual({ ok: true, to });
  });

  const refused = STATUSES.flatMap((from) =>
    EVENTS.flatMap((event) =>
      (["applicant", "staff"] as const)
        .filter((by) => !allowed.some(([f, e, b]) => f === from && e === event && b === by))
        .map((by) => [from, event, by] as const),
    ),
  );
  it.each(refused)("%s —%s by %s→ refused", (from, event, by) => {
    const result = transition(from, event, by);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/\.$/);
  });

  it("explains why: submitting twice, approving a withdrawn application", () => {
    expect(transition("SUBMITTED", "submit", "applicant")).toEqual({ ok: false, message: "Cette candidature a déjà été envoyée : elle est en cours d'examen." });
    expect(transition("WITHDRAWN", "approve", "staff")).toEqual({ ok: false, message: "Cette candidature a été retirée : elle ne peut plus changer." });
    expect(transition("SUBMITTED", "approve", "applicant")).toEqual({ ok: false, message: "Cette action n'est pas permise." });
  });
});

it.each(STATUSES.map((s) => [s, s === "DRAFT" || s === "CHANGES_REQUESTED"] as const))("isEditableByApplicant(%s) = %s", (status, expected) => {
  expect(isEditableByApplicant(status)).toBe(expected);
});

it.each([
  ["relay_application.approved", "Candidature acceptée"],
  ["relay.pending_certification", "Relais en attente de certification : plus assez de membres certifiés"],
  ["something.else", "something.else"],
])("relayAuditLabel(%s) = %s", (action, expected) => {
  expect(relayAuditLabel(action)).toBe(expected);
});

describe("holdsIdentifier: a draft untouched for 30 days stops locking the SIRET", () => {
  const now = new Date("2026-06-30T12:00:00Z");
  const daysAgo = (d: number) => new Date(now.getTime() - d * 24 * 3600_000);
  it.each<[ApplicationStatus, number, boolean]>([
    ["DRAFT", 0, true],
    ["DRAFT", 29, true],
    ["DRAFT", 30, false],
    ["DRAFT", 200, false],
    ["SUBMITTED", 200, true],
    ["CHANGES_REQUESTED", 200, true],
    ["APPROVED", 400, true],
    ["REJECTED", 0, false],
    ["WITHDRAWN", 0, false],
  ])("%s changed %i days ago → %s", (status, days, expected) => {
    expect(holdsIdentifier({ status, updatedAt: daysAgo(days) }, now)).toBe(expected);
  });
});

describe("outsidersToConfirm: who would become referent of a known structure without being a member", () => {
  const members: KnownMember[] = [
    { userId: "u-ref", email: "Chloé.Référente@ccas.example", role: "REFERENT" },
    { userId: "u-mem", email: "marc@ccas.example", role: "MEMBER" },
  ];
  it.each<[string, readonly KnownMember[], string, string | null, { applicant: boolean; referentEmail: string | null }]>([
    ["no members: nothing to confirm", [], "u-stranger", "x@y.example", { applicant: false, referentEmail: null }],
    ["a member applies and names a member", members, "u-mem", "chloé.référente@ccas.example", { applicant: false, referentEmail: null }],
    ["a stranger applies and names themself", members, "u-stranger", "Stranger@Evil.example", { applicant: true, referentEmail: null }],
    ["a stranger applies and names an accomplice", members, "u-stranger", "accomplice@evil.example", { applicant: true, referentEmail: "accomplice@evil.example" }],
    ["a stranger applies and names the current referent", members, "u-stranger", "chloé.référente@ccas.example", { applicant: true, referentEmail: null }],
    ["a member applies and names an outsider", members, "u-ref", " Nouvelle@Ailleurs.example ", { applicant: false, referentEmail: "nouvelle@ailleurs.example" }],
    ["a member applies, no referent named", members, "u-ref", null, { applicant: false, referentEmail: null }],
  ])("%s", (_label, list, applicantId, referentEmail, expected) => {
    const outsiders = outsidersToConfirm({ members: list, applicantId, applicantEmail: applicantId === "u-stranger" ? "stranger@evil.example" : "someone@ccas.example", referentEmail });
    expect(outsiders).toEqual(expected);
    expect(needsOutsiderConfirmation(outsiders)).toBe(expected.applicant || expected.referentEmail !== null);
  });
});
