/**
 * The staff's module pages through the real server over HTTP (built app, real database per
 * TEST_DATABASE): who may open and post them, the form without JavaScript (errors next to
 * the right field, typed values kept, duplicates refused), the audit rows, and the public
 * catalogue showing what staff saved.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postForm, startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { createEnrolment, createMembership, createModule, createSession, createStructure, createUser, FACTORY_PASSWORD } from "../factories";
import { configureSqlite, createDb, type Db } from "../../app/utils/db.server";
import { providerOf } from "../../app/utils/db-adapter.server";

let app: AppServer;
let testDb: Db;
type Person = { id: string; email: string; cookie: string };
const people = {} as Record<"learner" | "referent" | "trainer" | "admin", Person>;
let existingModuleId = "";

async function login(email: string): Promise<string> {
  const res = await postForm(app, "/connexion", { email, password: FACTORY_PASSWORD });
  expect(res.status, `login of ${email}`).toBe(302);
  const set = res.headers.getSetCookie().find((c) => c.startsWith("maillon_session="));
  return set ? set.split(";")[0]! : "";
}

const get = (path: string, cookie?: string) => fetch(`${app.url}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });

/** Page text as a reader sees it: React's text separators gone, every kind of space a plain one. */
const readable = (html: string) => html.replace(/<!-- -->/g, "").replace(/[\u00a0\u202f]/g, " ");
/** How React writes a text into HTML. */
const escaped = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;");

let nextNumber = 40;

/** A complete form as the browser sends it, with a number no other test uses. */
function moduleForm(change: Record<string, string> = {}): Record<string, string> {
  const number = String(nextNumber++);
  return {
    number,
    slug: "",
    title: `Accueillir un public allophone au guichet numérique ${number}`,
    summary: "Deux demi-journées pour accompagner en ligne des personnes qui lisent peu le français.",
    objectives: "Utiliser un outil de traduction pendant un entretien\nRepérer les démarches traduites sur les sites publics",
    programme: "Panorama des outils de traduction\nMises en situation au guichet",
    duration: "3,5",
    prerequisites: "Aucun prérequis.",
    audience: "Agents d'accueil, travailleurs sociaux.",
    methods: "Démonstrations, jeux de rôle.",
    assessment: "Mise en situation notée par la formatrice.",
    accessLeadTime: "Inscription jusqu'à 10 jours avant la session.",
    price: "1 200,50",
    accessibility: "Salle de plain-pied ; boucle magnétique sur demande.",
    contact: "Pôle formation — formation@maillon.localhost",
    certificateValidityMonths: "24",
    published: "on",
    ...change,
  };
}

beforeAll(async () => {
  const url = testDatabaseUrl("modules_admin_http");
  app = await startAppServer({ databaseUrl: url });
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
  const roles = { learner: ["LEARNER"], referent: ["LEARNER"], trainer: ["TRAINER"], admin: ["ADMIN"] } as const;
  for (const [key, r] of Object.entries(roles) as [keyof typeof roles, (typeof roles)[keyof typeof roles]][]) {
    const user = await createUser(testDb, { roles: [...r] });
    people[key] = { id: user.id, email: user.email, cookie: "" };
  }
  const structure = await createStructure(testDb);
  await createMembership(testDb, { userId: people.referent.id, structureId: structure.id, role: "REFERENT" });
  for (const person of Object.values(people)) person.cookie = await login(person.email);
  existingModuleId = (await createModule(testDb, { number: 7, slug: "module-existant", title: "Module déjà au catalogue" })).id;
});

afterAll(async () => {
  await testDb?.$disconnect();
  await app?.stop();
});

describe("who may open and post the staff's module pages", () => {
  const pages = ["/admin/formations", "/admin/formations/nouvelle", () => `/admin/formations/${existingModuleId}`];

  it.each(pages)("%s: anonymous → login, learner, referent and trainer → 403, admin → 200", async (p) => {
    const path = typeof p === "function" ? p() : p;
    const anonymous = await get(path);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe(`/connexion?redirectTo=${encodeURIComponent(path)}`);
    for (const who of ["learner", "referent", "trainer"] as const) expect((await get(path, people[who].cookie)).status, who).toBe(403);
    expect((await get(path, people.admin.cookie)).status).toBe(200);
  });

  it("answers 404 for a module that does not exist", async () => {
    expect((await get("/admin/formations/nexistepas", people.admin.cookie)).status).toBe(404);
  });

  it.each([undefined, "learner", "referent", "trainer"] as const)("a POST by %s creates and changes nothing", async (who) => {
    const cookie = who ? people[who].cookie : undefined;
    const created = moduleForm();
    const create = await postForm(app, "/admin/formations/nouvelle", created, { cookie });
    expect(create.status).toBe(who ? 403 : 302);
    if (!who) expect(create.headers.get("location")).toMatch(/^\/connexion\?redirectTo=/);
    expect(await testDb.module.count({ where: { number: Number(created.number) } })).toBe(0);

    const edit = await postForm(app, `/admin/formations/${existingModuleId}`, moduleForm({ title: "Titre détourné", published: "" }), { cookie });
    expect(edit.status).toBe(who ? 403 : 302);
    expect(await testDb.module.findUniqueOrThrow({ where: { id: existingModuleId } })).toMatchObject({ title: "Module déjà au catalogue", published: true });
  });

  it("links the list from the admin home and the header of staff only", async () => {
    expect(await (await get("/admin", people.admin.cookie)).text()).toMatch(/<a[^>]*href="\/admin\/formations"/);
    expect(await (await get("/mon-espace", people.learner.cookie)).text()).not.toContain('href="/admin/formations"');
  });
});

describe("creating a module without JavaScript", () => {
  it("stores every field, parses hours and euros, makes the address from the title, and logs it", async () => {
    const form = moduleForm();
    const res = await postForm(app, "/admin/formations/nouvelle", form, { cookie: people.admin.cookie });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/admin/formations");
    const stored = await testDb.module.findUniqueOrThrow({ where: { number: Number(form.number) } });
    expect(stored).toMatchObject({
      slug: `accueillir-un-public-allophone-au-guichet-numerique-${form.number}`,
      title: form.title,
      objectives: form.objectives,
      durationMinutes: 210,
      priceCents: 120_050,
      certificateValidityMonths: 24,
      contact: form.contact,
      published: true,
    });
    const audit = await testDb.auditLog.findMany({ where: { entityType: "Module", entityId: stored.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "module.created", actorId: people.admin.id });
    expect((audit[0]!.data as { changed: string[] }).changed).toEqual(expect.arrayContaining(["title", "priceCents", "durationMinutes", "published"]));

    // On the list, then in the public catalogue.
    const list = readable(await (await get("/admin/formations", people.admin.cookie)).text());
    expect(list).toContain(`href="/admin/formations/${stored.id}"`);
    expect(list).toContain("1 200,50 €");
    expect(list).toContain("3 h 30");
    const catalogue = readable(await (await get("/formations", people.learner.cookie)).text());
    expect(catalogue).toContain(escaped(stored.title));
    expect(catalogue).toContain("1 200,50 € par personne");
    const page = readable(await (await get(`/formations/${stored.slug}`)).text());
    expect(page).toContain("Utiliser un outil de traduction pendant un entretien");
    expect(page).toContain("1 200,50 € par personne");
  });

  it("shows each error next to its field and keeps everything typed", async () => {
    const form = moduleForm({
      title: `Ateliers « clé en main » & co ${"—".repeat(200)}`,
      duration: "quatorze",
      price: "-350",
      objectives: "Repérer les besoins\nComprendre FranceConnect",
      certificateValidityMonths: "douze",
      summary: "Un résumé à garder <tel quel>",
    });
    const res = await postForm(app, "/admin/formations/nouvelle", form, { cookie: people.admin.cookie });
    expect(res.status).toBe(400);
    const html = await res.text();
    const errorOf = (field: string) => new RegExp(`id="field-${field}-error"[^>]*>([^<]*)<`).exec(html)?.[1] ?? "";
    expect(errorOf("title")).toMatch(/trop long/);
    expect(errorOf("duration")).toMatch(/durée en heures/);
    expect(errorOf("price")).toMatch(/négatif/);
    expect(errorOf("objectives")).toMatch(/Ligne 2 : « Comprendre »/);
    expect(errorOf("certificateValidityMonths")).toMatch(/entre 1 et 120/);
    expect(errorOf("number")).toBe("");
    expect(html).toMatch(/id="field-price"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="field-price"/);
    expect(html).toContain('role="alert"');
    for (const field of ["title", "duration", "price", "certificateValidityMonths", "number", "contact"]) {
      expect(html, field).toContain(`value="${escaped(form[field]!)}"`);
    }
    for (const field of ["objectives", "summary", "accessibility"]) expect(html, field).toContain(`>${escaped(form[field]!)}</textarea>`);
    expect(html).toMatch(/id="field-published"[^>]*checked/);
    expect(await testDb.module.count({ where: { number: Number(form.number) } })).toBe(0);
  });

  it.each([
    ["number", () => ({ number: "7" }), /Ce numéro est déjà celui d&#x27;un autre module/],
    ["slug", () => ({ slug: "module-existant" }), /Cette adresse est déjà celle d&#x27;un autre module/],
  ])("refuses a duplicate %s next to that field, keeping the form", async (field, change, message) => {
    const form = moduleForm(change());
    const res = await postForm(app, "/admin/formations/nouvelle", form, { cookie: people.admin.cookie });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(new RegExp(`id="field-${field}-error"[^>]*>${message.source}`));
    expect(html).toContain(`value="${escaped(form.title!)}"`);
    expect(html).toContain(`>${escaped(form.programme!)}</textarea>`);
    expect(await testDb.module.count({ where: { title: form.title } })).toBe(0);
    expect(await testDb.module.count({ where: { OR: [{ number: 7 }, { slug: "module-existant" }] } })).toBe(1);
  });
});

describe("editing a module", () => {
  it("shows the stored values, saves the changes, logs the changed fields, and the catalogue follows", async () => {
    const module = await createModule(testDb, { title: "Titre d'avant", priceCents: 25_000, durationMinutes: 195, certificateValidityMonths: null });
    const path = `/admin/formations/${module.id}`;
    const page = await (await get(path, people.admin.cookie)).text();
    expect(page).toContain(`value="${escaped(module.slug)}"`);
    expect(page).toContain('value="3,25"');
    expect(page).toContain('value="250"');
    expect(page).toMatch(/id="field-certificateValidityMonths"[^>]*value=""/);
    expect(readable(await (await get("/formations", people.learner.cookie)).text())).toContain(escaped("Titre d'avant"));

    const form = {
      number: String(module.number),
      slug: module.slug,
      title: "Accompagner les démarches en ligne, édition 2026",
      summary: module.summary,
      objectives: module.objectives,
      programme: module.programme,
      duration: "3,25",
      prerequisites: module.prerequisites,
      audience: module.audience,
      methods: module.methods,
      assessment: module.assessment,
      accessLeadTime: module.accessLeadTime,
      price: "310",
      accessibility: module.accessibility,
      contact: module.contact,
      certificateValidityMonths: "",
      published: "on",
    };
    const res = await postForm(app, path, form, { cookie: people.admin.cookie });
    expect(res.status).toBe(302);
    expect(await testDb.module.findUniqueOrThrow({ where: { id: module.id } })).toMatchObject({
      title: form.title,
      priceCents: 31_000,
      slug: module.slug,
      durationMinutes: 195,
    });
    const audit = await testDb.auditLog.findFirstOrThrow({ where: { entityType: "Module", entityId: module.id, action: "module.updated" } });
    expect(audit.actorId).toBe(people.admin.id);
    expect(audit.data).toEqual({
      changed: ["title", "priceCents"],
      before: { title: "Titre d'avant", priceCents: 25_000 },
      after: { title: form.title, priceCents: 31_000 },
    });

    const catalogue = readable(await (await get("/formations", people.learner.cookie)).text());
    expect(catalogue).toContain(escaped(form.title));
    expect(catalogue).not.toContain(escaped("Titre d'avant"));
    expect(catalogue).toContain("310 € par personne");
    // Anonymous visitors get the catalogue from a one-second cache: it follows within that.
    await eventually(async () => expect(readable(await (await get(`/formations/${module.slug}`)).text())).toContain("310 € par personne"));

    // The same form again changes nothing and logs nothing.
    expect((await postForm(app, path, form, { cookie: people.admin.cookie })).status).toBe(302);
    expect(await testDb.auditLog.count({ where: { entityId: module.id, action: "module.updated" } })).toBe(1);
  });

  it("refuses to take another module's number, keeping the typed values", async () => {
    const module = await createModule(testDb);
    const form = moduleForm({ number: "7", slug: module.slug, title: "Un autre titre" });
    const res = await postForm(app, `/admin/formations/${module.id}`, form, { cookie: people.admin.cookie });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/id="field-number-error"[^>]*>Ce numéro est déjà celui/);
    expect(html).toContain('value="Un autre titre"');
    expect(await testDb.module.findUniqueOrThrow({ where: { id: module.id } })).toMatchObject({ number: module.number, title: module.title });
  });

  it("unpublishing hides the module from the catalogue, and warns while people are enrolled in its upcoming sessions", async () => {
    const module = await createModule(testDb, { title: "Module bientôt retiré" });
    const session = await createSession(testDb, { moduleId: module.id });
    const learner = await createUser(testDb, { name: "Nguyễn Thị Thu" });
    await createEnrolment(testDb, { sessionId: session.id, userId: learner.id, status: "CONFIRMED" });
    expect(await (await get("/formations", people.learner.cookie)).text()).toContain("Module bientôt retiré");
    const list = readable(await (await get("/admin/formations", people.admin.cookie)).text());
    expect(rowOf(list, module.id)).toMatch(/<td>1<\/td>\s*<\/tr>$/);

    const current = await (await get(`/admin/formations/${module.id}`, people.admin.cookie)).text();
    const values = Object.fromEntries(
      ["number", "slug", "title", "duration", "price", "accessLeadTime", "contact", "certificateValidityMonths"].map((f) => [f, unescape(new RegExp(`id="field-${f}"[^>]*value="([^"]*)"`).exec(current)?.[1] ?? "")]),
    );
    const texts = Object.fromEntries(
      ["summary", "objectives", "programme", "prerequisites", "audience", "methods", "assessment", "accessibility"].map((f) => [f, unescape(new RegExp(`id="field-${f}"[^>]*>([^<]*)</textarea>`).exec(current)?.[1] ?? "")]),
    );
    const res = await postForm(app, `/admin/formations/${module.id}`, { ...values, ...texts }, { cookie: people.admin.cookie });
    expect(res.status).toBe(302);
    const stored = await testDb.module.findUniqueOrThrow({ where: { id: module.id } });
    expect(stored).toMatchObject({ published: false, title: module.title, objectives: module.objectives, priceCents: module.priceCents });
    const audit = await testDb.auditLog.findFirstOrThrow({ where: { entityId: module.id, action: "module.updated" } });
    expect(audit.data).toEqual({ changed: ["published"], before: { published: true }, after: { published: false } });

    const flashCookie = res.headers.getSetCookie().find((c) => c.startsWith("maillon_flash="))!.split(";")[0]!;
    const after = readable(await (await get("/admin/formations", `${people.admin.cookie}; ${flashCookie}`)).text());
    expect(after).toContain("1 session à venir compte 1 inscription confirmée");
    expect(rowOf(after, module.id)).toContain("Attention : 1 session à venir avec 1 inscription confirmée");
    expect(rowOf(after, module.id)).toContain("Non publié");

    expect(await (await get("/formations", people.learner.cookie)).text()).not.toContain("Module bientôt retiré");
    expect((await get(`/formations/${module.slug}`, people.learner.cookie)).status).toBe(404);
    await eventually(async () => expect((await get(`/formations/${module.slug}`)).status).toBe(404));
    expect(await testDb.enrolment.count({ where: { sessionId: session.id, status: "CONFIRMED" } })).toBe(1);
  });
});

/** The list's table row of one module. */
function rowOf(html: string, moduleId: string): string {
  const link = html.indexOf(`href="/admin/formations/${moduleId}"`);
  expect(link, "the module's row").toBeGreaterThan(0);
  return html.slice(html.lastIndexOf("<tr", link), html.indexOf("</tr>", link) + "</tr>".length);
}

function unescape(html: string): string {
  return html.replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

async function eventually(check: () => Promise<void>, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
