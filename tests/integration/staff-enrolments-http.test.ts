/**
 * The staff's enrolment back-office and the waiting-list reorder form through the real
 * server over HTTP (built app, real database per TEST_DATABASE): who may use them, search
 * and filters, "mark as received", cancelling with a reason, reordering without JavaScript.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postForm, startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { addDays, createEnrolment, createModule, createSession, createStructure, createUser, FACTORY_PASSWORD, halfDaySlots, parisDay } from "../factories";
import { configureSqlite, createDb, type Db } from "../../app/utils/db.server";
import { providerOf } from "../../app/utils/db-adapter.server";

let app: AppServer;
let testDb: Db;
const people = {} as Record<"learner" | "admin" | "trainer", { id: string; email: string; cookie: string }>;
const ids = {} as Record<"jeanEric" | "lucja" | "olga" | "thomas" | "cancelled" | "free", string>;
const sessions = {} as Record<"upcoming" | "past" | "full", string>;
let moduleId = "";
let waiting: string[] = [];

async function login(email: string): Promise<string> {
  const res = await postForm(app, "/connexion", { email, password: FACTORY_PASSWORD });
  expect(res.status, `login of ${email}`).toBe(302);
  const set = res.headers.getSetCookie().find((c) => c.startsWith("maillon_session="));
  return set ? set.split(";")[0]! : "";
}
const get = (path: string, cookie?: string) => fetch(`${app.url}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
const adminPage = async (path: string) => {
  const res = await get(path, people.admin.cookie);
  expect(res.status, path).toBe(200);
  return res.text();
};
/** The enrolment ids listed on a back-office page (each row links to its enrolment). */
const listed = (html: string) => [...html.matchAll(/href="\/admin\/inscriptions\/([^"?#/]+)"/g)].map((m) => m[1]);

beforeAll(async () => {
  const url = testDatabaseUrl("staff_enrolments_http");
  app = await startAppServer({ databaseUrl: url });
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
  for (const [key, roles] of [
    ["learner", ["LEARNER"]],
    ["admin", ["ADMIN"]],
    ["trainer", ["TRAINER"]],
  ] as const) {
    const user = await createUser(testDb, { roles: [...roles] });
    people[key] = { id: user.id, email: user.email, cookie: await login(user.email) };
  }
  const module = await createModule(testDb, { title: "Sensibilisation et compréhension de l'inclusion numérique" });
  moduleId = module.id;
  const otherModule = await createModule(testDb, { title: "Transmission d'ateliers clé en main" });
  const structure = await createStructure(testDb, { name: "CCAS de Saint-Étienne-du-Rouvray" });
  const upcoming = await createSession(testDb, { moduleId, capacity: 10 });
  const past = await createSession(testDb, { moduleId: otherModule.id, slots: halfDaySlots([addDays(parisDay(new Date()), -40)]) });
  sessions.upcoming = upcoming.id;
  sessions.past = past.id;
  const enrol = async (name: string, over: Partial<Parameters<typeof createEnrolment>[1]> & { sessionId: string }) => {
    const user = await createUser(testDb, { name });
    return (await createEnrolment(testDb, { userId: user.id, ...over })).id;
  };
  ids.jeanEric = await enrol("Jean-Éric Lefèvre-Saint-Aubin", { sessionId: upcoming.id, funding: "OPCO", paymentStatus: "PENDING", amountCents: 25_000, structureId: structure.id });
  ids.lucja = await enrol("Łucja Wiśniewska", { sessionId: upcoming.id, funding: "STRUCTURE", paymentStatus: "PAID", amountCents: 25_000 });
  ids.olga = await enrol("Ольга Смирнова", { sessionId: upcoming.id, status: "WAITLISTED", funding: "STRUCTURE", paymentStatus: "NOT_REQUIRED" });
  ids.cancelled = await enrol("Françoise Gauthier", { sessionId: upcoming.id, status: "CANCELLED", funding: "STRUCTURE", paymentStatus: "PENDING" });
  ids.free = await enrol("Maëlys Le Goff", { sessionId: upcoming.id, funding: "FREE", structureId: structure.id });
  ids.thomas = await enrol("Thomas Bernard", { sessionId: past.id, funding: "OPCO", paymentStatus: "PENDING", amountCents: 18_000 });

  const full = await createSession(testDb, { moduleId, capacity: 1 });
  sessions.full = full.id;
  await enrol("Anna Łukasik", { sessionId: full.id });
  waiting = [];
  for (const name of ["Bruno Petit", "Chloé Moreau", "Dimitri Ivanov"]) waiting.push(await enrol(name, { sessionId: full.id, status: "WAITLISTED", funding: "FREE" }));
});

afterAll(async () => {
  await testDb?.$disconnect();
  await app?.stop();
});

describe("who may use the enrolment back-office", () => {
  it.each(["/admin/inscriptions", "/admin/inscriptions?vue=paiements", "/admin/inscriptions/:id"])(
    "%s: anonymous → login, learner and trainer → 403, admin → 200",
    async (p) => {
      const path = p.replace(":id", ids.jeanEric);
      const anonymous = await get(path);
      expect(anonymous.status).toBe(302);
      expect(anonymous.headers.get("location")).toMatch(/^\/connexion\?redirectTo=/);
      expect((await get(path, people.learner.cookie)).status).toBe(403);
      expect((await get(path, people.trainer.cookie)).status).toBe(403);
      expect((await get(path, people.admin.cookie)).status).toBe(200);
    },
  );

  it("refuses a learner's POST marking a payment received or cancelling someone", async () => {
    const paid = await postForm(app, "/admin/inscriptions", { intent: "markPaid", enrolmentId: ids.jeanEric, sessionId: sessions.upcoming }, { cookie: people.learner.cookie });
    expect(paid.status).toBe(403);
    const cancel = await postForm(app, `/admin/inscriptions/${ids.jeanEric}`, { intent: "cancel", reason: "Pour voir" }, { cookie: people.trainer.cookie });
    expect(cancel.status).toBe(403);
    expect(await testDb.enrolment.findUniqueOrThrow({ where: { id: ids.jeanEric } })).toMatchObject({ paymentStatus: "PENDING", status: "CONFIRMED" });
  });

  it("is linked from the administration home", async () => {
    expect(await adminPage("/admin")).toContain('href="/admin/inscriptions"');
  });
});

describe("search and filters (GET form, no JavaScript)", () => {
  it.each<[string, () => string[], () => string[]]>([
    ["?q=lefevre", () => [ids.jeanEric], () => [ids.lucja, ids.olga]],
    ["?q=%C5%81UCJA", () => [ids.lucja], () => [ids.jeanEric]],
    ["?q=saint-etienne-du", () => [ids.jeanEric, ids.free], () => [ids.lucja, ids.thomas]],
    ["?statut=WAITLISTED", () => [ids.olga, ...waiting], () => [ids.jeanEric, ids.lucja]],
    ["?financement=OPCO&paiement=PENDING", () => [ids.jeanEric, ids.thomas], () => [ids.lucja, ids.free]],
    ["?periode=past", () => [ids.thomas], () => [ids.jeanEric, ids.olga]],
    ["?periode=upcoming&financement=OPCO", () => [ids.jeanEric], () => [ids.thomas]],
    [`?module=MODULE`, () => [ids.jeanEric, ids.lucja, ...waiting], () => [ids.thomas]],
    ["?vue=paiements", () => [ids.jeanEric, ids.thomas], () => [ids.lucja, ids.olga, ids.cancelled, ids.free]],
  ])("%s", async (query, present, absent) => {
    const html = await adminPage(`/admin/inscriptions${query.replace("MODULE", moduleId)}`);
    const shown = listed(html);
    for (const id of present()) expect(shown, `${id} should be listed`).toContain(id);
    for (const id of absent()) expect(shown, `${id} should not be listed`).not.toContain(id);
  });

  it("keeps the filters in the form and links each row to its session's staff page", async () => {
    const html = await adminPage("/admin/inscriptions?q=lefevre&statut=CONFIRMED");
    expect(html).toMatch(/<input[^>]*name="q"[^>]*value="lefevre"/);
    expect(html).toMatch(/<option value="CONFIRMED" selected="">/);
    expect(html).toContain(`href="/admin/sessions/${sessions.upcoming}"`);
  });

  it("pages by 50, with a link to the next page that keeps the filters", async () => {
    const module = await createModule(testDb, { title: "Module pour la pagination" });
    const session = await createSession(testDb, { moduleId: module.id, capacity: 60 });
    for (let i = 0; i < 51; i++) await createEnrolment(testDb, { sessionId: session.id, userId: (await createUser(testDb)).id });
    const first = await adminPage(`/admin/inscriptions?module=${module.id}`);
    expect(listed(first)).toHaveLength(50);
    expect(first.replace(/<!-- -->/g, "").includes("51 inscriptions — page 1 sur 2"), "caption counts 51 over 2 pages").toBe(true);
    const next = first.match(/href="(\/admin\/inscriptions\?[^"]*page=2[^"]*)"/)?.[1]?.replace(/&amp;/g, "&");
    expect(next).toContain(`module=${module.id}`);
    const second = await adminPage(next ?? "");
    expect(listed(second)).toHaveLength(1);
    expect(listed(second)[0]).not.toBeOneOf(listed(first));
  });
});

describe("payments to receive, cancelling, and the journal", () => {
  it("marks a payment as received from the payments view, logs it, and takes it off the view", async () => {
    const res = await postForm(app, "/admin/inscriptions?vue=paiements", { intent: "markPaid", enrolmentId: ids.thomas, sessionId: sessions.past }, { cookie: people.admin.cookie });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/admin/inscriptions?vue=paiements");
    expect((await testDb.enrolment.findUniqueOrThrow({ where: { id: ids.thomas } })).paymentStatus).toBe("PAID");
    expect(await testDb.auditLog.count({ where: { entityId: ids.thomas, action: "enrolment.payment_received", actorId: people.admin.id } })).toBe(1);
    expect(listed(await adminPage("/admin/inscriptions?vue=paiements"))).not.toContain(ids.thomas);
    const again = await postForm(app, "/admin/inscriptions?vue=paiements", { intent: "markPaid", enrolmentId: ids.thomas, sessionId: sessions.past }, { cookie: people.admin.cookie });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("déjà été enregistré");
  });

  it("asks for a reason before cancelling, keeps what was typed, then cancels and shows it in the journal", async () => {
    const path = `/admin/inscriptions/${ids.jeanEric}`;
    const missing = await postForm(app, path, { intent: "cancel", reason: " " }, { cookie: people.admin.cookie });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toMatch(/id="field-reason-error"[^>]*>Indiquez le motif de l(&#x27;|')annulation/);
    expect((await testDb.enrolment.findUniqueOrThrow({ where: { id: ids.jeanEric } })).status).toBe("CONFIRMED");

    const done = await postForm(app, path, { intent: "cancel", reason: "Désistement signalé par la structure" }, { cookie: people.admin.cookie });
    expect(done.status).toBe(302);
    expect(await testDb.enrolment.findUniqueOrThrow({ where: { id: ids.jeanEric } })).toMatchObject({ status: "CANCELLED", cancelReason: "Désistement signalé par la structure" });
    const html = await adminPage(path);
    expect(html).toContain("Inscription annulée");
    expect(html).toContain("Motif : Désistement signalé par la structure");
    expect(await testDb.auditLog.count({ where: { entityId: ids.jeanEric, action: "enrolment.cancelled", actorId: people.admin.id } })).toBe(1);
  });

  it("answers 404 for an unknown enrolment", async () => {
    expect((await get("/admin/inscriptions/nexistepas", people.admin.cookie)).status).toBe(404);
  });
});

describe("reordering the waiting list from the staff session page", () => {
  const path = () => `/admin/sessions/${sessions.full}`;
  const order = async () =>
    (await testDb.enrolment.findMany({ where: { sessionId: sessions.full, status: "WAITLISTED" }, orderBy: { waitlistRank: "asc" }, select: { id: true } })).map((e) => e.id);

  it("shows the form with the queue in order", async () => {
    const html = await adminPage(path());
    expect(html).toContain("Ordre de la liste d");
    expect(html.indexOf("Bruno Petit")).toBeLessThan(html.indexOf("Dimitri Ivanov"));
  });

  it("refuses a missing reason next to the field, keeping the choices typed", async () => {
    const res = await postForm(app, path(), { intent: "reorder", enrolmentId: waiting[2]!, move: "position", position: "1", reason: "" }, { cookie: people.admin.cookie });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/id="field-waitlist-reason-error"[^>]*>Indiquez le motif du changement/);
    expect(html).toContain(`<option value="${waiting[2]}" selected="">`);
    expect(html).toMatch(/<input[^>]*id="field-waitlist-position"[^>]*value="1"/);
    expect(html).toMatch(/<input[^>]*value="position"[^>]*checked=""|<input[^>]*checked=""[^>]*value="position"/);
    expect(await order()).toEqual(waiting);
  });

  it("refuses anyone but staff", async () => {
    for (const who of ["learner", "trainer"] as const) {
      const res = await postForm(app, path(), { intent: "reorder", enrolmentId: waiting[2]!, move: "up", reason: "Je passe devant" }, { cookie: people[who].cookie });
      expect(res.status, who).toBe(403);
    }
    expect(await order()).toEqual(waiting);
  });

  it("moves the person, rewrites the ranks and logs the reason", async () => {
    const res = await postForm(app, path(), { intent: "reorder", enrolmentId: waiting[2]!, move: "position", position: "1", reason: "Urgence : fin de contrat" }, { cookie: people.admin.cookie });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`${path()}#liste-attente`);
    expect(await order()).toEqual([waiting[2], waiting[0], waiting[1]]);
    const ranks = await testDb.enrolment.findMany({ where: { id: { in: waiting } }, select: { waitlistRank: true }, orderBy: { waitlistRank: "asc" } });
    expect(ranks.map((r) => r.waitlistRank)).toEqual([1, 2, 3]);
    const row = await testDb.auditLog.findFirstOrThrow({ where: { entityId: waiting[2], action: "enrolment.waitlist_reordered" } });
    expect(row).toMatchObject({ actorId: people.admin.id, reason: "Urgence : fin de contrat", data: expect.objectContaining({ from: 3, to: 1 }) });

    const down = await postForm(app, path(), { intent: "reorder", enrolmentId: waiting[2]!, move: "down", reason: "Correction" }, { cookie: people.admin.cookie });
    expect(down.status).toBe(302);
    expect(await order()).toEqual([waiting[0], waiting[2], waiting[1]]);
  });
});
