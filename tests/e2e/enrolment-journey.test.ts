/**
 * Enrolment in a real browser against the real server, a real database and a real SMTP
 * server: a learner enrols from the session page and receives the convocation with its
 * .ics; in a full session the next person joins the waiting list, is offered the seat
 * freed by a cancellation, and confirms it; the trainer sees the learner on the roster. With
 * JavaScript off (plain HTML forms) and on.
 */
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, CHROMIUM_PATH, startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { extractLink, recipientsOf, startSmtpServer, type ParsedMail, type TestSmtpServer } from "../support/smtp";
import { FACTORY_PASSWORD, createMembership, createModule, createSession, createStructure, createUser } from "../factories";
import type { Db } from "~/utils/db.server";

const STEP_TIMEOUT_MS = 15_000;

let browser: Browser;
let smtp: TestSmtpServer;
let app: AppServer;
let testDb: Db;

beforeAll(async () => {
  const url = testDatabaseUrl("enrolment_journey");
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

const mailTo = (email: string, subject: string) =>
  smtp.waitFor((m) => recipientsOf(m).includes(email) && (m.subject ?? "").includes(subject), STEP_TIMEOUT_MS);

function calendarOf(mail: ParsedMail): string {
  const ics = mail.attachments.find((a) => a.filename === "convocation.ics");
  expect(ics, "convocation.ics attached").toBeTruthy();
  expect(ics!.contentType).toBe("text/calendar");
  return ics!.content.toString("utf8");
}

describe.each([{ javaScript: false }, { javaScript: true }])("enrolment journey (JavaScript $javaScript)", ({ javaScript }) => {
  it("enrols, gets the convocation, and moves a seat along the waiting list", async () => {
    const tag = javaScript ? "js" : "html";
    const open = await createModule(testDb, { title: `Accompagner les démarches en ligne (${tag})` });
    const small = await createModule(testDb, { title: `Transmettre un atelier clé en main (${tag})` });
    const trainer = await createUser(testDb, { name: "Agnieszka Wójcik-Lefèvre", roles: ["TRAINER"] });
    const roomy = await createSession(testDb, { moduleId: open.id, capacity: 5, days: 2, trainerId: trainer.id });
    const full = await createSession(testDb, { moduleId: small.id, capacity: 1 });
    const first = await createUser(testDb, { name: "Zoé Ngọc-Anh Đặng" });
    const second = await createUser(testDb, { name: "Thomas N'Diaye" });

    const contexts: BrowserContext[] = [];
    const pages: Page[] = [];
    const openAs = async (email: string) => {
      const context = await browser.newContext({ javaScriptEnabled: javaScript, locale: "fr-FR" });
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
    const ready = async (page: Page) => {
      if (javaScript) await page.waitForFunction(() => Object.keys(document.body).some((k) => k.startsWith("__reactProps")));
    };
    const goto = async (page: Page, pathname: string) => {
      await page.goto(pathname.startsWith("http") ? pathname : `${app.url}${pathname}`);
      await ready(page);
    };
    const submit = async (page: Page, name: string | RegExp) => {
      await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST"),
        page.getByRole("button", typeof name === "string" ? { name, exact: true } : { name }).click(),
      ]);
    };
    const enrol = async (page: Page, sessionId: string, button: string) => {
      await goto(page, `/sessions/${sessionId}`);
      await page.getByLabel("Financement").selectOption("OPCO");
      await submit(page, button);
      await page.waitForURL((u) => u.pathname === "/mon-espace");
      await ready(page);
    };

    try {
      // A learner enrols; the convocation arrives over SMTP with one event per half-day.
      const one = await openAs(first.email);
      await enrol(one, roomy.id, "M'inscrire");
      await one.getByText("Votre inscription est confirmée").first().waitFor();
      const convocation = await mailTo(first.email, `Convocation : ${open.title}`);
      const ics = calendarOf(convocation);
      expect(ics).toContain("BEGIN:VCALENDAR");
      expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(roomy.slots.length);
      expect(roomy.slots.length).toBe(4);
      const row = one.getByRole("row", { name: new RegExp(open.title.replace(/[()]/g, "\\$&")) });
      await row.getByText("Confirmée").waitFor();

      // The convocation can be downloaded again from the learner space.
      const again = await one.context().request.get(`${app.url}${await row.getByRole("link", { name: /Télécharger la convocation/ }).getAttribute("href")}`);
      expect(again.status()).toBe(200);
      expect(again.headers()["content-type"]).toContain("text/calendar");
      expect((await again.text()).match(/BEGIN:VEVENT/g)).toHaveLength(4);

      // The one seat of the small session goes to the first learner; the second joins the list.
      await enrol(one, full.id, "M'inscrire");
      await mailTo(first.email, `Convocation : ${small.title}`);
      const two = await openAs(second.email);
      await enrol(two, full.id, "Rejoindre la liste d'attente");
      await two.getByText("vous êtes sur la liste d'attente, au rang 1").first().waitFor();
      await mailTo(second.email, "Liste d'attente");
      await two.getByText("Sur liste d'attente (rang 1)").waitFor();

      // The first learner cancels; the second is offered the seat by mail and confirms it.
      await goto(one, "/mon-espace");
      await submit(one, new RegExp(`Annuler mon inscription : ${small.title.replace(/[()]/g, "\\$&")}`));
      await one.getByText("Votre inscription est annulée.").first().waitFor();
      const offer = await mailTo(second.email, "Une place se libère");
      await goto(two, extractLink(offer, "/mon-espace"));
      await two.getByText(/Place proposée — à confirmer avant le/).waitFor();
      await submit(two, /Confirmer ma place/);
      await two.getByText("Votre place est confirmée").first().waitFor();
      expect(calendarOf(await mailTo(second.email, `Convocation : ${small.title}`))).toContain("BEGIN:VEVENT");
      await two.getByText("Confirmée", { exact: true }).waitFor();

      const seats = await testDb.session.findUniqueOrThrow({ where: { id: full.id } });
      expect(seats.seatsTaken).toBe(1);

      // The trainer sees the first learner on the roster of their session, with the funding.
      const trainerPage = await openAs(trainer.email);
      await goto(trainerPage, "/formateur");
      await trainerPage.getByRole("link", { name: new RegExp(open.title.replace(/[()]/g, "\\$&")) }).first().click();
      await trainerPage.waitForURL((u) => u.pathname === `/formateur/sessions/${roomy.id}`);
      const line = trainerPage.getByRole("row", { name: new RegExp(first.name) });
      await line.getByText("Confirmée").waitFor();
      await line.getByText("OPCO").waitFor();
    } catch (error) {
      const page = pages.at(-1);
      const where = page ? `(page ${page.url()})\n${(await page.locator("body").innerText({ timeout: 1000 }).catch(() => "")).slice(0, 2000)}` : "";
      throw new Error(`${(error as Error).message}\n${where}\nServer output:\n${app.output().slice(-4000)}`, { cause: error });
    } finally {
      for (const c of contexts) await c.close();
    }
  });
});

describe.each([{ javaScript: false }, { javaScript: true }])("a referent enrols colleagues (JavaScript $javaScript)", ({ javaScript }) => {
  it("ticks three colleagues; each receives a convocation", async () => {
    const structure = await createStructure(testDb, { name: `CCAS de Vénissieux (${javaScript ? "js" : "html"})` });
    const referent = await createUser(testDb, { name: "Anne-Laure de La Tour d'Auvergne" });
    await createMembership(testDb, { userId: referent.id, structureId: structure.id, role: "REFERENT" });
    const colleagues = [await createUser(testDb, { name: "Łucja Wiśniewska" }), await createUser(testDb, { name: "Ольга Смирнова" }), await createUser(testDb, { name: "王秀英" })];
    for (const c of colleagues) await createMembership(testDb, { userId: c.id, structureId: structure.id });
    const module = await createModule(testDb, { title: `Pratiques d'accompagnement (${javaScript ? "js" : "html"})` });
    const session = await createSession(testDb, { moduleId: module.id, capacity: 8 });

    const context = await browser.newContext({ javaScriptEnabled: javaScript, locale: "fr-FR" });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    const page = await context.newPage();
    const ready = async () => {
      if (javaScript) await page.waitForFunction(() => Object.keys(document.body).some((k) => k.startsWith("__reactProps")));
    };
    const submit = async (name: string) => {
      await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.getByRole("button", { name, exact: true }).click()]);
    };
    try {
      await page.goto(`${app.url}/connexion`);
      await ready();
      await page.getByLabel(/^Adresse e-mail/).fill(referent.email);
      await page.getByLabel(/^Mot de passe/).fill(FACTORY_PASSWORD);
      await submit("Se connecter");
      await page.waitForURL((u) => u.pathname === "/mon-espace");
      await page.goto(`${app.url}/sessions/${session.id}/inscrire-des-collegues`);
      await ready();
      await page.getByRole("heading", { level: 1, name: /Inscrire des collègues/ }).waitFor();
      for (const c of colleagues) await page.getByLabel(new RegExp(c.name)).check();
      await page.getByLabel("Financement").selectOption("STRUCTURE");
      await submit("Inscrire les personnes cochées");
      await page.getByText("3 inscriptions confirmées").first().waitFor();
      for (const c of colleagues) {
        const mail = await mailTo(c.email, `Convocation : ${module.title}`);
        expect(calendarOf(mail)).toContain("BEGIN:VEVENT");
      }
      const rows = await testDb.enrolment.findMany({ where: { sessionId: session.id } });
      expect(rows.map((r) => [r.status, r.enrolledById, r.structureId, r.funding])).toEqual(
        colleagues.map(() => ["CONFIRMED", referent.id, structure.id, "STRUCTURE"]),
      );
    } catch (error) {
      const where = `(page ${page.url()})\n${(await page.locator("body").innerText({ timeout: 1000 }).catch(() => "")).slice(0, 2000)}`;
      throw new Error(`${(error as Error).message}\n${where}\nServer output:\n${app.output().slice(-4000)}`, { cause: error });
    } finally {
      await context.close();
    }
  });
});
