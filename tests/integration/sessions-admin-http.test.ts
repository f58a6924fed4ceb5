/**
 * The staff's session pages and the trainer's roster through the real server over HTTP
 * (built app, real database per TEST_DATABASE): who may open them, and the create form
 * without JavaScript (errors next to the right field, typed values kept).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postForm, startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { createEnrolment, createModule, createSession, createUser, FACTORY_PASSWORD } from "../factories";
import { configureSqlite, createDb, type Db } from "../../app/utils/db.server";
import { providerOf } from "../../app/utils/db-adapter.server";

let app: AppServer;
let testDb: Db;
const people = {} as Record<"learner" | "admin" | "trainer" | "otherTrainer", { id: string; email: string; cookie: string }>;
let moduleId = "";
let sessionId = "";

async function login(email: string): Promise<string> {
  const res = await postForm(app, "/connexion", { email, password: FACTORY_PASSWORD });
  expect(res.status, `login of ${email}`).toBe(302);
  const set = res.headers.getSetCookie().find((c) => c.startsWith("maillon_session="));
  return set ? set.split(";")[0]! : "";
}

const get = (path: string, cookie?: string) => fetch(`${app.url}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });

beforeAll(async () => {
  const url = testDatabaseUrl("sessions_admin_http");
  app = await startAppServer({ databaseUrl: url });
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
  const roles = { learner: ["LEARNER"], admin: ["ADMIN"], trainer: ["TRAINER"], otherTrainer: ["TRAINER"] } as const;
  for (const [key, r] of Object.entries(roles) as [keyof typeof roles, (typeof roles)[keyof typeof roles]][]) {
    const user = await createUser(testDb, { roles: [...r] });
    people[key] = { id: user.id, email: user.email, cookie: await login(user.email) };
  }
  const module = await createModule(testDb, { title: "Accompagner les démarches en ligne" });
  moduleId = module.id;
  const session = await createSession(testDb, { moduleId, trainerId: people.trainer.id });
  sessionId = session.id;
  const learner = await createUser(testDb, { name: "Łucja Wiśniewska", email: `lucja.${Date.now()}@exemple.fr` });
  await createEnrolment(testDb, { sessionId, userId: learner.id, status: "CONFIRMED", funding: "OPCO" });
});

afterAll(async () => {
  await testDb?.$disconnect();
  await app?.stop();
});

describe("who may open the staff's session pages", () => {
  it.each(["/admin/sessions", "/admin/sessions/nouvelle", () => `/admin/sessions/${sessionId}`])("%s: anonymous → login, learner and trainer → 403, admin → 200", async (p) => {
    const path = typeof p === "function" ? p() : p;
    const anonymous = await get(path);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/connexion\?redirectTo=/);
    expect((await get(path, people.learner.cookie)).status).toBe(403);
    expect((await get(path, people.trainer.cookie)).status).toBe(403);
    expect((await get(path, people.admin.cookie)).status).toBe(200);
  });

  it("refuses a learner's POST that would cancel a session", async () => {
    const res = await postForm(app, `/admin/sessions/${sessionId}`, { intent: "cancel", reason: "Pour voir" }, { cookie: people.learner.cookie });
    expect(res.status).toBe(403);
    expect((await testDb.session.findUniqueOrThrow({ where: { id: sessionId } })).status).toBe("SCHEDULED");
  });

  it("shows the roster to the session's trainer and to staff only", async () => {
    const path = `/formateur/sessions/${sessionId}`;
    expect((await get(path)).status).toBe(302);
    expect((await get(path, people.learner.cookie)).status).toBe(403);
    expect((await get(path, people.otherTrainer.cookie)).status).toBe(403);
    expect((await get(path, people.admin.cookie)).status).toBe(200);
    const res = await get(path, people.trainer.cookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Łucja Wiśniewska");
    expect(html).toMatch(/<textarea[^>]*readOnly|<textarea[^>]*readonly/i);
    expect(html).toContain("mailto:?bcc=lucja.");
    expect((await get("/formateur/sessions/nexistepas", people.trainer.cookie)).status).toBe(404);
  });
});

describe("the create form without JavaScript", () => {
  const form = () => ({
    moduleId,
    kind: "INTER",
    structureId: "",
    format: "IN_PERSON",
    venueName: "Salle partenaire — Maison des associations",
    address: "4 rue de Nuits",
    postcode: "33100",
    city: "Bordeaux",
    accessInfo: "Tram A, arrêt Jardin botanique.",
    remoteUrl: "",
    capacity: "10",
    trainerId: people.otherTrainer.id,
    price: "180,50",
    slot0Date: "2031-03-04",
    slot0Start: "09:00",
    slot0End: "12:30",
  });

  it("puts a slot's error next to its row and keeps everything typed", async () => {
    const res = await postForm(app, "/admin/sessions/nouvelle", { ...form(), slot2Date: "2031-03-04", slot2Start: "11:00", slot2End: "15:00" }, { cookie: people.admin.cookie });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/id="field-slot2-error"[^>]*>[^<]*demi-journée/);
    expect(html).toContain('value="180,50"');
    expect(html).toContain('value="Salle partenaire — Maison des associations"');
    expect(html).toContain('value="15:00"');
  });

  it("creates the session and opens its page", async () => {
    const res = await postForm(app, "/admin/sessions/nouvelle", form(), { cookie: people.admin.cookie });
    expect(res.status).toBe(302);
    const location = res.headers.get("location") ?? "";
    expect(location).toMatch(/^\/admin\/sessions\/\w+$/);
    const id = location.split("/").at(-1)!;
    const session = await testDb.session.findUniqueOrThrow({ where: { id }, include: { slots: true } });
    expect(session).toMatchObject({ priceCents: 18_050, capacity: 10, city: "Bordeaux", trainerId: people.otherTrainer.id });
    expect(session.slots.map((s) => s.startsAt.toISOString())).toEqual(["2031-03-04T08:00:00.000Z"]);
    const page = await get(location, people.admin.cookie);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Accompagner les démarches en ligne");
  });
});
