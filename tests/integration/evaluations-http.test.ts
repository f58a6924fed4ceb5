/**
 * The survey page and the yearly report through the real server over HTTP (built app, real
 * database per TEST_DATABASE): a survey answered from its personal link without logging in,
 * once; the report and its CSV for staff only; the module page publishing the rates.
 */
import { createHash, randomBytes } from "node:crypto";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postForm, startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { createEnrolment, createModule, createSession, createUser, FACTORY_PASSWORD, halfDaySlots, markAttendance } from "../factories";
import { configureSqlite, createDb, type Db } from "../../app/utils/db.server";
import { providerOf } from "../../app/utils/db-adapter.server";

let app: AppServer;
let testDb: Db;
const cookies = {} as Record<"learner" | "trainer" | "admin", string>;
const tokens = {} as Record<"hot" | "cold" | "answered", string>;
let moduleSlug = "";

async function login(email: string): Promise<string> {
  const res = await postForm(app, "/connexion", { email, password: FACTORY_PASSWORD });
  expect(res.status, `login of ${email}`).toBe(302);
  return res.headers.getSetCookie().find((c) => c.startsWith("maillon_session="))!.split(";")[0]!;
}
const get = (path: string, cookie?: string) => fetch(`${app.url}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
const textOf = (html: string) => html.replace(/<!-- -->/g, "").replace(/<[^>]+>/g, " ").replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/\s+/g, " ");

beforeAll(async () => {
  const url = testDatabaseUrl("evaluations_http");
  app = await startAppServer({ databaseUrl: url });
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
  for (const role of ["learner", "trainer", "admin"] as const) {
    const user = await createUser(testDb, { roles: [role === "learner" ? "LEARNER" : role === "trainer" ? "TRAINER" : "ADMIN"] });
    cookies[role] = await login(user.email);
  }
  const module = await createModule(testDb, { title: "Transmission d'ateliers clé en main" });
  moduleSlug = module.slug;
  const session = await createSession(testDb, {
    moduleId: module.id,
    status: "CLOSED",
    closedAt: new Date("2025-06-11T16:00:00Z"),
    slots: halfDaySlots([{ year: 2025, month: 6, day: 10 }]),
  });
  const survey = async (kind: "HOT" | "COLD", funding: "OPCO" | "FREE", satisfaction?: number) => {
    const user = await createUser(testDb, { name: "Jean-Éric Lefèvre-Saint-Aubin" });
    const e = await createEnrolment(testDb, { sessionId: session.id, userId: user.id, funding, objectivesReached: true });
    for (const slot of session.slots) await markAttendance(testDb, { slotId: slot.id, enrolmentId: e.id });
    const token = randomBytes(32).toString("base64url");
    await testDb.surveyResponse.create({
      data: {
        enrolmentId: e.id,
        kind,
        tokenHash: createHash("sha256").update(token).digest("hex"),
        sentAt: new Date("2025-06-11T16:05:00Z"),
        ...(satisfaction ? { respondedAt: new Date("2025-06-12T08:00:00Z"), satisfaction, answers: { recommend: true, comment: null } } : {}),
      },
    });
    return token;
  };
  tokens.hot = await survey("HOT", "OPCO");
  tokens.cold = await survey("COLD", "FREE");
  tokens.answered = await survey("HOT", "OPCO", 4);
});

afterAll(async () => {
  await testDb?.$disconnect();
  await app?.stop();
});

describe("/questionnaire/:token", () => {
  it("shows the end-of-session survey to anyone holding the link, without logging in", async () => {
    const res = await get(`/questionnaire/${tokens.hot}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(textOf(html)).toContain("Questionnaire de fin de formation");
    expect(textOf(html)).toContain("Formation « Transmission d'ateliers clé en main » (Le 10 juin 2025)");
    expect(html).toMatch(/<fieldset[^>]*><legend>Dans l&#x27;ensemble, êtes-vous satisfait·e de cette formation \? \(obligatoire\)<\/legend>/);
    expect(html.match(/type="radio"[^>]*name="satisfaction"/g)).toHaveLength(5);
    expect(html).not.toContain('name="practice"');
  });

  it("asks the follow-up survey what the trainee uses in their practice", async () => {
    const html = await (await get(`/questionnaire/${tokens.cold}`)).text();
    expect(textOf(html)).toContain("trois mois après la formation");
    expect(textOf(html)).toContain("Qu'utilisez-vous de cette formation dans votre pratique ?");
  });

  it("refuses an incomplete answer with French messages next to the questions, keeping what was typed", async () => {
    const res = await postForm(app, `/questionnaire/${tokens.hot}`, { comment: "Les « ateliers » étaient très concrets & utiles." });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('<fieldset aria-describedby="satisfaction-error">');
    expect(html).toMatch(/<p class="error" id="satisfaction-error">Choisissez une note de 1 à 5\.<\/p>/);
    expect(html).toMatch(/id="recommend-error">Indiquez si vous recommanderiez cette formation\./);
    expect(html).toContain("Les « ateliers » étaient très concrets &amp; utiles.");
    expect(await testDb.surveyResponse.count({ where: { respondedAt: { not: null } } })).toBe(1);
  });

  it("records one answer, then thanks and refuses a second one with a clear message", async () => {
    const first = await postForm(app, `/questionnaire/${tokens.hot}`, { satisfaction: "5", recommend: "oui", comment: "Merci !" });
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toBe(`/questionnaire/${tokens.hot}`);
    const thanks = textOf(await (await get(`/questionnaire/${tokens.hot}`)).text());
    expect(thanks).toContain("Merci ! Votre réponse du");
    expect(thanks).not.toContain("Envoyer mes réponses");

    const second = await postForm(app, `/questionnaire/${tokens.hot}`, { satisfaction: "1", recommend: "non" });
    expect(second.status).toBe(409);
    expect(textOf(await second.text())).toContain("Vous avez déjà répondu à ce questionnaire : une seule réponse est possible");
    const rows = await testDb.surveyResponse.findMany({ where: { satisfaction: { not: null } }, select: { satisfaction: true }, orderBy: { satisfaction: "asc" } });
    expect(rows.map((r) => r.satisfaction)).toEqual([4, 5]);
  });

  it("answers an unknown or malformed link with a clear page", async () => {
    for (const token of ["A".repeat(43), "pas-un-jeton"]) {
      const res = await get(`/questionnaire/${token}`);
      expect(res.status).toBe(404);
      expect(textOf(await res.text())).toContain("Questionnaire introuvable");
    }
    expect((await postForm(app, `/questionnaire/${"B".repeat(43)}`, { satisfaction: "5", recommend: "oui" })).status).toBe(404);
  });
});

describe("the module page", () => {
  it("publishes the rates fed by the answers, the attendance and the trainer's assessment", async () => {
    const text = textOf(await (await get(`/formations/${moduleSlug}`)).text());
    expect(text).toContain("Taux de satisfaction 100 % des stagiaires satisfaits");
    expect(text).toContain("Taux de réalisation 100 % des stagiaires inscrits ont suivi toutes les demi-journées de la formation (3 sur 3)");
    expect(text).toContain("Taux d'atteinte des objectifs 100 %");
  });
});

describe("/admin/rapports", () => {
  it("is for staff only", async () => {
    for (const path of ["/admin/rapports", "/admin/rapports?annee=2025", "/admin/rapports/2025.csv"]) {
      const anonymous = await get(path);
      expect(anonymous.status, path).toBe(302);
      expect(anonymous.headers.get("location"), path).toMatch(/^\/connexion/);
      expect((await get(path, cookies.learner)).status, path).toBe(403);
      expect((await get(path, cookies.trainer)).status, path).toBe(403);
    }
  });

  it("shows the year's BPF figures, the Qualiopi rates and an accessible chart", async () => {
    const res = await get("/admin/rapports?annee=2025", cookies.admin);
    expect(res.status).toBe(200);
    const html = await res.text();
    const text = textOf(html);
    expect(text).toContain("Bilan annuel 2025");
    expect(text).toMatch(/Stagiaires 3 Heures-stagiaires 21 h/);
    expect(text).toContain("OPCO 2 14 h");
    expect(text).toContain("Gratuit (sans financement) 1 7 h");
    expect(text).toMatch(/Taux de satisfaction[^)]*\) 100 % \(2 sur 2\)/);
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="graphique-modules-title graphique-modules-desc"/);
    expect(html).toContain('<title id="graphique-modules-title">Heures-stagiaires par module en 2025</title>');
    expect(html).toContain('href="/admin/rapports/2025.csv"');
  });

  it("refuses a bad year with a message next to the field, keeping what was typed", async () => {
    const res = await get("/admin/rapports?annee=20x5", cookies.admin);
    expect(res.status).toBe(400);
    const html = await res.text();
    const input = html.match(/<input id="field-annee"[^>]*>/)?.[0] ?? "";
    for (const attribute of ['value="20x5"', 'aria-invalid="true"', 'aria-describedby="field-annee-error"']) expect(input).toContain(attribute);
    expect(html).toMatch(/id="field-annee-error">Indiquez une année sur quatre chiffres/);
  });

  it("exports the report as CSV for French spreadsheets", async () => {
    const res = await get("/admin/rapports/2025.csv", cookies.admin);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="maillon-bilan-2025.csv"');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows: string[][] = parse(bytes.toString("utf8"), { bom: true, delimiter: ";", relax_column_count: true, skip_empty_lines: true });
    expect(rows[0]).toEqual(["Rubrique", "Catégorie", "Stagiaires", "Heures-stagiaires"]);
    expect(rows.find((r) => r[0] === "Total")).toEqual(["Total", "Année 2025", "3", "21"]);
    expect(rows.find((r) => r[0] === "Module")?.[1]).toMatch(/^\d+\. Transmission d'ateliers clé en main$/);

    expect((await get("/admin/rapports/1999.csv", cookies.admin)).status).toBe(400);
  });
});
