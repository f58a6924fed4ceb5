/**
 * From the attendance sheet to the public verification page, in real browsers against the
 * real server, a real database and a real SMTP server: the trainer opens the sheet of a
 * half-day that has just ended; one trainee signs with their typed name (JavaScript off),
 * the other with the room code read from the trainer's screen (JavaScript on); the trainer
 * countersigns, records the objectives and closes the session; each trainee receives both
 * certificates as PDF attachments, read back with pdf.js; anyone can check one on the
 * verification page without JavaScript, and once staff revoke the other one, its page says
 * so with the date and the reason.
 */
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, CHROMIUM_PATH, startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { readPdf, type PdfText } from "../support/pdf-text";
import { recipientsOf, startSmtpServer, type ParsedMail, type TestSmtpServer } from "../support/smtp";
import { FACTORY_PASSWORD, createEnrolment, createModule, createSession, createUser } from "../factories";
import type { Db } from "~/utils/db.server";

const STEP_TIMEOUT_MS = 15_000;
const JOURNEY_TIMEOUT_MS = 120_000;
const MINUTE_MS = 60_000;

let browser: Browser;
let smtp: TestSmtpServer;
let app: AppServer;
let testDb: Db;

beforeAll(async () => {
  const url = testDatabaseUrl("certificate_journey");
  smtp = await startSmtpServer();
  app = await startAppServer({ databaseUrl: url, smtpUrl: smtp.url });
  // The server has migrated the database; this client arranges the data.
  const { createDb, configureSqlite } = await import("~/utils/db.server");
  const { providerOf } = await import("~/utils/db-adapter.server");
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await testDb?.$disconnect();
  await app?.stop();
  await smtp?.stop();
});

/** "30 novembre 2026": a day as the verification page writes it (Paris calendar). */
const frenchDay = (instant: Date) => new Intl.DateTimeFormat("fr-FR", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/Paris" }).format(instant);

/** The value printed next to `label` on a certificate PDF (label and value are drawn one after the other). */
function pdfRow(pdf: PdfText, label: string): string | undefined {
  const runs = pdf.pages[0] ?? [];
  const at = runs.indexOf(label);
  return at < 0 ? undefined : runs[at + 1];
}

describe("certificate journey", () => {
  it("signs, countersigns, closes, mails the certificates and verifies one valid and one revoked", { timeout: JOURNEY_TIMEOUT_MS }, async () => {
    const started = Date.now();
    const module = await createModule(testDb, { title: "Accueillir les publics allophones" });
    const trainer = await createUser(testDb, { name: "Amélie Rousseau", roles: ["TRAINER"] });
    const admin = await createUser(testDb, { name: "Claire Fontaine", roles: ["ADMIN"] });
    const typist = await createUser(testDb, { name: "Nguyễn Thị Minh Khai" });
    const coder = await createUser(testDb, { name: "Ольга Петрова" });
    // One two-hour half-day that ended five minutes ago: learners may still sign (until 30 min
    // after the end), the trainer may countersign, and once it is locked the session may close.
    const now = Date.now();
    const session = await createSession(testDb, {
      moduleId: module.id,
      trainerId: trainer.id,
      slots: [{ startsAt: new Date(now - 125 * MINUTE_MS), endsAt: new Date(now - 5 * MINUTE_MS) }],
    });
    const slotId = session.slots[0]!.id;
    await createEnrolment(testDb, { sessionId: session.id, userId: typist.id, status: "CONFIRMED" });
    await createEnrolment(testDb, { sessionId: session.id, userId: coder.id, status: "CONFIRMED" });

    const contexts: BrowserContext[] = [];
    const newPage = async (javaScript: boolean) => {
      const context = await browser.newContext({ javaScriptEnabled: javaScript, locale: "fr-FR" });
      context.setDefaultTimeout(STEP_TIMEOUT_MS);
      contexts.push(context);
      return context.newPage();
    };
    const hydrated = async (page: Page) => {
      await page.waitForFunction(() => Object.keys(document.body).some((k) => k.startsWith("__reactProps")));
    };
    const submit = async (page: Page, button: string) => {
      await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.getByRole("button", { name: button, exact: true }).click()]);
    };
    const logIn = async (email: string, javaScript: boolean) => {
      const page = await newPage(javaScript);
      await page.goto(`${app.url}/connexion`);
      if (javaScript) await hydrated(page);
      await page.getByLabel(/^Adresse e-mail/).fill(email);
      await page.getByLabel(/^Mot de passe/).fill(FACTORY_PASSWORD);
      await submit(page, "Se connecter");
      await page.waitForURL((u) => u.pathname === "/mon-espace");
      return page;
    };
    const draw = async (page: Page, canvasName: string) => {
      const canvas = page.getByRole("img", { name: canvasName });
      await canvas.scrollIntoViewIfNeeded();
      const box = (await canvas.boundingBox())!;
      await page.mouse.move(box.x + 20, box.y + box.height / 2);
      await page.mouse.down();
      for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + 20 + i * 15, box.y + box.height / 2 + (i % 2 ? -15 : 15), { steps: 3 });
      await page.mouse.up();
    };
    const certificatesMail = (email: string) =>
      smtp.waitFor((m) => recipientsOf(m).includes(email) && m.subject === `Vos certificats : ${module.title}`, STEP_TIMEOUT_MS);
    /** Both PDFs of the mail, read back; the certificate of completion first. */
    const documentsOf = async (mail: ParsedMail) => {
      const pdfs = mail.attachments.filter((a) => a.contentType === "application/pdf");
      expect(pdfs.map((a) => a.filename)).toHaveLength(2);
      const read = await Promise.all(pdfs.map((a) => readPdf(a.content)));
      const completion = read.find((r) => r.text.includes("Certificat de réalisation"));
      const attestation = read.find((r) => r.text.includes("Attestation de fin de formation"));
      expect(completion, "certificate of completion attached").toBeTruthy();
      expect(attestation, "end-of-training attestation attached").toBeTruthy();
      return { completion: completion!, attestation: attestation! };
    };
    const verificationUrlOf = (pdf: PdfText) => {
      const match = /Vérification : (\S+)/.exec(pdf.text);
      expect(match, "verification URL printed under the QR code").toBeTruthy();
      return match![1]!;
    };
    const numberOf = (pdf: PdfText) => /N° (MAI-\d{4}-\d{6})/.exec(pdf.text)?.[1];

    try {
      // The trainer opens the sheet from their session page; it is open, with the room code.
      const trainerPage = await logIn(trainer.email, true);
      await trainerPage.goto(`${app.url}/formateur/sessions/${session.id}`);
      await hydrated(trainerPage);
      await trainerPage.getByRole("region", { name: "Émargement par demi-journée" }).getByRole("link").click();
      await trainerPage.waitForURL((u) => u.pathname === `/formateur/sessions/${session.id}/emargement/${slotId}`);
      await trainerPage.getByRole("heading", { name: "Code à afficher dans la salle" }).waitFor();

      // Trainee 1, without JavaScript, confirms their presence by typing their name.
      const typistPage = await logIn(typist.email, false);
      await typistPage.getByRole("link", { name: "Émargement", exact: true }).first().click();
      await typistPage.waitForURL((u) => u.pathname === "/emargement");
      expect(await typistPage.locator("canvas").count()).toBe(0);
      await typistPage.getByLabel("Mon nom et prénom").fill(typist.name);
      await submit(typistPage, "Signer la feuille");
      await typistPage.getByText(/Votre présence est enregistrée à \d{2}:\d{2}/).waitFor();

      // Trainee 2, with JavaScript, types the code the trainer's screen shows (it rotates every 30 s: read it fresh).
      const coderPage = await logIn(coder.email, true);
      await coderPage.goto(`${app.url}/emargement`);
      await hydrated(coderPage);
      await trainerPage.reload();
      await hydrated(trainerPage);
      const spoken = await trainerPage.getByLabel(/^Code d'émargement : /).getAttribute("aria-label");
      const code = spoken!.replace(/\D/g, "");
      expect(code).toMatch(/^\d{6}$/);
      await coderPage.getByLabel("Code affiché dans la salle").fill(code);
      await submit(coderPage, "Signer avec ce code");
      await coderPage.getByText(/Votre présence est enregistrée à \d{2}:\d{2}/).waitFor();

      // The trainer sees both lines, then countersigns with name and drawing: the sheet locks.
      await trainerPage.reload();
      await hydrated(trainerPage);
      await trainerPage.getByRole("row", { name: new RegExp(typist.name) }).getByText("(nom saisi)").waitFor();
      await trainerPage.getByRole("row", { name: new RegExp(coder.name) }).getByText("(code de la salle)").waitFor();
      await trainerPage.getByLabel("Votre nom et prénom").fill(trainer.name);
      await draw(trainerPage, "Votre signature");
      await submit(trainerPage, "Contresigner et verrouiller la feuille");
      await trainerPage.getByText("La feuille est contresignée et verrouillée.").waitFor();
      await trainerPage.getByText(/Contresignée par Amélie Rousseau à \d{2}:\d{2} : la feuille est verrouillée/).waitFor();
      const slot = await testDb.slot.findUniqueOrThrow({ where: { id: slotId } });
      expect(slot.lockedAt).not.toBeNull();
      expect(slot.trainerSignature).toMatch(/^data:image\/png;base64,/);

      // Objectives on the session page, then closing.
      await trainerPage.getByRole("link", { name: "← La session" }).click();
      await trainerPage.waitForURL((u) => u.pathname === `/formateur/sessions/${session.id}`);
      await hydrated(trainerPage);
      await trainerPage.getByRole("group", { name: typist.name }).getByLabel("Objectifs atteints", { exact: true }).check();
      await trainerPage.getByRole("group", { name: coder.name }).getByLabel("Objectifs non atteints", { exact: true }).check();
      await submit(trainerPage, "Enregistrer l'évaluation");
      await trainerPage.getByText("L'évaluation des acquis est enregistrée.").waitFor();
      await trainerPage.getByRole("link", { name: "Clôturer la session et délivrer les certificats" }).click();
      await trainerPage.waitForURL((u) => u.pathname === `/formateur/sessions/${session.id}/cloture`);
      await hydrated(trainerPage);
      await trainerPage.getByRole("row", { name: new RegExp(typist.name) }).getByText("Atteints", { exact: true }).waitFor();
      await trainerPage.getByRole("row", { name: new RegExp(coder.name) }).getByText("Non atteints", { exact: true }).waitFor();
      await submit(trainerPage, "Clôturer la session et envoyer les certificats");
      await trainerPage.getByText(/Session clôturée le .+ : les certificats ont été délivrés\./).waitFor();

      // Each trainee receives both certificates over SMTP; the PDFs carry name, number, hours and the verification URL.
      const [typistMail, coderMail] = await Promise.all([certificatesMail(typist.email), certificatesMail(coder.email)]);
      const typistDocs = await documentsOf(typistMail);
      const coderDocs = await documentsOf(coderMail);
      for (const [docs, name] of [[typistDocs, typist.name], [coderDocs, coder.name]] as const) {
        for (const pdf of [docs.completion, docs.attestation]) {
          expect(pdf.pageCount).toBe(1);
          expect(pdf.text).toContain(name);
          expect(pdf.text).toContain(module.title);
          expect(numberOf(pdf)).toMatch(/^MAI-\d{4}-\d{6}$/);
          expect(pdfRow(pdf, "Durée suivie")).toBe("2 h");
          expect(verificationUrlOf(pdf)).toMatch(new RegExp(`^${app.url}/certificats/verifier/[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$`));
        }
      }
      expect(typistDocs.attestation.text).toContain("Résultat de l'évaluation : Objectifs atteints");
      expect(coderDocs.attestation.text).toContain("Résultat de l'évaluation : Objectifs non atteints");
      const typistNumber = numberOf(typistDocs.completion)!;
      const typistLink = verificationUrlOf(typistDocs.completion);
      const coderNumber = numberOf(coderDocs.completion)!;
      const coderLink = verificationUrlOf(coderDocs.completion);
      expect(new Set([typistNumber, coderNumber, numberOf(typistDocs.attestation), numberOf(coderDocs.attestation)]).size).toBe(4);

      // Anyone, without JavaScript and without an account, checks trainee 1's certificate.
      const visitor = await newPage(false);
      const fact = (label: string) => visitor.locator("dl.facts > div", { has: visitor.locator("dt", { hasText: new RegExp(`^${label}$`) }) }).locator("dd").innerText();
      await visitor.goto(typistLink);
      await visitor.getByRole("heading", { level: 1, name: `Certificat de réalisation no ${typistNumber}` }).waitFor();
      await visitor.getByText("Certificat valide", { exact: true }).waitFor();
      await visitor.getByText(/^Signature électronique vérifiée/).waitFor();
      expect(await fact("Numéro")).toBe(typistNumber);
      expect(await fact("Titulaire")).toBe(typist.name);
      expect(await fact("Formation")).toBe(module.title);
      expect(await fact("Durée suivie")).toBe("2 h");
      expect(await fact("Délivré le")).toBe(frenchDay(new Date()));

      // Staff revoke trainee 2's certificate of completion from the session's administration page.
      const reason = "Présence contestée par la structure employeuse après vérification.";
      const adminPage = await logIn(admin.email, true);
      await adminPage.goto(`${app.url}/admin/sessions/${session.id}`);
      await hydrated(adminPage);
      await adminPage.getByRole("link", { name: `Gérer : Certificat de réalisation ${coderNumber}` }).click();
      await adminPage.waitForURL((u) => u.pathname.startsWith("/admin/certificats/"));
      await hydrated(adminPage);
      await adminPage.getByLabel(/^Raison de la révocation/).fill(reason);
      await submit(adminPage, "Révoquer le certificat");
      await adminPage.getByText("Le certificat est révoqué : la page de vérification l'indique avec la raison.").waitFor();

      // Its verification page now says revoked, on which day and why; trainee 1's stays valid.
      await visitor.goto(coderLink);
      await visitor.getByText(`Certificat révoqué le ${frenchDay(new Date())}. Motif : ${reason}`).waitFor();
      expect(await visitor.getByText("Certificat valide", { exact: true }).count()).toBe(0);
      expect(await fact("Titulaire")).toBe(coder.name);
      await visitor.goto(typistLink);
      await visitor.getByText("Certificat valide", { exact: true }).waitFor();

      console.info(`certificate journey: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      for (const context of contexts) await context.close();
    }
  });
});
