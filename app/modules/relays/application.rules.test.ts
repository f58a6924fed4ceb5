import { describe, expect, it } from "vitest";
import { isEditableByApplicant, relayAuditLabel, transition, type ApplicationActor, type ApplicationEvent, type ApplicationStatus } from "./application.rules";

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
