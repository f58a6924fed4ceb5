/**
 * Signing an attendance sheet in a real browser against the real server and database: with
 * JavaScript off the learner types their name; with JavaScript on they also draw their
 * signature on the canvas with the mouse, and the drawn PNG is stored with the line and
 * shown on the trainer's sheet.
 */
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, CHROMIUM_PATH, startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { FACTORY_PASSWORD, createEnrolment, createModule, createSession, createUser } from "../factories";
import type { Db } from "~/utils/db.server";

const STEP_TIMEOUT_MS = 15_000;

let browser: Browser;
let app: AppServer;
let testDb: Db;

beforeAll(async () => {
  const url = testDatabaseUrl("attendance_journey");
  app = await startAppServer({ databaseUrl: url });
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
});

describe.each([{ javaScript: false }, { javaScript: true }])("attendance journey (JavaScript $javaScript)", ({ javaScript }) => {
  it("the learner signs the open sheet from their space, and the trainer sees the line", async () => {
    const name = javaScript ? "Ольга Петрова-Lefèvre" : "Nguyễn Thị Minh Khai";
    const trainer = await createUser(testDb, { name: "Amélie Rousseau", roles: ["TRAINER"] });
    const learner = await createUser(testDb, { name });
    const module = await createModule(testDb, { title: `Accompagner les démarches en ligne (${javaScript ? "js" : "html"})` });
    const now = Date.now();
    const session = await createSession(testDb, { moduleId: module.id, trainerId: trainer.id, slots: [{ startsAt: new Date(now - 20 * 60_000), endsAt: new Date(now + 160 * 60_000) }] });
    const enrolment = await createEnrolment(testDb, { sessionId: session.id, userId: learner.id, status: "CONFIRMED" });
    const slotId = session.slots[0]!.id;

    const context = await browser.newContext({ javaScriptEnabled: javaScript, locale: "fr-FR" });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    try {
      const page = await context.newPage();
      const submit = async (button: string) => {
        await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.getByRole("button", { name: button, exact: true }).click()]);
      };
      await page.goto(`${app.url}/connexion`);
      await page.getByLabel(/^Adresse e-mail/).fill(learner.email);
      await page.getByLabel(/^Mot de passe/).fill(FACTORY_PASSWORD);
      await submit("Se connecter");
      await page.waitForURL((u) => u.pathname === "/mon-espace");
      await page.getByRole("link", { name: "Émargement", exact: true }).first().click();
      await page.waitForURL((u) => u.pathname === "/emargement");
      if (javaScript) await page.waitForFunction(() => Object.keys(document.body).some((k) => k.startsWith("__reactProps")));

      await page.getByLabel("Mon nom et prénom").fill(name);
      if (javaScript) {
        const canvas = page.getByRole("img", { name: "Ma signature" });
        const box = (await canvas.boundingBox())!;
        await page.mouse.move(box.x + 20, box.y + box.height / 2);
        await page.mouse.down();
        for (let i = 1; i <= 12; i++) await page.mouse.move(box.x + 20 + i * 15, box.y + box.height / 2 + (i % 2 ? -18 : 18), { steps: 3 });
        await page.mouse.up();
      } else {
        expect(await page.locator("canvas").count()).toBe(0);
      }
      await submit("Signer la feuille");
      await page.getByText(/Votre présence est enregistrée à \d{2}:\d{2}/).waitFor();

      const row = await testDb.signature.findUniqueOrThrow({ where: { slotId_enrolmentId: { slotId, enrolmentId: enrolment.id } } });
      expect(row.status).toBe("PRESENT");
      if (javaScript) {
        expect(row.method).toBe("DRAWN");
        expect(row.imageData).toMatch(/^data:image\/png;base64,/);
        expect(row.imageHash).toMatch(/^[0-9a-f]{64}$/);
        expect(Buffer.from(row.imageData!.split(",")[1]!, "base64").subarray(1, 4).toString("latin1")).toBe("PNG");
      } else {
        expect(row.method).toBe("TYPED");
        expect(row.imageData).toBeNull();
      }

      await page.getByText(/Ma présence : présent·e — (signature dessinée|nom saisi) à/).waitFor();
      expect(await page.getByRole("button", { name: "Signer la feuille" }).count()).toBe(0);
    } finally {
      await context.close();
    }

    const trainerContext = await browser.newContext({ javaScriptEnabled: javaScript, locale: "fr-FR" });
    trainerContext.setDefaultTimeout(STEP_TIMEOUT_MS);
    try {
      const page = await trainerContext.newPage();
      await page.goto(`${app.url}/connexion`);
      await page.getByLabel(/^Adresse e-mail/).fill(trainer.email);
      await page.getByLabel(/^Mot de passe/).fill(FACTORY_PASSWORD);
      await Promise.all([page.waitForURL((u) => u.pathname === "/mon-espace"), page.getByRole("button", { name: "Se connecter", exact: true }).click()]);
      await page.goto(`${app.url}/formateur/sessions/${session.id}/emargement/${slotId}`);
      const line = page.getByRole("row", { name: new RegExp(name) });
      await line.getByText(javaScript ? "(signature dessinée)" : "(nom saisi)").waitFor();
      expect(await line.getByRole("img", { name: `Signature de ${name}` }).count()).toBe(javaScript ? 1 : 0);
    } finally {
      await trainerContext.close();
    }
  });
});
