import { describe, expect, it } from "vitest";
import { choiceFromObjectives, closeRefusal, objectivesFromChoice, objectivesRefusal } from "./session-close.rules";

const now = new Date("2026-03-03T17:00:00Z");
const ended = (lockedAt: Date | null = now) => ({ endsAt: new Date("2026-03-03T16:00:00Z"), lockedAt });
const future = { endsAt: new Date("2026-03-04T11:00:00Z"), lockedAt: null };

describe("closeRefusal", () => {
  it.each([
    ["a scheduled session whose slots have all ended and are locked", { status: "SCHEDULED", slots: [ended(), ended()] }, null],
    ["an already closed session", { status: "CLOSED", slots: [ended()] }, "déjà clôturée"],
    ["a cancelled session", { status: "CANCELLED", slots: [ended()] }, "annulée"],
    ["a session without slots", { status: "SCHEDULED", slots: [] }, "aucune demi-journée"],
    ["a session with a slot still to come", { status: "SCHEDULED", slots: [ended(), future] }, "1 demi-journée n'est pas encore passée"],
    ["a session with two unlocked sheets", { status: "SCHEDULED", slots: [ended(null), ended(null), ended()] }, "2 feuilles d'émargement ne sont pas encore contresignées"],
  ] as const)("%s", (_label, session, expected) => {
    const refusal = closeRefusal(session, now);
    if (expected === null) expect(refusal).toBeNull();
    else expect(refusal).toContain(expected);
  });
});

describe("objectives", () => {
  it("may be recorded until the session is closed", () => {
    expect(objectivesRefusal("SCHEDULED")).toBeNull();
    expect(objectivesRefusal("CLOSED")).toContain("clôturée");
    expect(objectivesRefusal("CANCELLED")).toContain("annulée");
  });

  it("maps the three choices to the stored value and back", () => {
    for (const choice of ["yes", "no", "unknown"] as const) expect(choiceFromObjectives(objectivesFromChoice(choice))).toBe(choice);
    expect(objectivesFromChoice("unknown")).toBeNull();
  });
});
