import { describe, expect, it } from "vitest";
import type { Actor } from "~/modules/auth/permissions.rules";
import {
  deactivationRefusal,
  LAST_ADMIN_MESSAGE,
  OWN_ADMIN_ROLE_MESSAGE,
  OWN_DEACTIVATION_MESSAGE,
  reactivationRefusal,
  roleChangeRefusal,
  type PersonState,
  type RoleChange,
} from "./people.rules";

const admin: NonNullable<Actor> = { id: "u-admin", roles: ["ADMIN"], memberships: [] };
const trainerActor: NonNullable<Actor> = { id: "u-trainer", roles: ["TRAINER"], memberships: [] };
const when = new Date("2026-12-01T10:00:00Z");

const people = {
  "the admin themself": { id: "u-admin", name: "Inès Admin", roles: ["ADMIN"], deactivatedAt: null },
  "another admin": { id: "u-admin-2", name: "Hugo Admin", roles: ["ADMIN", "TRAINER"], deactivatedAt: null },
  "a deactivated admin": { id: "u-admin-3", name: "Léa Partie", roles: ["ADMIN"], deactivatedAt: when },
  "a learner": { id: "u-learner", name: "Zoé Apprenante", roles: ["LEARNER"], deactivatedAt: null },
  "a deactivated learner": { id: "u-gone", name: "Paul Parti", roles: ["LEARNER"], deactivatedAt: when },
} satisfies Record<string, PersonState>;
type Who = keyof typeof people;

const grant = (role: RoleChange["role"]): RoleChange => ({ kind: "grant", role });
const remove = (role: RoleChange["role"]): RoleChange => ({ kind: "remove", role });

// actor × person × change × active admins → refusal (null: allowed).
const roleTable: [string, Actor, Who, RoleChange, number, string | null][] = [
  ["admin grants trainer to a learner", admin, "a learner", grant("TRAINER"), 1, null],
  ["admin grants admin to a learner", admin, "a learner", grant("ADMIN"), 1, null],
  ["admin grants a role the person has", admin, "a learner", grant("LEARNER"), 1, "Zoé Apprenante a déjà le rôle apprenant·e."],
  ["trainer grants a role", trainerActor, "a learner", grant("TRAINER"), 1, "Vous ne pouvez pas donner de rôle."],
  ["anonymous grants a role", null, "a learner", grant("TRAINER"), 1, "Vous ne pouvez pas donner de rôle."],
  ["admin removes a learner's role", admin, "a learner", remove("LEARNER"), 1, null],
  ["admin removes a role the person lacks", admin, "a learner", remove("TRAINER"), 1, "Zoé Apprenante n'a pas le rôle formateur·rice."],
  ["admin removes another admin's role (two admins)", admin, "another admin", remove("ADMIN"), 2, null],
  ["admin removes another admin's trainer role", admin, "another admin", remove("TRAINER"), 1, null],
  ["admin removes their own admin role (two admins)", admin, "the admin themself", remove("ADMIN"), 2, OWN_ADMIN_ROLE_MESSAGE],
  ["admin removes their own admin role (the only one)", admin, "the admin themself", remove("ADMIN"), 1, LAST_ADMIN_MESSAGE],
  ["the last active admin's role removed", admin, "another admin", remove("ADMIN"), 1, LAST_ADMIN_MESSAGE],
  ["a deactivated admin's role removed (one active admin)", admin, "a deactivated admin", remove("ADMIN"), 1, null],
  ["trainer removes a learner's role", trainerActor, "a learner", remove("LEARNER"), 1, "Vous ne pouvez pas retirer de rôle."],
];

describe("roleChangeRefusal", () => {
  it.each(roleTable)("%s", (_label, actor, who, change, activeAdmins, expected) => {
    expect(roleChangeRefusal(actor, people[who], change, activeAdmins)).toBe(expected);
  });
});

const deactivationTable: [string, Actor, Who, number, string | null][] = [
  ["admin deactivates a learner", admin, "a learner", 1, null],
  ["admin deactivates another admin (two admins)", admin, "another admin", 2, null],
  ["admin deactivates the last other active admin", admin, "another admin", 1, LAST_ADMIN_MESSAGE],
  ["admin deactivates themself", admin, "the admin themself", 2, OWN_DEACTIVATION_MESSAGE],
  ["admin deactivates a deactivated account", admin, "a deactivated learner", 1, "Ce compte est déjà désactivé."],
  ["trainer deactivates a learner", trainerActor, "a learner", 1, "Vous ne pouvez pas désactiver de compte."],
  ["anonymous deactivates a learner", null, "a learner", 1, "Vous ne pouvez pas désactiver de compte."],
];

describe("deactivationRefusal", () => {
  it.each(deactivationTable)("%s", (_label, actor, who, activeAdmins, expected) => {
    expect(deactivationRefusal(actor, people[who], activeAdmins)).toBe(expected);
  });
});

describe("reactivationRefusal", () => {
  it.each([
    ["admin reactivates a deactivated account", admin, "a deactivated learner", null],
    ["admin reactivates an active account", admin, "a learner", "Ce compte est déjà actif."],
    ["trainer reactivates", trainerActor, "a deactivated learner", "Vous ne pouvez pas réactiver de compte."],
  ] as [string, Actor, Who, string | null][])("%s", (_label, actor, who, expected) => {
    expect(reactivationRefusal(actor, people[who])).toBe(expected);
  });
});
