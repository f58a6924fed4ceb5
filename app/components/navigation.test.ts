import { describe, expect, it } from "vitest";
import { navigationFor, type NavUser } from "./navigation";

const people: Record<string, NavUser> = {
  anonymous: null,
  learner: { roles: ["LEARNER"], isReferent: false },
  referent: { roles: ["LEARNER"], isReferent: true },
  trainer: { roles: ["LEARNER", "TRAINER"], isReferent: false },
  admin: { roles: ["ADMIN"], isReferent: false },
  "trainer, admin and referent": { roles: ["TRAINER", "ADMIN"], isReferent: true },
  "relay member": { roles: ["LEARNER"], isReferent: false, inRelay: true },
};

// who × which links, in order.
const table: [string, string[]][] = [
  ["anonymous", ["/", "/formations", "/relais"]],
  ["learner", ["/", "/formations", "/relais", "/mon-espace"]],
  ["referent", ["/", "/formations", "/relais", "/mon-espace", "/ma-structure"]],
  ["relay member", ["/", "/formations", "/relais", "/mon-espace", "/espace-relais"]],
  ["trainer", ["/", "/formations", "/relais", "/mon-espace", "/formateur"]],
  ["admin", ["/", "/formations", "/relais", "/mon-espace", "/admin", "/admin/formations", "/admin/inscriptions", "/admin/relais", "/admin/recharges", "/admin/personnes"]],
  ["trainer, admin and referent", ["/", "/formations", "/relais", "/mon-espace", "/ma-structure", "/formateur", "/admin", "/admin/formations", "/admin/inscriptions", "/admin/relais", "/admin/recharges", "/admin/personnes"]],
];

describe("navigationFor", () => {
  it.each(table)("%s sees %j", (who, expected) => {
    expect(navigationFor(people[who] ?? null).map((l) => l.to)).toEqual(expected);
  });

  it("labels every link in French", () => {
    const all = navigationFor(people["trainer, admin and referent"] ?? null);
    expect(all.map((l) => l.label)).toEqual(["Accueil", "Formations", "Relais Numériques", "Mon espace", "Ma structure", "Espace formateur", "Administration", "Modules de formation", "Inscriptions", "Candidatures relais", "Recharges", "Personnes"]);
  });
});
