/**
 * Card payment in a real browser against the real server, a real database, a real SMTP
 * server and a fake of Stripe's HTTP API (tests/support/fake-stripe.ts, which also stands in
 * for Stripe's hosted payment page): the learner chooses card, lands on the payment page,
 * comes back to a page saying the payment is being confirmed, the test delivers the signed
 * webhook Stripe would send, and the learner sees the enrolment confirmed and receives the
 * convocation. With JavaScript off (plain HTML forms) and on. The return pages are checked
 * with axe on the way.
 */
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, CHROMIUM_PATH, startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { postWebhook, signEvent, startFakeStripe, stripeEnv, stripeEvent, type FakeStripe } from "../support/fake-stripe";
import { recipientsOf, startSmtpServer, type TestSmtpServer } from "../support/smtp";
import { FACTORY_PASSWORD, createModule, createSession, createUser } from "../factories";
import type { Db } from "~/utils/db.server";

const STEP_TIMEOUT_MS = 15_000;
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

let browser: Browser;
let smtp: TestSmtpServer;
let fake: FakeStripe;
let app: AppServer;
let testDb: Db;

beforeAll(async () => {
  const url = testDatabaseUrl("payment_journey");
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

/**
 * A seat held for a card payment without a contract (as enrolments made before the contrat
 * de formation, decision 031, were): the learner pays it from their space by Checkout.
 */
async function holdSeatWithoutContract(sessionId: string, userId: string, amountCents: number) {
  await testDb.session.update({ where: { id: sessionId }, data: { seatsTaken: { increment: 1 } } });
  return testDb.enrolment.create({
    data: { sessionId, userId, enrolledById: userId, status: "PENDING_PAYMENT", funding: "CARD", paymentStatus: "PENDING", amountCents, holdExpiresAt: new Date(Date.now() + 35 * 60_000) },
  });
}

/** axe runs inside the page: checked in the runs with JavaScript on (the HTML is the same). */
async function expectNoViolations(page: Page, javaScript: boolean) {
  if (!javaScript) return;
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  expect(violations.map((v) => `${v.id}: ${v.help}`), `on ${page.url()}`).toEqual([]);
}

describe.each([{ javaScript: false }, { javaScript: true }])("card payment journey (JavaScript $javaScript)", ({ javaScript }) => {
  it("a card payment is confirmed by a signed webhook", async () => {
    const tag = javaScript ? "js" : "html";
    const module = await createModule(testDb, { title: `Sensibilisation à l'inclusion numérique (${tag})` });
    const session = await createSession(testDb, { moduleId: module.id, capacity: 4, priceCents: 24_000 });
    const learner = await createUser(testDb, { name: "Maëlle Đỗ-Lefebvre" });

    const context = await browser.newContext({ javaScriptEnabled: javaScript, locale: "fr-FR" });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    const page = await context.newPage();
    const ready = async () => {
      if (javaScript) await page.waitForFunction(() => Object.keys(document.body).some((k) => k.startsWith("__reactProps")));
    };
    const submit = async (name: string | RegExp) => {
      await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.getByRole("button", { name, exact: typeof name === "string" }).click()]);
    };
    try {
      await page.goto(`${app.url}/connexion`);
      await ready();
      await page.getByLabel(/^Adresse e-mail/).fill(learner.email);
      await page.getByLabel(/^Mot de passe/).fill(FACTORY_PASSWORD);
      await submit("Se connecter");
      await page.waitForURL((u) => u.pathname === "/mon-espace");

      // Card is offered on the session page; a seat held for payment leads to Stripe's payment page.
      await page.goto(`${app.url}/sessions/${session.id}`);
      await ready();
      await page.getByLabel("Financement").selectOption("CARD");
      await page.getByText(/votre place vous est réservée 35 minutes/).waitFor();
      await holdSeatWithoutContract(session.id, learner.id, 24_000);
      await page.goto(`${app.url}/mon-espace`);
      await ready();
      await page.getByRole("button", { name: /Payer maintenant/ }).click();
      await page.waitForURL((u) => u.origin === fake.url && u.pathname.startsWith("/checkout/cs_test_"));
      await page.getByRole("heading", { name: "Paiement simulé" }).waitFor();
      const enrolment = await testDb.enrolment.findUniqueOrThrow({ where: { sessionId_userId: { sessionId: session.id, userId: learner.id } } });
      expect(enrolment).toMatchObject({ status: "PENDING_PAYMENT", funding: "CARD", amountCents: 24_000 });
      const checkoutSessionId = new URL(page.url()).pathname.split("/").at(-1)!;
      expect(enrolment.stripeCheckoutSessionId).toBe(checkoutSessionId);

      // The learner pays and comes back before the webhook: the page says it is being confirmed.
      const paid = fake.pay(checkoutSessionId);
      await page.getByRole("link", { name: "Retour après paiement" }).click();
      await page.waitForURL((u) => u.origin === app.url && u.pathname === `/mon-espace/paiement/${enrolment.id}`);
      await ready();
      await page.getByRole("heading", { level: 1, name: "Paiement en cours de confirmation" }).waitFor();
      await expectNoViolations(page, javaScript);

      // Stripe's signed webhook confirms the enrolment; with JavaScript the page checks again by
      // itself, without it the learner follows "Vérifier à nouveau".
      const res = await postWebhook(app.url, signEvent(stripeEvent("checkout.session.completed", paid)));
      expect(res.status).toBe(200);
      if (!javaScript) await page.getByRole("link", { name: "Vérifier à nouveau" }).click();
      await page.getByRole("heading", { level: 1, name: "Paiement reçu : inscription confirmée" }).waitFor({ timeout: 10_000 });
      await expectNoViolations(page, javaScript);

      await page.goto(`${app.url}/mon-espace`);
      await ready();
      const row = page.getByRole("row", { name: new RegExp(module.title.replace(/[()]/g, "\\$&")) });
      await row.getByText("Confirmée", { exact: true }).waitFor();
      await row.getByRole("link", { name: /Télécharger la convocation/ }).waitFor();

      const convocation = await smtp.waitFor((m) => recipientsOf(m).includes(learner.email) && (m.subject ?? "").includes(`Convocation : ${module.title}`), STEP_TIMEOUT_MS);
      expect(convocation.attachments.some((a) => a.filename === "convocation.ics")).toBe(true);
      expect(await testDb.enrolment.findUniqueOrThrow({ where: { id: enrolment.id } })).toMatchObject({ status: "CONFIRMED", paymentStatus: "PAID" });
    } catch (error) {
      const where = `(page ${page.url()})\n${(await page.locator("body").innerText({ timeout: 1000 }).catch(() => "")).slice(0, 2000)}`;
      throw new Error(`${(error as Error).message}\n${where}\nServer output:\n${app.output().slice(-4000)}`, { cause: error });
    } finally {
      await context.close();
    }
  });

  it("a learner who leaves the payment page can pay later from their space", async () => {
    const tag = javaScript ? "js" : "html";
    const module = await createModule(testDb, { title: `Transmettre un atelier clé en main (${tag})` });
    const session = await createSession(testDb, { moduleId: module.id, capacity: 4, priceCents: 15_000 });
    const learner = await createUser(testDb, { name: "Jean-Baptiste N'Guessan" });
    const context = await browser.newContext({ javaScriptEnabled: javaScript, locale: "fr-FR" });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    const page = await context.newPage();
    const ready = async () => {
      if (javaScript) await page.waitForFunction(() => Object.keys(document.body).some((k) => k.startsWith("__reactProps")));
    };
    try {
      await page.goto(`${app.url}/connexion`);
      await ready();
      await page.getByLabel(/^Adresse e-mail/).fill(learner.email);
      await page.getByLabel(/^Mot de passe/).fill(FACTORY_PASSWORD);
      await page.getByRole("button", { name: "Se connecter", exact: true }).click();
      await page.waitForURL((u) => u.pathname === "/mon-espace");
      await holdSeatWithoutContract(session.id, learner.id, 15_000);
      await page.goto(`${app.url}/mon-espace`);
      await ready();
      await page.getByRole("button", { name: /Payer maintenant/ }).click();
      await page.waitForURL((u) => u.origin === fake.url);
      const checkoutUrl = page.url();

      await page.getByRole("link", { name: "Abandonner le paiement" }).click();
      await page.waitForURL((u) => u.origin === app.url && u.pathname.startsWith("/mon-espace/paiement/"));
      await ready();
      await page.getByRole("heading", { level: 1, name: "Paiement non finalisé" }).waitFor();
      await page.getByText(/Votre place reste réservée jusqu'au/).waitFor();
      await expectNoViolations(page, javaScript);

      await page.goto(`${app.url}/mon-espace`);
      await ready();
      await page.getByText(/En attente de paiement — place réservée jusqu'au/).waitFor();
      await page.getByRole("button", { name: /Payer maintenant/ }).click();
      await page.waitForURL((u) => u.origin === fake.url);
      expect(page.url()).toBe(checkoutUrl);
    } catch (error) {
      const where = `(page ${page.url()})\n${(await page.locator("body").innerText({ timeout: 1000 }).catch(() => "")).slice(0, 2000)}`;
      throw new Error(`${(error as Error).message}\n${where}\nServer output:\n${app.output().slice(-4000)}`, { cause: error });
    } finally {
      await context.close();
    }
  });
});
