import { fromSchemaLieuDeMediationNumerique, Service, type SchemaLieuMediationNumerique } from "@gouvfr-anct/lieux-de-mediation-numerique";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import {
  describeOpeningHours,
  formatDayInput,
  legacyServicesText,
  MEDIATION_SERVICES,
  parseDayHours,
  parseOsmOpeningHours,
  relayServices,
  serializeServices,
  toMediationPlaces,
  toMediationPlacesCsv,
  toOsmOpeningHours,
  type OpenDataRelay,
  type WeekHours,
} from "./open-data.rules";

const week = (partial: Partial<WeekHours>): WeekHours => ({ Mo: [], Tu: [], We: [], Th: [], Fr: [], Sa: [], Su: [], ...partial });
const h = (from: string, to: string) => {
  const m = (t: string) => Number(t.split(":")[0]) * 60 + Number(t.split(":")[1]);
  return { from: m(from), to: m(to) };
};

describe("the standard's services", () => {
  it("are exactly the package's list (a new version of the standard fails here)", () => {
    expect([...MEDIATION_SERVICES].sort()).toEqual(Object.values(Service).sort());
  });

  it("keep only standard values, always with internet access (relays issue recharges)", () => {
    expect(relayServices("Aide aux démarches administratives|Recharges mobiles")).toEqual(["Aide aux démarches administratives", "Accès internet et matériel informatique"]);
    expect(relayServices(null)).toEqual(["Accès internet et matériel informatique"]);
    expect(serializeServices(["Accès internet et matériel informatique", "Loisirs et créations numériques", "n'importe quoi"])).toBe("Loisirs et créations numériques");
    expect(serializeServices([])).toBeNull();
  });

  it("keep free text typed before the choice list, to show it to the referent", () => {
    expect(legacyServicesText("Recharges mobiles\nAteliers collectifs")).toBe("Recharges mobiles\nAteliers collectifs");
    expect(legacyServicesText("Aide aux démarches administratives")).toBeNull();
  });
});

describe("opening hours", () => {
  it.each([
    ["9h-12h, 13h30-17h", [h("09:00", "12:00"), h("13:30", "17:00")]],
    ["09:00 – 12:00 et 14 h à 17 h", [h("09:00", "12:00"), h("14:00", "17:00")]],
    ["14h-18h;9-12", [h("09:00", "12:00"), h("14:00", "18:00")]],
    ["", []],
    ["fermé", []],
  ])("reads %j", (input, ranges) => {
    expect(parseDayHours(input)).toEqual({ ok: true, ranges });
  });

  it.each([
    ["le matin", "n'est pas une plage horaire"],
    ["12h-9h", "finit avant de commencer"],
    ["9h-12h, 11h-14h", "se chevauchent"],
    ["25h-26h", "n'est pas une plage horaire"],
  ])("refuses %j in French", (input, message) => {
    const result = parseDayHours(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });

  it("writes OSM syntax, grouping consecutive days with the same hours, and reads it back", () => {
    const hours = week({ Mo: [h("09:00", "12:00"), h("13:30", "17:00")], Tu: [h("09:00", "12:00"), h("13:30", "17:00")], We: [h("09:00", "12:00"), h("13:30", "17:00")], Fr: [h("09:00", "12:00")], Sa: [h("09:00", "12:00")] });
    const osm = toOsmOpeningHours(hours);
    expect(osm).toBe("Mo-We 09:00-12:00,13:30-17:00; Fr,Sa 09:00-12:00");
    expect(parseOsmOpeningHours(osm)).toEqual(hours);
    expect(toOsmOpeningHours(week({}))).toBeNull();
    expect(formatDayInput(hours.Mo)).toBe("9h-12h, 13h30-17h");
    expect(describeOpeningHours(osm)).toEqual(["Lundi : 9 h – 12 h, 13 h 30 – 17 h", "Mardi : 9 h – 12 h, 13 h 30 – 17 h", "Mercredi : 9 h – 12 h, 13 h 30 – 17 h", "Vendredi : 9 h – 12 h", "Samedi : 9 h – 12 h"]);
  });

  it("treats free text typed before as not OSM", () => {
    expect(parseOsmOpeningHours("Lundi, mardi : 9 h – 12 h")).toBeNull();
    expect(describeOpeningHours("Lundi, mardi : 9 h – 12 h")).toEqual(["Lundi, mardi : 9 h – 12 h"]);
  });
});

const relay = (overrides: Partial<OpenDataRelay>): OpenDataRelay => ({
  id: "relay-1",
  name: "CCAS de Lyon",
  siret: "26690048900011",
  rna: null,
  address: "12 rue de l'Épée",
  postcode: "69007",
  city: "Lyon",
  description: null,
  services: null,
  openingHours: null,
  updatedAt: new Date("2026-11-30T23:30:00Z"),
  ...overrides,
});

const RELAYS: OpenDataRelay[] = [
  relay({ services: "Aide aux démarches administratives|Utilisation sécurisée du numérique", openingHours: "Mo-We 09:00-12:00,13:30-17:00; Fr 09:00-12:00", description: 'Accueil "sans rendez-vous", au 1er étage' }),
  relay({ id: "relay-2", name: "Association Écoute & Partage — Saint-Denis", siret: null, rna: "W931234567", address: "3, place du 8-Mai-1945", postcode: "93200", city: "Saint-Denis", openingHours: "Lundi 9 h" }),
  relay({ id: "relay-3", name: "Foyer sans identifiant", siret: null, rna: null, city: "L'Haÿ-les-Roses", postcode: "94240" }),
  relay({ id: "relay-4", name: "Relais sans adresse", address: null }),
];

describe("the export", () => {
  const { rows, incomplete } = toMediationPlaces(RELAYS, "Association Maillon");

  it("maps each relay onto the standard's fields", () => {
    expect(incomplete).toBe(1);
    expect(rows.map((r) => r.id)).toEqual(["relay-1", "relay-2", "relay-3"]);
    expect(rows[0]).toEqual({
      id: "relay-1",
      pivot: "26690048900011",
      nom: "CCAS de Lyon",
      adresse: "12 rue de l'Épée",
      commune: "Lyon",
      code_postal: "69007",
      services: "Aide aux démarches administratives|Utilisation sécurisée du numérique|Accès internet et matériel informatique",
      date_maj: "2026-12-01",
      source: "Association Maillon",
      horaires: "Mo-We 09:00-12:00,13:30-17:00; Fr 09:00-12:00",
      presentation_detail: 'Accueil "sans rendez-vous", au 1er étage',
    });
    expect(rows[1]!.pivot).toBe("W931234567");
    expect(rows[1]!.horaires).toBeUndefined();
    expect(rows[2]!.pivot).toBe("00000000000000");
  });

  it("gives rows the standard's own package accepts, from JSON and from CSV", () => {
    for (const row of rows) expect(() => fromSchemaLieuDeMediationNumerique(row)).not.toThrow();
    const records = parse(toMediationPlacesCsv(rows), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    expect(records).toHaveLength(rows.length);
    for (const record of records) {
      const item = Object.fromEntries(Object.entries(record).filter(([, v]) => v !== "")) as unknown as SchemaLieuMediationNumerique;
      const place = fromSchemaLieuDeMediationNumerique(item);
      expect(place.services).toContain(Service.AccesInternetEtMaterielInformatique);
    }
    expect(records[0]!.presentation_detail).toBe('Accueil "sans rendez-vous", au 1er étage');
  });

  it("the package refuses what the standard refuses (the check is not a formality)", () => {
    expect(() => fromSchemaLieuDeMediationNumerique({ ...rows[0]!, services: "Recharges mobiles" })).toThrow();
    expect(() => fromSchemaLieuDeMediationNumerique({ ...rows[0]!, code_postal: "6900" })).toThrow();
  });

  it("neutralises spreadsheet formulas in the CSV", () => {
    const csv = toMediationPlacesCsv(toMediationPlaces([relay({ name: '=HYPERLINK("x")' })], "S").rows);
    expect(csv.split("\r\n")[1]).toContain(`"'=HYPERLINK(""x"")"`);
  });
});
