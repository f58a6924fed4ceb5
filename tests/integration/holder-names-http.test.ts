/**
 * A holder's name over HTTP (built app, database per TEST_DATABASE), as a stranger would
 * type it: refusals in French next to the field, nothing typed lost, nothing stored; a
 * name stored before the rule held is flagged on the holder's space and printed without its
 * invisible controls; and the holder's choice of their name in clear in their badges.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postForm, startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { errorUnder, loginAs, textOf, valueOf } from "../support/html";
import { createCertificate, createEnrolment, createModule, createSession, createUser } from "../factories";
import { configureSqlite, createDb, type Db } from "../../app/utils/db.server";
import { providerOf } from "../../app/utils/db-adapter.server";

let app: AppServer;
let testDb: Db;

const get = (path: string, cookie?: string) => fetch(`${app.url}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
const login = (email: string) => loginAs(app, email);

beforeAll(async () => {
  const url = testDatabaseUrl("holder_names_http");
  app = await startAppServer({ databaseUrl: url });
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
  process.env.APP_URL = app.url;
});

afterAll(async () => {
  await testDb?.$disconnect();
  await app?.stop();
});

describe("names typed at sign-up and on the holder's space", () => {
  it("refuses at sign-up a right-to-left override, an emoji and a zero-width space, next to the field, keeping the e-mail typed", async () => {
    const cases: [string, RegExp][] = [
      ["Bob \u202Eecila\u202C Smith", /change le sens d'écriture \(U\+202E\).*retapez le nom au clavier/],
      ["Zoé 🌻", /retirez « 🌻 »/],
      ["Anne\u200BMarie", /caractère invisible \(U\+200B\)/],
    ];
    for (const [name, message] of cases) {
      const email = `inscription.${Math.random().toString(36).slice(2)}@exemple.fr`;
      const res = await postForm(app, "/inscription", { name, email, password: "un chat sur le toit de Lyon" });
      expect(res.status, name).toBe(400);
      const html = await res.text();
      expect(errorUnder(html, "field-name"), name).toMatch(message);
      expect(valueOf(html, "field-email")).toBe(email);
      expect(await testDb.user.count({ where: { email } })).toBe(0);
    }
  });

  it("refuses the same on /mon-espace, keeps what was typed, and leaves the stored name as it was", async () => {
    const user = await createUser(testDb, { name: "Claire Dubois" });
    const cookie = await login(user.email);
    const typed = "Claire \u202EsioubuD";
    const res = await postForm(app, "/mon-espace", { name: typed }, { cookie });
    expect(res.status).toBe(400);
    expect(res.headers.get("cache-control")).toContain("no-store");
    const html = await res.text();
    expect(errorUnder(html, "field-name")).toContain("U+202E");
    expect(valueOf(html, "field-name")).toBe(typed);
    expect((await testDb.user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe("Claire Dubois");

    const fixed = await postForm(app, "/mon-espace", { name: "  Claire   Dubois-Ngô " }, { cookie });
    expect(fixed.status).toBe(302);
    expect((await testDb.user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe("Claire Dubois-Ngô");
  });

  it("flags a name stored before the rule held, and prints and signs it without its invisible controls", async () => {
    const user = await createUser(testDb, { name: "Bob \u202Eecila\u202C Smith" });
    const cookie = await login(user.email);
    const page = await (await get("/mon-espace", cookie)).text();
    expect(errorUnder(page, "field-name")).toMatch(/^Votre nom enregistré doit être corrigé avant votre prochain certificat\. .*U\+202E/);

    const module = await createModule(testDb, { title: "Sensibiliser à l'inclusion numérique" });
    const session = await createSession(testDb, { moduleId: module.id, days: 1 });
    const enrolment = await createEnrolment(testDb, { sessionId: session.id, userId: user.id, status: "CONFIRMED" });
    const certificate = await createCertificate(testDb, { enrolmentId: enrolment.id });
    expect(certificate.holderName).toBe("Bob ecila Smith");
    const verification = textOf(await (await get(`/certificats/verifier/${certificate.verificationCode}`)).text());
    expect(verification).toContain("Bob ecila Smith");
    expect(verification).toContain("Certificat valide");
    const badge = await (await get(`/certificats/verifier/${certificate.verificationCode}/open-badge.json`)).text();
    expect(badge).toContain("Bob ecila Smith");
    expect(badge).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
  });
});

describe("the holder's choice of their name in their badges", () => {
  let holder: { id: string; email: string };
  let cookie = "";
  let codes: { inForce: string; revoked: string };
  const NAME = "Fatou Ndiaye-Diallo";

  beforeAll(async () => {
    holder = await createUser(testDb, { name: NAME, email: "fatou.ndiaye@exemple.fr" });
    cookie = await login(holder.email);
    const module = await createModule(testDb, { title: "Accompagner les démarches en ligne" });
    const certify = async () => {
      const session = await createSession(testDb, { moduleId: module.id, days: 1 });
      const enrolment = await createEnrolment(testDb, { sessionId: session.id, userId: holder.id, status: "CONFIRMED" });
      return createCertificate(testDb, { enrolmentId: enrolment.id });
    };
    const inForce = await certify();
    const revoked = await certify();
    await testDb.certificate.update({ where: { id: revoked.id }, data: { revokedAt: new Date(), revokedReason: "Erreur de saisie." } });
    codes = { inForce: inForce.verificationCode, revoked: revoked.verificationCode };
  });

  /** The holder's space as the redirect's flash cookie shows it. */
  const withFlash = async (redirect: Response) => {
    const flash = redirect.headers.getSetCookie().map((c) => c.split(";")[0]!).join("; ");
    return textOf(await (await get("/mon-espace", `${cookie}; ${flash}`)).text());
  };

  const badge = async () => {
    const res = await get(`/certificats/verifier/${codes.inForce}/open-badge.json`);
    expect(res.status).toBe(200);
    return res.text();
  };

  it("shows the choice on /mon-espace, in clear by default, as the verification page says", async () => {
    const page = await (await get("/mon-espace", cookie)).text();
    expect(page).toMatch(/<input[^>]*id="badgeName-clair"[^>]*checked/);
    expect(textOf(page)).toContain("Votre nom n'y figure en clair que si vous le voulez");
    expect(await badge()).toContain(NAME);
    expect(textOf(await (await get(`/certificats/verifier/${codes.inForce}`)).text())).toContain("et par son nom en clair, comme le certificat imprimé");
  });

  it("refuses a choice that is not one of the two, in French next to the choice", async () => {
    for (const badgeName of ["", "les deux"]) {
      const res = await postForm(app, "/mon-espace", { intent: "badge-name", badgeName }, { cookie });
      expect(res.status).toBe(400);
      expect(errorUnder(await res.text(), "badgeName")).toBe("Choisissez si votre nom figure en clair dans vos badges numériques.");
    }
    expect(await badge()).toContain(NAME);
  });

  it("asks anyone not logged in to log in, and changes nothing", async () => {
    const res = await postForm(app, "/mon-espace", { intent: "badge-name", badgeName: "empreinte" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/connexion/);
    expect((await testDb.user.findUniqueOrThrow({ where: { id: holder.id } })).badgeNameInClear).toBe(true);
  });

  it("takes the name out of the badge the holder already has, signed anew and still valid, and puts it back", async () => {
    const before = await badge();
    const res = await postForm(app, "/mon-espace", { intent: "badge-name", badgeName: "empreinte" }, { cookie });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/mon-espace#badges");
    const flash = await withFlash(res);
    expect(flash).toContain("Vos badges numériques ne portent plus votre nom, seulement une empreinte de votre adresse e-mail : un badge a été signé à nouveau.");

    const hidden = await badge();
    expect(hidden).not.toContain(NAME);
    expect(hidden).not.toContain("fatou");
    expect(JSON.parse(hidden).credentialStatus).toEqual(JSON.parse(before).credentialStatus);
    const page = textOf(await (await get(`/certificats/verifier/${codes.inForce}`)).text());
    expect(page).toContain("son nom n'y figure pas en clair");
    expect(page).toContain("Certificat valide");
    // The portal's own check of the new badge, pasted in its JavaScript-free form.
    const checked = await postForm(app, `/certificats/verifier/${codes.inForce}`, { badge: hidden });
    expect(textOf(await checked.text())).toContain("Badge authentique et valide");
    // A revoked certificate's stored credential is left alone (its badge is no longer served).
    const revoked = await testDb.certificate.findUniqueOrThrow({ where: { verificationCode: codes.revoked } });
    expect(revoked.credential).toContain(NAME);

    const audit = await testDb.auditLog.findMany({ where: { entityId: holder.id, action: "account.badge_name_chosen" } });
    expect(audit.map((a) => a.data)).toEqual([{ nameInClear: false, resigned: 1 }]);

    expect((await postForm(app, "/mon-espace", { intent: "badge-name", badgeName: "clair" }, { cookie })).status).toBe(302);
    expect(await badge()).toContain(NAME);
    // Choosing again what is already in force signs nothing.
    const again = await postForm(app, "/mon-espace", { intent: "badge-name", badgeName: "clair" }, { cookie });
    expect(await withFlash(again)).toContain("Votre nom figure en clair dans vos badges numériques.");
  });

  it("applies the choice to the next certificates, signed at issue", async () => {
    await testDb.user.update({ where: { id: holder.id }, data: { badgeNameInClear: false } });
    const module = await createModule(testDb, { title: "Ateliers clés en main" });
    const session = await createSession(testDb, { moduleId: module.id, days: 1 });
    const enrolment = await createEnrolment(testDb, { sessionId: session.id, userId: holder.id, status: "CONFIRMED" });
    const next = await createCertificate(testDb, { enrolmentId: enrolment.id });
    expect(next.credential).not.toContain(NAME);
    expect(next.holderName).toBe(NAME);
  });
});
