/**
 * The contrat de formation through the real server over HTTP (built app, real database per
 * TEST_DATABASE, real SMTP), Stripe's API faked and its webhooks signed: enrol by card, read
 * the stored PDF, accept it, save the card, withdraw. One server for the whole file.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postForm, startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { postWebhook, signEvent, startFakeStripe, stripeEnv, stripeEvent, type FakeStripe } from "../support/fake-stripe";
import { normaliseSpaces, readPdf } from "../support/pdf-text";
import { recipientsOf, startSmtpServer, type TestSmtpServer } from "../support/smtp";
import { FACTORY_PASSWORD, addDays, createModule, createSession, createUser, parisDay } from "../factories";
import { configureSqlite, createDb, type Db } from "../../app/utils/db.server";
import { providerOf } from "../../app/utils/db-adapter.server";

let app: AppServer;
let fake: FakeStripe;
let smtp: TestSmtpServer;
let testDb: Db;
let moduleId = "";

async function login(email: string): Promise<string> {
  const res = await postForm(app, "/connexion", { email, password: FACTORY_PASSWORD });
  expect(res.status, `login of ${email}`).toBe(302);
  return res.headers.getSetCookie().find((c) => c.startsWith("maillon_session="))!.split(";")[0]!;
}

async function learner(name = "Anaïs Nguyễn-Bérard") {
  const user = await createUser(testDb, { name });
  return { id: user.id, email: user.email, name: user.name, cookie: await login(user.email) };
}

const get = (path: string, cookie: string) => fetch(`${app.url}${path}`, { headers: { Cookie: cookie }, redirect: "manual" });
const contractPage = (id: string) => `/mon-espace/inscriptions/${id}/contrat`;

/** Enrols by card: the answer sends the learner to their contract. */
async function enrolByCard(who: Awaited<ReturnType<typeof learner>>, startsOn = addDays(parisDay(new Date()), 30)) {
  const session = await createSession(testDb, { moduleId, capacity: 4, priceCents: 18_050, startsOn });
  const res = await postForm(app, `/sessions/${session.id}/inscription`, { funding: "CARD" }, { cookie: who.cookie });
  expect(res.status).toBe(303);
  const enrolment = await testDb.enrolment.findUniqueOrThrow({ where: { sessionId_userId: { sessionId: session.id, userId: who.id } } });
  expect(res.headers.get("location")).toBe(contractPage(enrolment.id));
  return { session, enrolmentId: enrolment.id };
}

/** Accepts the contract and saves a card at the fake: the enrolment is confirmed by the signed webhook. */
async function acceptAndSaveCard(who: Awaited<ReturnType<typeof learner>>, enrolmentId: string) {
  const { sha256 } = await testDb.trainingContract.findUniqueOrThrow({ where: { enrolmentId } });
  const res = await postForm(app, contractPage(enrolmentId), { intent: "accept", name: who.name, accepted: "on", sha256 }, { cookie: who.cookie });
  expect(res.status).toBe(303);
  expect(res.headers.get("location")).toMatch(new RegExp(`^${fake.url}/setup/cs_test_`));
  const checkoutId = res.headers.get("location")!.split("/setup/")[1]!;
  expect((await postWebhook(app.url, signEvent(stripeEvent("checkout.session.completed", fake.completeSetup(checkoutId))))).status).toBe(200);
}

beforeAll(async () => {
  const url = testDatabaseUrl("training_contract_http");
  fake = await startFakeStripe();
  smtp = await startSmtpServer();
  app = await startAppServer({ databaseUrl: url, smtpUrl: smtp.url, env: stripeEnv(fake) });
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
  moduleId = (await createModule(testDb, { title: "Pratiques d'accompagnement vers le numérique", priceCents: 18_050 })).id;
});

afterAll(async () => {
  await testDb?.$disconnect();
  await app?.stop();
  await smtp?.stop();
  await fake?.stop();
});

describe("the contract page", () => {
  it("shows the stored contract to its learner only, privately, and the PDF is the document whose hash is shown", async () => {
    const me = await learner();
    const { enrolmentId } = await enrolByCard(me);
    const page = await get(contractPage(enrolmentId), me.cookie);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("private, no-store");
    const html = normaliseSpaces(await page.text());
    expect(html).toContain("Vous pouvez vous rétracter pendant 10 jours");
    expect(html).toContain("est prélevé avant la fin de ce délai. Votre carte est seulement enregistrée.");
    expect(html).toContain("54,15 €");

    const pdf = await get(`${contractPage(enrolmentId)}.pdf`, me.cookie);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("cache-control")).toBe("private, no-store");
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    const hash = createHash("sha256").update(bytes).digest("hex");
    expect(html).toContain(hash);
    const text = normaliseSpaces((await readPdf(bytes)).text);
    for (const mention of ["CONTRAT DE FORMATION PROFESSIONNELLE", me.name, "Pratiques d'accompagnement vers le numérique", "L6353-5", "lettre recommandée", "Me rétracter", "30 %", "54,15 €", "126,35 €", "prorata temporis", "déclaration d'activité"]) {
      expect(text, mention).toContain(mention);
    }

    const other = await learner("Léa Martin");
    expect((await get(contractPage(enrolmentId), other.cookie)).status).toBe(404);
    expect((await get(`${contractPage(enrolmentId)}.pdf`, other.cookie)).status).toBe(404);
    expect((await postForm(app, contractPage(enrolmentId), { intent: "withdraw" }, { cookie: other.cookie })).status).toBe(404);
  });

  it("refuses an acceptance without the box ticked, in French, keeping the name typed", async () => {
    const me = await learner("Grégoire Ó Súilleabháin");
    const { enrolmentId } = await enrolByCard(me);
    const { sha256 } = await testDb.trainingContract.findUniqueOrThrow({ where: { enrolmentId } });
    const res = await postForm(app, contractPage(enrolmentId), { intent: "accept", name: "G. Ó Súilleabháin", sha256 }, { cookie: me.cookie });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("Cochez la case pour accepter le contrat.");
    expect(html).toContain('value="G. Ó Súilleabháin"');
    expect((await testDb.trainingContract.findUniqueOrThrow({ where: { enrolmentId } })).acceptedAt).toBeNull();
  });

  it("explains that a session starting within the ten days may be followed and still withdrawn from", async () => {
    const me = await learner();
    const { enrolmentId } = await enrolByCard(me, addDays(parisDay(new Date()), 4));
    const html = normaliseSpaces(await (await get(contractPage(enrolmentId), me.cookie)).text());
    expect(html).toContain("avant la fin du délai de rétractation. Vous pouvez suivre la formation dès le premier jour");
    expect(html).toContain("vous ne devrez alors rien, même pour les heures déjà suivies");
  });
});

describe("withdrawing", () => {
  it("never withdraws on GET; one POST withdraws, frees the seat and mails a confirmation; a second answers the same in French", async () => {
    const me = await learner("Zoé Mbappé-Lemaire");
    const { session, enrolmentId } = await enrolByCard(me);
    await acceptAndSaveCard(me, enrolmentId);
    expect(await testDb.enrolment.findUniqueOrThrow({ where: { id: enrolmentId } })).toMatchObject({ status: "CONFIRMED", paymentStatus: "PENDING" });
    expect(normaliseSpaces(await (await get(contractPage(enrolmentId), me.cookie)).text())).toContain("Me rétracter");

    expect((await get(`${contractPage(enrolmentId)}?intent=withdraw`, me.cookie)).status).toBe(200);
    expect((await testDb.trainingContract.findUniqueOrThrow({ where: { enrolmentId } })).withdrawnAt).toBeNull();

    const first = await postForm(app, contractPage(enrolmentId), { intent: "withdraw" }, { cookie: me.cookie });
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("private, no-store");
    expect(normaliseSpaces(await first.text())).toContain("Votre rétractation est enregistrée : votre inscription est annulée et rien ne vous sera prélevé.");
    const second = await postForm(app, contractPage(enrolmentId), { intent: "withdraw" }, { cookie: me.cookie });
    expect(second.status).toBe(200);
    expect(normaliseSpaces(await second.text())).toMatch(/Votre rétractation est déjà enregistrée depuis le .* : votre inscription est annulée et rien ne vous sera prélevé\./);

    expect(await testDb.enrolment.findUniqueOrThrow({ where: { id: enrolmentId } })).toMatchObject({ status: "CANCELLED" });
    expect((await testDb.session.findUniqueOrThrow({ where: { id: session.id } })).seatsTaken).toBe(0);
    const mail = await smtp.waitFor((m) => recipientsOf(m).includes(me.email.toLowerCase()) && (m.subject ?? "").startsWith("Rétractation enregistrée"));
    expect(mail.text).toContain("rien ne vous sera prélevé");
    expect(await testDb.outboxMail.count({ where: { to: me.email, template: "contract-withdrawn" } })).toBe(1);
    expect(fake.paymentIntents).toHaveLength(0);
  });
});
