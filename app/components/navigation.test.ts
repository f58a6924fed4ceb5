import { describe, expect, it } from "vitest";
import { navigationFor, type NavUser } from "./navigation";

const people: Record<string, NavUser> = {
  anonymous: null,
  learner: { roles: ["LEARNER"], isReferent: false },
  referent: { roles: ["LEARNER"], isReferent: true },
  trainer: { roles: ["LEARNER", "TRAINER"], isReferent: false },
  admin: { roles: ["ADMIN"], isReferent: false },
  "trainer, admin and referent": { roles: ["TRAINER", "ADMIN"], isReferent: true },
};

// who × which links, in order.
const table: [string, string[]][] = [
  ["anonymous", ["/", "/formations"]],
  ["learner", ["/", "/formations", "/mon-espace"]],
  ["referent", ["/", "/formations", "/mon-espace", "/ma-structure"]],
  ["trainer", ["/", "/formations", "/mon-espace", "/formateur"]],
  ["admin", ["/", "/formations", "/mon-espace", "/admin", "/admin/formations", "/admin/inscriptions", "/admin/recharges"]],
  ["trainer, admin and referent", ["/", "/formations", "/mon-espace", "/ma-structure", "/formateur", "/admin", "/admin/formations", "/admin/inscriptions", "/admin/recharges"]],
];

describe("navigationFor", () => {
  it.each(table)("%s sees %j", (who, expected) => {
    expect(navigationFor(people[who] ?? null).map((l) => l.to)).toEqual(expected);
  });

  it("labels every link in French", () => {
    const all = navigationFor(people["trainer, admin and referent"] ?? null);
    expect(all.map((l) => l.label)).toEqual(["Accueil", "Formations", "Mon espace", "Ma structure", "Espace formateur", "Administration", "Modules de formation", "Inscriptions", "Recharges"]);
  });
});
