/**
 * Open data to the national standard, through the real server (built app, database per
 * TEST_DATABASE): a referent fills the relay's details in the relay space (services from the
 * standard's list, hours per weekday), and every row of /relais/donnees.json and .csv is
 * accepted by the standard's own package, @gouvfr-anct/lieux-de-mediation-numerique.
 */
import { fromSchemaLieuDeMediationNumerique, Service, type SchemaLieuMediationNumerique } from "@gouvfr-anct/lieux-de-mediation-numerique";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postForm, startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { createMembership, createModule, createStructure, createUser, FACTORY_PASSWORD } from "../factories";
import { createRelayMember } from "../recharge-factories";
import { configureSqlite, createDb, type Db } from "../../app/utils/db.server";
import { providerOf } from "../../app/utils/db-adapter.server";

let app: AppServer;
let testDb: Db;
let referentCookie = "";
const ids = {} as Record<"lyon" | "rna" | "noAddress" | "legacy", string>;

const textOf = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&").replace(/\s+/g, " ");
const saveDetails = (structureId: string, fields: [string, string][]) =>
  fetch(`${app.url}/espace-relais?structure=${encodeURIComponent(structureId)}`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: app.url, "Content-Type": "application/x-www-form-urlencoded", Cookie: referentCookie },
    body: new URLSearchParams([["intent", "details"], ["structureId", structureId], ...fields]),
  });

beforeAll(async () => {
  const url = testDatabaseUrl("relay_open_data_http");
  app = await startAppServer({ databaseUrl: url, env: { SEED_DEMO_DATA: "never" } });
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
  const module = await createModule(testDb, {});
  const referent = await createUser(testDb, { roles: ["LEARNER"] });
  const login = await postForm(app, "/connexion", { email: referent.email, password: FACTORY_PASSWORD });
  referentCookie = login.headers.getSetCookie().find((c) => c.startsWith("maillon_session="))!.split(";")[0]!;

  // Each relay is really active: one certified member (the status is re-checked when a page shows it).
  const relay = async (structure: { id: string }, data: { services?: string; openingHours?: string } = {}) => {
    const created = await testDb.relay.create({ data: { structureId: structure.id, requiredModuleId: module.id, status: "ACTIVE", ...data } });
    await createRelayMember(testDb, { structureId: structure.id, requiredModuleId: module.id });
    return created.id;
  };
  const lyon = await createStructure(testDb, { name: 'CCAS de Lyon — "Guillotière"', address: "12, rue de l'Épée", postcode: "69007", city: "Lyon" });
  ids.lyon = lyon.id;
  await relay(lyon);
  await createMembership(testDb, { userId: referent.id, structureId: lyon.id, role: "REFERENT" });
  const rna = await createStructure(testDb, { name: "Association Écoute & Partage", type: "ASSOCIATION", siret: null, rna: "W931234567", address: "3 place du 8-Mai-1945", postcode: "93200", city: "Saint-Denis" });
  ids.rna = await relay(rna, { services: "Aide aux démarches administratives" });
  const noAddress = await createStructure(testDb, { name: "Foyer sans adresse", address: null, postcode: null, city: null });
  ids.noAddress = await relay(noAddress);
  const legacy = await createStructure(testDb, { name: "CHRS L'Escale", type: "CHRS", postcode: "59800", city: "Lille" });
  ids.legacy = legacy.id;
  await relay(legacy, { services: "Recharges mobiles\nAteliers du jeudi", openingHours: "Lundi, mardi : 9 h – 12 h" });
  await createMembership(testDb, { userId: referent.id, structureId: legacy.id, role: "REFERENT" });
  const pending = await createStructure(testDb, { name: "Relais en attente" });
  await testDb.relay.create({ data: { structureId: pending.id, requiredModuleId: module.id, status: "PENDING_CERTIFICATION" } });
}, 120_000);

afterAll(async () => {
  await testDb?.$disconnect();
  await app?.stop();
});

describe("relay details in the standard's terms", () => {
  it("refuses hours it cannot read, next to the day, and keeps what was typed and checked", async () => {
    const res = await saveDetails(ids.lyon, [
      ["services", Service.AideAuxDemarchesAdministratives],
      ["services", Service.UtilisationSecuriseeDuNumerique],
      ["hours_Mo", "9h-12h, 13h30-17h"],
      ["hours_Tu", "le matin"],
    ]);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(textOf(html)).toContain("« le matin » n'est pas une plage horaire");
    expect(html.match(/<input[^>]*name="hours_Tu"[^>]*>/)?.[0]).toContain('aria-invalid="true"');
    expect(html).toContain('value="9h-12h, 13h30-17h"');
    expect(html.match(/<input[^>]*value="Utilisation sécurisée du numérique"[^>]*>/)?.[0]).toContain("checked");
    expect(html.match(/<input[^>]*value="Loisirs et créations numériques"[^>]*>/)?.[0]).not.toContain("checked");
    const stored = await testDb.relay.findFirstOrThrow({ where: { structureId: ids.lyon } });
    expect(stored.openingHours).toBeNull();
  });

  it("refuses a service outside the standard's list", async () => {
    const res = await saveDetails(ids.lyon, [["services", "Recharges gratuites"]]);
    expect(res.status).toBe(400);
    expect(textOf(await res.text())).toContain("Choisissez les services dans la liste.");
  });

  it("stores standard services and OSM hours, shown back in French in the directory", async () => {
    const res = await saveDetails(ids.lyon, [
      ["description", "Accueil sans rendez-vous, au 1er étage"],
      ["services", Service.AideAuxDemarchesAdministratives],
      ["services", Service.UtilisationSecuriseeDuNumerique],
      ["hours_Mo", "9h-12h, 13h30-17h"],
      ["hours_Tu", "9h-12h, 13h30-17h"],
      ["hours_We", "9:00 – 12:00 et 13 h 30 à 17 h"],
      ["hours_Fr", "9h-12h"],
    ]);
    expect(res.status).toBe(302);
    const stored = await testDb.relay.findFirstOrThrow({ where: { structureId: ids.lyon } });
    expect(stored.services).toBe("Aide aux démarches administratives|Utilisation sécurisée du numérique");
    expect(stored.openingHours).toBe("Mo-We 09:00-12:00,13:30-17:00; Fr 09:00-12:00");
    const directory = textOf(await (await fetch(`${app.url}/relais?q=69007`)).text());
    expect(directory).toContain("Mercredi : 9 h – 12 h, 13 h 30 – 17 h");
    expect(directory).toContain("Utilisation sécurisée du numérique");
  });

  it("shows free text typed before the choice list to the referent, without exporting it", async () => {
    const html = textOf(await (await fetch(`${app.url}/espace-relais?structure=${ids.legacy}`, { headers: { Cookie: referentCookie } })).text());
    expect(html).toContain("Votre ancienne saisie, à reporter dans la liste : Recharges mobiles");
    expect(html).toContain("Votre ancienne saisie, à reporter jour par jour : Lundi, mardi : 9 h – 12 h");
  });
});

describe("/relais/donnees.json and .csv", () => {
  const validate = (item: Record<string, unknown>) => fromSchemaLieuDeMediationNumerique(item as unknown as SchemaLieuMediationNumerique);

  it("every JSON row is a valid place of the national standard", async () => {
    const res = await fetch(`${app.url}/relais/donnees.json`);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const rows = (await res.json()) as Record<string, string>[];
    expect(rows.map((r) => r.nom).sort()).toEqual(["Association Écoute & Partage", "CCAS de Lyon — \"Guillotière\"", "CHRS L'Escale"]);
    for (const row of rows) expect(() => validate(row)).not.toThrow();
    const byName = Object.fromEntries(rows.map((r) => [r.nom, r]));
    expect(byName["Association Écoute & Partage"]!.pivot).toBe("W931234567");
    expect(byName["Association Écoute & Partage"]!.horaires).toBeUndefined();
    expect(byName["CHRS L'Escale"]!.services).toBe(Service.AccesInternetEtMaterielInformatique);
    expect(byName["CHRS L'Escale"]!.horaires).toBeUndefined();
    const lyon = byName['CCAS de Lyon — "Guillotière"']!;
    expect(lyon).toMatchObject({ adresse: "12, rue de l'Épée", code_postal: "69007", commune: "Lyon", horaires: "Mo-We 09:00-12:00,13:30-17:00; Fr 09:00-12:00", source: "Association Maillon" });
    expect(lyon.date_maj).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(JSON.stringify(rows)).not.toContain("@");
  });

  it("every CSV row is a valid place of the national standard", async () => {
    const res = await fetch(`${app.url}/relais/donnees.csv`);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const records = parse(await res.text(), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    expect(records).toHaveLength(3);
    for (const record of records) {
      const place = validate(Object.fromEntries(Object.entries(record).filter(([, v]) => v !== "")));
      expect(place.services).toContain(Service.AccesInternetEtMaterielInformatique);
    }
  });
});
