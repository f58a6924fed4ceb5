import { describe, expect, it } from "vitest";
import {
  ACTIONS,
  can,
  issuingRelayStructureIds,
  referentStructureIds,
  type Action,
  type Actor,
  type PermissionTarget,
} from "./permissions.rules";

const A = "structure-a";
const B = "structure-b";
const RELAY = "structure-relay";
const SUSPENDED_RELAY = "structure-relay-suspended";

const actors = {
  anonymous: null,
  learner: { id: "u-learner", roles: ["LEARNER"], memberships: [] },
  "member of A": { id: "u-member-a", roles: ["LEARNER"], memberships: [{ structureId: A, role: "MEMBER", relayStatus: null }] },
  "referent of A": { id: "u-referent-a", roles: ["LEARNER"], memberships: [{ structureId: A, role: "REFERENT", relayStatus: null }] },
  "referent of B": { id: "u-referent-b", roles: ["LEARNER"], memberships: [{ structureId: B, role: "REFERENT", relayStatus: null }] },
  trainer: { id: "u-trainer", roles: ["LEARNER", "TRAINER"], memberships: [] },
  "other trainer": { id: "u-trainer-2", roles: ["TRAINER"], memberships: [] },
  admin: { id: "u-admin", roles: ["ADMIN"], memberships: [] },
  "member of an active relay": {
    id: "u-relay",
    roles: ["LEARNER"],
    memberships: [{ structureId: RELAY, role: "MEMBER", relayStatus: "ACTIVE" }],
  },
  "member of a suspended relay": {
    id: "u-relay-suspended",
    roles: ["LEARNER"],
    memberships: [{ structureId: SUSPENDED_RELAY, role: "REFERENT", relayStatus: "SUSPENDED" }],
  },
} satisfies Record<string, Actor>;
type ActorName = keyof typeof actors;

const targets = {
  none: undefined,
  "structure A": { structureId: A },
  "structure B": { structureId: B },
  "the active relay": { structureId: RELAY },
  "the suspended relay": { structureId: SUSPENDED_RELAY },
  "session of trainer": { sessionTrainerId: "u-trainer" },
  "session without trainer": { sessionTrainerId: null },
  "application of learner": { applicantId: "u-learner" },
  "application of referent of A": { applicantId: "u-referent-a" },
  "the learner": { personId: "u-learner" },
  "the admin themself": { personId: "u-admin" },
  "the learner's TRAINER role": { personId: "u-learner", role: "TRAINER" },
  "the learner's ADMIN role": { personId: "u-learner", role: "ADMIN" },
  "the admin's own ADMIN role": { personId: "u-admin", role: "ADMIN" },
  "the admin's own TRAINER role": { personId: "u-admin", role: "TRAINER" },
  "the trainer's own TRAINER role": { personId: "u-trainer", role: "TRAINER" },
} satisfies Record<string, PermissionTarget | undefined>;
type TargetName = keyof typeof targets;

// actor × action × target → allowed. Every row is a decision someone asked for; read it as a sentence.
const table: [ActorName, Action, TargetName, boolean][] = [
  // Administration: admins only.
  ["anonymous", "admin.access", "none", false],
  ["learner", "admin.access", "none", false],
  ["referent of A", "admin.access", "none", false],
  ["trainer", "admin.access", "none", false],
  ["admin", "admin.access", "none", true],
  ["member of an active relay", "admin.access", "none", false],

  // Trainer space: the TRAINER role, nothing else.
  ["anonymous", "trainer.space", "none", false],
  ["learner", "trainer.space", "none", false],
  ["referent of A", "trainer.space", "none", false],
  ["trainer", "trainer.space", "none", true],
  ["admin", "trainer.space", "none", false],

  // Inviting a colleague: a referent of that structure, or an admin.
  ["anonymous", "structure.invite", "structure A", false],
  ["learner", "structure.invite", "structure A", false],
  ["member of A", "structure.invite", "structure A", false],
  ["referent of A", "structure.invite", "structure A", true],
  ["referent of A", "structure.invite", "structure B", false],
  ["referent of B", "structure.invite", "structure A", false],
  ["referent of B", "structure.invite", "structure B", true],
  ["trainer", "structure.invite", "structure A", false],
  ["admin", "structure.invite", "structure A", true],
  ["member of an active relay", "structure.invite", "the active relay", false],
  ["referent of A", "structure.invite", "none", false],
  ["admin", "structure.invite", "none", false],

  // Seeing who belongs to a structure: its members (any role) or an admin.
  ["anonymous", "structure.viewMembers", "structure A", false],
  ["learner", "structure.viewMembers", "structure A", false],
  ["member of A", "structure.viewMembers", "structure A", true],
  ["member of A", "structure.viewMembers", "structure B", false],
  ["referent of A", "structure.viewMembers", "structure A", true],
  ["referent of B", "structure.viewMembers", "structure A", false],
  ["trainer", "structure.viewMembers", "structure A", false],
  ["admin", "structure.viewMembers", "structure A", true],
  ["member of an active relay", "structure.viewMembers", "the active relay", true],
  ["member of an active relay", "structure.viewMembers", "structure A", false],

  // Removing a member: a referent of that structure, or an admin.
  ["anonymous", "structure.removeMember", "structure A", false],
  ["learner", "structure.removeMember", "structure A", false],
  ["member of A", "structure.removeMember", "structure A", false],
  ["referent of A", "structure.removeMember", "structure A", true],
  ["referent of B", "structure.removeMember", "structure A", false],
  ["trainer", "structure.removeMember", "structure A", false],
  ["admin", "structure.removeMember", "structure A", true],
  ["member of an active relay", "structure.removeMember", "the active relay", false],

  // Issuing recharges: a member of that relay, and the relay is ACTIVE. Admins do not issue.
  ["anonymous", "relay.issueRecharges", "the active relay", false],
  ["learner", "relay.issueRecharges", "the active relay", false],
  ["member of A", "relay.issueRecharges", "structure A", false],
  ["referent of A", "relay.issueRecharges", "structure A", false],
  ["referent of B", "relay.issueRecharges", "the active relay", false],
  ["trainer", "relay.issueRecharges", "the active relay", false],
  ["admin", "relay.issueRecharges", "the active relay", false],
  ["member of an active relay", "relay.issueRecharges", "the active relay", true],
  ["member of an active relay", "relay.issueRecharges", "structure A", false],
  ["member of an active relay", "relay.issueRecharges", "none", false],
  ["member of a suspended relay", "relay.issueRecharges", "the suspended relay", false],

  // A session's roster: its own trainer, or an admin.
  ["anonymous", "session.viewRoster", "session of trainer", false],
  ["learner", "session.viewRoster", "session of trainer", false],
  ["member of A", "session.viewRoster", "session of trainer", false],
  ["referent of A", "session.viewRoster", "session of trainer", false],
  ["trainer", "session.viewRoster", "session of trainer", true],
  ["other trainer", "session.viewRoster", "session of trainer", false],
  ["trainer", "session.viewRoster", "session without trainer", false],
  ["trainer", "session.viewRoster", "none", false],
  ["admin", "session.viewRoster", "session of trainer", true],
  ["admin", "session.viewRoster", "session without trainer", true],
  ["member of an active relay", "session.viewRoster", "session of trainer", false],

  // Editing a relay application: the person who applied, no one else (not even staff).
  ["anonymous", "relayApplication.edit", "application of learner", false],
  ["learner", "relayApplication.edit", "application of learner", true],
  ["referent of A", "relayApplication.edit", "application of learner", false],
  ["referent of A", "relayApplication.edit", "application of referent of A", true],
  ["admin", "relayApplication.edit", "application of learner", false],
  ["learner", "relayApplication.edit", "none", false],

  // Reading one: the applicant or staff.
  ["anonymous", "relayApplication.view", "application of learner", false],
  ["learner", "relayApplication.view", "application of learner", true],
  ["member of an active relay", "relayApplication.view", "application of learner", false],
  ["trainer", "relayApplication.view", "application of learner", false],
  ["admin", "relayApplication.view", "application of learner", true],
  ["admin", "relayApplication.view", "none", false],

  // Reviewing applications and suspending relays: staff.
  ["anonymous", "relayApplication.review", "none", false],
  ["learner", "relayApplication.review", "none", false],
  ["member of an active relay", "relayApplication.review", "none", false],
  ["trainer", "relayApplication.review", "none", false],
  ["admin", "relayApplication.review", "none", true],
  ["anonymous", "relay.suspend", "the active relay", false],
  ["member of an active relay", "relay.suspend", "the active relay", false],
  ["admin", "relay.suspend", "the active relay", true],

  // The relay space: members of that relay, whatever its status.
  ["anonymous", "relay.viewSpace", "the active relay", false],
  ["member of an active relay", "relay.viewSpace", "the active relay", true],
  ["member of a suspended relay", "relay.viewSpace", "the suspended relay", true],
  ["member of a suspended relay", "relay.viewSpace", "the active relay", false],
  ["member of A", "relay.viewSpace", "structure A", false],
  ["admin", "relay.viewSpace", "the active relay", false],
  ["member of an active relay", "relay.viewSpace", "none", false],

  // Managing it (staff, details): the relay's referents.
  ["anonymous", "relay.manage", "the active relay", false],
  ["member of an active relay", "relay.manage", "the active relay", false],
  ["member of a suspended relay", "relay.manage", "the suspended relay", true],
  ["member of a suspended relay", "relay.manage", "the active relay", false],
  ["referent of A", "relay.manage", "structure A", false],
  ["admin", "relay.manage", "the active relay", false],
  // Assessing and closing a session (objectives reached, certificates): its trainer or staff.
  ["anonymous", "session.assess", "session of trainer", false],
  ["learner", "session.assess", "session of trainer", false],
  ["referent of A", "session.assess", "session of trainer", false],
  ["trainer", "session.assess", "session of trainer", true],
  ["other trainer", "session.assess", "session of trainer", false],
  ["trainer", "session.assess", "session without trainer", false],
  ["admin", "session.assess", "session without trainer", true],

  // People management (/admin/personnes): staff only.
  ["anonymous", "people.view", "none", false],
  ["learner", "people.view", "none", false],
  ["referent of A", "people.view", "none", false],
  ["trainer", "people.view", "none", false],
  ["admin", "people.view", "none", true],
  ["anonymous", "people.invite", "none", false],
  ["trainer", "people.invite", "none", false],
  ["member of an active relay", "people.invite", "none", false],
  ["admin", "people.invite", "none", true],

  // Granting a role: staff, to anyone (themself included: it takes nothing away).
  ["anonymous", "person.grantRole", "the learner", false],
  ["learner", "person.grantRole", "the learner", false],
  ["trainer", "person.grantRole", "the learner", false],
  ["referent of A", "person.grantRole", "the learner", false],
  ["admin", "person.grantRole", "the learner", true],
  ["admin", "person.grantRole", "the admin themself", true],
  ["admin", "person.grantRole", "none", false],

  // Removing one: staff, but never their own admin role.
  ["anonymous", "person.removeRole", "the learner's TRAINER role", false],
  ["learner", "person.removeRole", "the learner's TRAINER role", false],
  ["trainer", "person.removeRole", "the trainer's own TRAINER role", false],
  ["admin", "person.removeRole", "the learner's TRAINER role", true],
  ["admin", "person.removeRole", "the learner's ADMIN role", true],
  ["admin", "person.removeRole", "the admin's own ADMIN role", false],
  ["admin", "person.removeRole", "the admin's own TRAINER role", true],
  ["admin", "person.removeRole", "the learner", false],

  // Deactivating an account: staff, never their own; reactivating: staff.
  ["anonymous", "person.deactivate", "the learner", false],
  ["learner", "person.deactivate", "the learner", false],
  ["trainer", "person.deactivate", "the learner", false],
  ["admin", "person.deactivate", "the learner", true],
  ["admin", "person.deactivate", "the admin themself", false],
  ["admin", "person.deactivate", "none", false],
  ["anonymous", "person.reactivate", "the learner", false],
  ["referent of A", "person.reactivate", "the learner", false],
  ["admin", "person.reactivate", "the learner", true],
];

describe("can(actor, action, target)", () => {
  it.each(table)("%s → %s on %s: %s", (actorName, action, targetName, expected) => {
    expect(can(actors[actorName], action, targets[targetName])).toBe(expected);
  });

  it("covers every action for every kind of actor in the table", () => {
    for (const action of ACTIONS) {
      const rows = table.filter(([, a]) => a === action);
      expect(rows.some(([actor]) => actor === "anonymous"), `${action}: anonymous row`).toBe(true);
      expect(rows.some(([, , , allowed]) => allowed), `${action}: an allowed row`).toBe(true);
      expect(rows.some(([, , , allowed]) => !allowed), `${action}: a refused row`).toBe(true);
    }
  });

  it("refuses an action it does not know (e.g. a typo reaching it at run time)", () => {
    expect(can(actors.admin, "admin.everything" as Action)).toBe(false);
  });
});

describe("helpers", () => {
  it.each([
    ["anonymous", []],
    ["member of A", []],
    ["referent of A", [A]],
    ["member of a suspended relay", [SUSPENDED_RELAY]],
  ] as [ActorName, string[]][])("referentStructureIds(%s) = %j", (name, expected) => {
    expect(referentStructureIds(actors[name])).toEqual(expected);
  });

  it.each([
    ["anonymous", []],
    ["referent of A", []],
    ["member of an active relay", [RELAY]],
    ["member of a suspended relay", []],
  ] as [ActorName, string[]][])("issuingRelayStructureIds(%s) = %j", (name, expected) => {
    expect(issuingRelayStructureIds(actors[name])).toEqual(expected);
  });
});
