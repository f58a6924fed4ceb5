/**
 * The contrat de formation in Chromium with JavaScript off, against the real server, a real
 * database, a real SMTP server and the fake of Stripe's API (which also stands in for the
 * hosted card page): enrol paying by card → read and accept the contract → save the card
 * (the signed webhook confirms the seat) → withdraw with one button → the confirmation is
 * shown and the mail arrives; nothing was charged.
 */
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, CHROMIUM_PATH, startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { postWebhook, signEvent, startFakeStripe, stripeEnv, stripeEvent, type FakeStripe } from "../support/fake-stripe";
import { recipientsOf, startSmtpServer, type TestSmtpServer } from "../support/smtp";
import { FACTORY_PASSWORD, createModule, createSession, createUser } from "../factories";
import type { Db } from "~/utils/db.server";

const STEP_TIMEOUT_MS = 15_000;

let browser: Browser;
let smtp: TestSmtpServer;
let fake: FakeStripe;
let app: AppServer;
let testDb: Db;

beforeAll(async () => {
  const url = testDatabaseUrl("contract_journey");
  smtp = await startSmtpServer();
  fake = await startFakeStripe();
  app = await startAppServer({ databaseUrl: url, smtpUrl: smtp.url, env: stripeEnv(fake) });
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
  await fake?.stop();
  await smtp?.stop();
});

describe("contrat de formation journey (JavaScript off)", () => {
  it("enrol by card, accept the contract, save the card, withdraw: confirmation shown and mailed", async () => {
    const module = await createModule(testDb, { title: "Transmettre un atelier clé en main" });
    const session = await createSession(testDb, { moduleId: module.id, capacity: 4, priceCents: 24_000 });
    const learner = await createUser(testDb, { name: "Maëlle Đỗ-Lefebvre" });
    const context = await browser.newContext({ javaScriptEnabled: false, locale: "fr-FR" });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    const page = await context.newPage();
    try {
      await page.goto(`${app.url}/connexion`);
      await page.getByLabel(/^Adresse e-mail/).fill(learner.email);
      await page.getByLabel(/^Mot de passe/).fill(FACTORY_PASSWORD);
      await page.getByRole("button", { name: "Se connecter", exact: true }).click();
      await page.waitForURL((u) => u.pathname === "/mon-espace");

      await page.goto(`${app.url}/sessions/${session.id}`);
      await page.getByLabel("Financement").selectOption("CARD");
      await page.getByRole("button", { name: "M'inscrire", exact: true }).click();
      await page.waitForURL((u) => u.pathname.endsWith("/contrat"));
      await page.getByRole("heading", { level: 1, name: "Contrat de formation" }).waitFor();
      await page.getByText(/Vous pouvez vous rétracter pendant 10 jours/).waitFor();
      const enrolment = await testDb.enrolment.findUniqueOrThrow({ where: { sessionId_userId: { sessionId: session.id, userId: learner.id } } });
      expect(enrolment.status).toBe("PENDING_PAYMENT");

      // The PDF is downloadable from the page.
      const download = await page.request.get(`${app.url}/mon-espace/inscriptions/${enrolment.id}/contrat.pdf`);
      expect(download.headers()["content-type"]).toBe("application/pdf");

      await page.getByLabel("J'ai lu le contrat de formation et je l'accepte.").check();
      await page.getByRole("button", { name: "J'accepte le contrat et j'enregistre ma carte" }).click();
      await page.waitForURL((u) => u.origin === fake.url && u.pathname.startsWith("/setup/cs_test_"));
      await page.getByRole("heading", { name: "Enregistrement de la carte simulé" }).waitFor();
      const checkoutId = new URL(page.url()).pathname.split("/").at(-1)!;
      expect((await postWebhook(app.url, signEvent(stripeEvent("checkout.session.completed", fake.completeSetup(checkoutId))))).status).toBe(200);
      await page.getByRole("link", { name: "Retour après enregistrement" }).click();
      await page.waitForURL((u) => u.origin === app.url && u.pathname.endsWith("/contrat"));
      await page.getByText("Votre carte est enregistrée et votre inscription est confirmée.", { exact: false }).waitFor();
      await page.getByText(/Contrat accepté par Maëlle Đỗ-Lefebvre le/).waitFor();

      await page.getByRole("button", { name: "Me rétracter", exact: true }).click();
      await page.getByText("Votre rétractation est enregistrée : votre inscription est annulée et rien ne vous sera prélevé.", { exact: false }).waitFor();
      await page.getByText(/Vous vous êtes rétracté·e le/).waitFor();
      expect(await page.getByRole("button", { name: "Me rétracter" }).count()).toBe(0);

      const mail = await smtp.waitFor((m) => recipientsOf(m).includes(learner.email.toLowerCase()) && (m.subject ?? "") === `Rétractation enregistrée : ${module.title}`, STEP_TIMEOUT_MS);
      expect(mail.text).toContain("Rien ne vous a été prélevé");
      expect(await testDb.enrolment.findUniqueOrThrow({ where: { id: enrolment.id } })).toMatchObject({ status: "CANCELLED", paymentStatus: "NOT_REQUIRED" });
      expect(fake.paymentIntents).toHaveLength(0);
    } catch (error) {
      const where = `(page ${page.url()})\n${(await page.locator("body").innerText({ timeout: 1000 }).catch(() => "")).slice(0, 2000)}`;
      throw new Error(`${(error as Error).message}\n${where}\nServer output:\n${app.output().slice(-4000)}`, { cause: error });
    } finally {
      await context.close();
    }
  });
});
