/**
 * Becoming a Relais Numérique in a real browser with JavaScript off, against the real server,
 * a real database and a real SMTP server: a structure applies, staff request changes, the
 * applicant answers and sends again, staff approve, the referent accepts the convention, a
 * staff member is certified (through the certificate service), the relay becomes active and
 * appears in the directory; revoking that certificate sets it back to pending.
 */
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, CHROMIUM_PATH, startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { extractLink, recipientsOf, startSmtpServer, type TestSmtpServer } from "../support/smtp";
import { FACTORY_PASSWORD, createCertificate, createEnrolment, createMembership, createModule, createSession, createUser, randomSiret } from "../factories";
import type { Db } from "~/utils/db.server";

const STEP_TIMEOUT_MS = 15_000;

let browser: Browser;
let smtp: TestSmtpServer;
let app: AppServer;
let testDb: Db;

beforeAll(async () => {
  const url = testDatabaseUrl("relay_journey");
  smtp = await startSmtpServer();
  app = await startAppServer({ databaseUrl: url, smtpUrl: smtp.url });
  // The certificate service runs in this process too (issuing and revoking), on the same database.
  process.env.DATABASE_URL = url;
  const { createDb, configureSqlite, connectDb } = await import("~/utils/db.server");
  const { providerOf } = await import("~/utils/db-adapter.server");
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
  await connectDb();
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await testDb?.$disconnect();
  const { db } = await import("~/utils/db.server");
  await db.$disconnect();
  await app?.stop();
  await smtp?.stop();
});

const mailTo = (email: string, subject: string) =>
  smtp.waitFor((m) => recipientsOf(m).includes(email) && (m.subject ?? "").includes(subject), STEP_TIMEOUT_MS);

describe("relay journey (JavaScript off)", () => {
  it("applies, is sent back, answers, is approved, accepts the convention, becomes active with a certified member, and pending again on revocation", async () => {
    const module = await createModule(testDb, { title: "Sensibilisation et compréhension de l'inclusion numérique", certificateValidityMonths: 24 });
    const applicant = await createUser(testDb, { name: "Zoé Ngọc-Anh Đặng" });
    const admin = await createUser(testDb, { name: "Claire Dubois-Marchand", roles: ["ADMIN"] });
    const staff = await createUser(testDb, { name: "Łukasz Żółć" });
    const siret = randomSiret();
    const structureName = "CCAS de Saint-Étienne-du-Rouvray";

    const contexts: BrowserContext[] = [];
    const pages: Page[] = [];
    const goto = (page: Page, path: string) => page.goto(path.startsWith("http") ? path : `${app.url}${path}`);
    const submit = async (page: Page, name: string) => {
      await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.getByRole("button", { name, exact: true }).click()]);
    };
    const openAs = async (email: string) => {
      const context = await browser.newContext({ javaScriptEnabled: false, locale: "fr-FR" });
      context.setDefaultTimeout(STEP_TIMEOUT_MS);
      contexts.push(context);
      const page = await context.newPage();
      pages.push(page);
      await goto(page, "/connexion");
      await page.getByLabel(/^Adresse e-mail/).fill(email);
      await page.getByLabel(/^Mot de passe/).fill(FACTORY_PASSWORD);
      await submit(page, "Se connecter");
      await page.waitForURL((u) => u.pathname === "/mon-espace");
      return page;
    };
    const relayStatus = async () => (await testDb.relay.findFirstOrThrow({ where: { structure: { siret } } })).status;

    try {
      // The structure applies in four steps, each saved as a draft.
      const a = await openAs(applicant.email);
      await goto(a, "/relais/candidature");
      await submit(a, "Commencer une candidature");
      await a.getByLabel("Nom de la structure", { exact: true }).fill(structureName);
      await a.getByLabel("SIRET", { exact: true }).fill(siret);
      await a.getByLabel("Type de structure", { exact: true }).selectOption("CCAS");
      await a.getByLabel("Adresse", { exact: true }).fill("1 place de l'Hôtel de Ville");
      await a.getByLabel("Code postal", { exact: true }).fill("76800");
      await a.getByLabel("Commune", { exact: true }).fill("Saint-Étienne-du-Rouvray");
      await submit(a, "Enregistrer et continuer");
      await a.getByText("Étape 1 enregistrée.").waitFor();
      await a.getByLabel("Votre fonction dans la structure", { exact: true }).fill("Directrice du CCAS");
      await a.getByLabel("Nom et prénom", { exact: true }).fill(applicant.name);
      await a.getByLabel("Adresse e-mail", { exact: true }).fill(applicant.email);
      await submit(a, "Enregistrer et continuer");
      await a.getByText("Étape 2 enregistrée.").waitFor();
      await a.getByLabel("Publics accompagnés", { exact: true }).fill("Personnes au RSA");
      await a.getByLabel(/^Nombre de personnes reçues par mois/).fill("80");
      await a.getByLabel("Nombre de personnes de l'équipe à former", { exact: true }).fill("2");
      await submit(a, "Enregistrer et continuer");
      await a.getByText("Étape 3 enregistrée.").waitFor();
      await a.getByLabel(/accepte la charte/).check();
      await a.getByLabel(/délégué·e à la protection des données/).check();
      await submit(a, "Envoyer la candidature");
      await a.getByText("Votre candidature est envoyée.").first().waitFor();
      await mailTo(applicant.email, "Candidature Relais Numérique reçue");

      // Staff ask for changes.
      const s = await openAs(admin.email);
      await goto(s, "/admin/relais");
      await Promise.all([s.waitForURL(/\/admin\/relais\/\w+/), s.getByRole("link", { name: structureName }).click()]);
      const reviewUrl = s.url();
      await s.getByLabel("Message à la structure", { exact: true }).fill("Précisez les publics accompagnés, s'il vous plaît.");
      await submit(s, "Demander des modifications");
      await s.getByText("Modifications demandées ; la structure est prévenue par e-mail.").first().waitFor();

      // The applicant follows the mail, answers in the thread, completes and sends again.
      const changes = await mailTo(applicant.email, "des modifications sont demandées");
      await goto(a, extractLink(changes, "/relais/candidature/"));
      await a.getByText("Précisez les publics accompagnés, s'il vous plaît.").first().waitFor();
      await a.getByLabel("Votre message", { exact: true }).fill("C'est précisé à l'étape 3.");
      await submit(a, "Envoyer le message");
      await a.getByRole("link", { name: "3. Les publics et l'équipe" }).click();
      await a.getByLabel("Publics accompagnés", { exact: true }).fill("Personnes au RSA, jeunes de 18 à 25 ans sans ressources");
      await submit(a, "Enregistrer et continuer");
      await a.getByLabel(/accepte la charte/).check();
      await a.getByLabel(/délégué·e à la protection des données/).check();
      await submit(a, "Envoyer la candidature");
      await a.getByText("Votre candidature est envoyée.").first().waitFor();

      // Staff approve: the relay exists, pending certification.
      await goto(s, reviewUrl);
      await s.getByText("C'est précisé à l'étape 3.").waitFor();
      await submit(s, "Accepter la candidature");
      await s.getByText(/Candidature acceptée/).first().waitFor();
      await mailTo(applicant.email, "Candidature Relais Numérique acceptée");
      expect(await relayStatus()).toBe("PENDING_CERTIFICATION");

      // The referent sees what is missing and accepts the convention.
      await goto(a, "/espace-relais");
      await a.getByText("Il manque 1 membre certifié pour activer le relais.").waitFor();
      const pdf = await a.context().request.get(`${app.url}${await a.getByRole("link", { name: "Lire la convention (PDF)" }).getAttribute("href")}`);
      expect(pdf.headers()["content-type"]).toBe("application/pdf");
      await a.getByLabel(/J'ai lu la convention/).check();
      await a.getByLabel("Vos prénom et nom (signature)", { exact: true }).fill(applicant.name);
      await submit(a, "Accepter la convention");
      await a.getByText("Convention acceptée. Merci !").first().waitFor();

      // A staff member of the relay completes the training and gets a certificate.
      const relay = await testDb.relay.findFirstOrThrow({ where: { structure: { siret } } });
      expect(relay.requiredModuleId).toBe(module.id);
      await createMembership(testDb, { userId: staff.id, structureId: relay.structureId });
      const session = await createSession(testDb, { moduleId: module.id });
      const enrolment = await createEnrolment(testDb, { sessionId: session.id, userId: staff.id, structureId: relay.structureId, status: "CONFIRMED" });
      const certificate = await testDb.$transaction((tx) => createCertificate(tx as unknown as Db, { enrolmentId: enrolment.id }));
      expect(await relayStatus()).toBe("ACTIVE");
      await mailTo(applicant.email, "Votre Relais Numérique est actif");

      // It appears in the directory, found by its postcode.
      await goto(a, "/relais?q=76800");
      await a.getByRole("heading", { name: structureName }).waitFor();
      await goto(a, "/espace-relais");
      await a.getByText("Actif", { exact: true }).waitFor();
      await a.getByRole("row", { name: /Łukasz Żółć/ }).getByText("Certifié·e", { exact: true }).waitFor();

      // Revoking the certificate sets the relay back to pending; it leaves the directory.
      const { revokeCertificate } = await import("~/modules/certificates/issue.server");
      const adminActor = { id: admin.id, roles: ["ADMIN" as const], memberships: [] };
      expect(await revokeCertificate({ actor: adminActor, id: certificate.id, reason: "Émargement signé par un tiers." })).toEqual({ ok: true });
      expect(await relayStatus()).toBe("PENDING_CERTIFICATION");
      await goto(a, "/relais?q=76800");
      await a.getByRole("heading", { name: "Annuaire des Relais Numériques" }).waitFor();
      expect(await a.getByRole("heading", { name: structureName }).count()).toBe(0);
      await goto(a, "/espace-relais");
      await a.getByText("En attente de certification", { exact: true }).waitFor();
    } catch (error) {
      const page = pages.at(-1);
      const where = page ? `(page ${page.url()})\n${(await page.locator("body").innerText({ timeout: 1000 }).catch(() => "")).slice(0, 2000)}` : "";
      throw new Error(`${(error as Error).message}\n${where}\nServer output:\n${app.output().slice(-4000)}`, { cause: error });
    } finally {
      for (const c of contexts) await c.close();
    }
    // Three people, about forty page loads: more than the default minute on a busy machine.
  }, 240_000);
});
