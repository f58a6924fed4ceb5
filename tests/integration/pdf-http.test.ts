/**
 * The quote and the printable roster through the real server over HTTP (built app, real
 * database per TEST_DATABASE): who may download them, what comes back (a PDF, named), and
 * that it reads back with the right people in it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postForm, startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { readPdf } from "../support/pdf-text";
import { createEnrolment, createMembership, createModule, createSession, createStructure, createUser, FACTORY_PASSWORD } from "../factories";
import { configureSqlite, createDb, type Db } from "../../app/utils/db.server";
import { providerOf } from "../../app/utils/db-adapter.server";

type Person = { id: string; email: string; cookie: string };
const ROLES = {
  owner: { name: "Nguyễn Thị Minh Khai", roles: ["LEARNER"] },
  referent: { name: "Łukasz Żółć", roles: ["LEARNER"] },
  member: { name: "Zoë O'Brien-Dupont", roles: ["LEARNER"] },
  otherLearner: { name: "Ольга Петрова", roles: ["LEARNER"] },
  trainer: { name: "Maëlys Le Goff", roles: ["TRAINER"] },
  otherTrainer: { name: "Thomas N'Diaye", roles: ["TRAINER"] },
  admin: { name: "Françoise Gauthier", roles: ["ADMIN"] },
} as const;
type Who = keyof typeof ROLES | "anonymous";

let app: AppServer;
let testDb: Db;
const people = {} as Record<keyof typeof ROLES, Person>;
const ids = { session: "", otherSession: "", quoted: "", opco: "", cancelled: "", free: "" };

async function login(email: string): Promise<string> {
  const res = await postForm(app, "/connexion", { email, password: FACTORY_PASSWORD });
  expect(res.status, `login of ${email}`).toBe(302);
  const set = res.headers.getSetCookie().find((c) => c.startsWith("maillon_session="));
  return set ? set.split(";")[0]! : "";
}

const get = (path: string, who: Who) =>
  fetch(`${app.url}${path}`, { redirect: "manual", headers: who === "anonymous" ? {} : { Cookie: people[who].cookie } });

beforeAll(async () => {
  const url = testDatabaseUrl("pdf_http");
  app = await startAppServer({ databaseUrl: url });
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
  for (const [key, spec] of Object.entries(ROLES) as [keyof typeof ROLES, (typeof ROLES)[keyof typeof ROLES]][]) {
    const user = await createUser(testDb, { name: spec.name, roles: [...spec.roles] });
    people[key] = { id: user.id, email: user.email, cookie: await login(user.email) };
  }
  const structure = await createStructure(testDb, { name: "CCAS de Saint-Étienne-du-Rouvray", city: "Saint-Étienne-du-Rouvray", postcode: "76800" });
  await createMembership(testDb, { userId: people.owner.id, structureId: structure.id });
  await createMembership(testDb, { userId: people.member.id, structureId: structure.id });
  await createMembership(testDb, { userId: people.referent.id, structureId: structure.id, role: "REFERENT" });
  const module = await createModule(testDb, { title: "Pratiques d'accompagnement vers le numérique", priceCents: 123_400 });
  const session = await createSession(testDb, { moduleId: module.id, trainerId: people.trainer.id, capacity: 10 });
  const otherSession = await createSession(testDb, { moduleId: module.id, trainerId: people.otherTrainer.id });
  ids.session = session.id;
  ids.otherSession = otherSession.id;
  ids.quoted = (
    await createEnrolment(testDb, { sessionId: session.id, userId: people.owner.id, structureId: structure.id, status: "CONFIRMED", funding: "STRUCTURE", amountCents: 123_400 })
  ).id;
  ids.opco = (await createEnrolment(testDb, { sessionId: session.id, userId: people.member.id, structureId: structure.id, status: "CONFIRMED", funding: "OPCO", amountCents: 123_400 })).id;
  ids.free = (await createEnrolment(testDb, { sessionId: session.id, userId: people.otherLearner.id, status: "CONFIRMED", funding: "FREE" })).id;
  ids.cancelled = (await createEnrolment(testDb, { sessionId: otherSession.id, userId: people.owner.id, structureId: structure.id, status: "CANCELLED", funding: "STRUCTURE" })).id;
  const waiting = await createUser(testDb, { name: "Personne En Attente" });
  await createEnrolment(testDb, { sessionId: session.id, userId: waiting.id, status: "WAITLISTED", funding: "STRUCTURE" });
});

afterAll(async () => {
  await testDb?.$disconnect();
  await app?.stop();
});

async function expectPdf(res: Response, disposition: "inline" | "attachment", fileName: RegExp) {
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/pdf");
  expect(res.headers.get("cache-control")).toContain("no-store");
  const header = res.headers.get("content-disposition") ?? "";
  expect(header.startsWith(`${disposition};`)).toBe(true);
  expect(header).toMatch(fileName);
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
  return readPdf(bytes);
}

describe("the quote of an enrolment (/mon-espace/inscriptions/:id/devis)", () => {
  const path = () => `/mon-espace/inscriptions/${ids.quoted}/devis`;

  it("sends anonymous visitors to the login page", async () => {
    const res = await get(path(), "anonymous");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/connexion?redirectTo=${encodeURIComponent(path())}`);
  });

  it.each(["owner", "referent", "admin"] as const)("is a PDF for the %s", async (who) => {
    const read = await expectPdf(await get(path(), who), "attachment", /filename="devis-DEV-\d{4}-[A-Z0-9]{8}\.pdf"/);
    expect(read.pageCount).toBe(1);
    expect(read.text).toContain("Nguyễn Thị Minh Khai");
    expect(read.text).toContain("CCAS de Saint-Étienne-du-Rouvray");
    expect(read.text).toContain("Pratiques d'accompagnement vers le numérique");
    expect(read.text).toContain("Total à payer : 1 234,00 €");
    expect(read.text).toContain(`DEV-${new Date().getFullYear()}-${ids.quoted.slice(-8).toUpperCase()}`);
  });

  it.each(["member", "otherLearner", "trainer", "otherTrainer"] as const)("is refused to the %s", async (who) => {
    const res = await get(path(), who);
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).not.toBe("application/pdf");
  });

  it("exists for an OPCO-funded enrolment, and not for a free, a cancelled or an unknown one", async () => {
    const opco = await expectPdf(await get(`/mon-espace/inscriptions/${ids.opco}/devis`, "member"), "attachment", /devis-DEV-/);
    expect(opco.text).toContain("Zoë O'Brien-Dupont");
    expect(opco.text).toContain("subrogation");
    expect((await get(`/mon-espace/inscriptions/${ids.free}/devis`, "otherLearner")).status).toBe(404);
    expect((await get(`/mon-espace/inscriptions/${ids.cancelled}/devis`, "owner")).status).toBe(404);
    expect((await get("/mon-espace/inscriptions/nexistepas/devis", "admin")).status).toBe(404);
  });

  it("is linked from the learner's space for structure and OPCO funding only", async () => {
    const owner = await (await get("/mon-espace", "owner")).text();
    expect(owner).toContain(`/mon-espace/inscriptions/${ids.quoted}/devis`);
    expect(owner).not.toContain(`/mon-espace/inscriptions/${ids.cancelled}/devis`);
    const other = await (await get("/mon-espace", "otherLearner")).text();
    expect(other).not.toContain("/devis");
    const admin = await (await get(`/admin/sessions/${ids.session}`, "admin")).text();
    expect(admin).toContain(`/mon-espace/inscriptions/${ids.quoted}/devis`);
    expect(admin).not.toContain(`/mon-espace/inscriptions/${ids.free}/devis`);
  });
});

describe("the printable roster (/formateur/sessions/:id/liste.pdf)", () => {
  const path = () => `/formateur/sessions/${ids.session}/liste.pdf`;

  it("sends anonymous visitors to the login page", async () => {
    const res = await get(path(), "anonymous");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/connexion\?redirectTo=/);
  });

  it.each(["trainer", "admin"] as const)("is a PDF of the seat holders for the %s", async (who) => {
    const read = await expectPdf(await get(path(), who), "inline", /filename="liste-participants-pratiques-d-accompagnement-vers-le-numerique-\d{4}-\d{2}-\d{2}\.pdf"/);
    const runs = read.pages.flat();
    for (const name of ["Nguyễn Thị Minh Khai", "Zoë O'Brien-Dupont", "Ольга Петрова"]) expect(runs).toContain(name);
    expect(read.text.replace(/\s+/g, "")).toContain(people.owner.email);
    expect(read.text).toContain("Formateur·rice : Maëlys Le Goff");
    expect(read.text).toContain("Capacité : 10 places — 3 participant·es inscrit·es — liste d'attente : 1 personne");
    expect(read.text).not.toContain("Personne En Attente");
  });

  it.each(["otherTrainer", "owner", "referent"] as const)("is refused to the %s", async (who) => {
    expect((await get(path(), who)).status).toBe(403);
  });

  it("answers 404 for an unknown session, and is linked from the roster page", async () => {
    expect((await get("/formateur/sessions/nexistepas/liste.pdf", "trainer")).status).toBe(404);
    const page = await (await get(`/formateur/sessions/${ids.session}`, "trainer")).text();
    expect(page).toContain(`href="${path()}"`);
    expect(page).toMatch(/<textarea[^>]*readonly/i);
    expect(page).toContain("mailto:?bcc=");
  });
});
