/**
 * /admin/personnes through the real server over HTTP (built app, real database per
 * TEST_DATABASE, real SMTP): search, roles granted and removed with a reason and an audit
 * row, the last admin and one's own admin role kept, deactivation ending live sessions at
 * once, reactivation, invitations by mail, the warning about a deactivated trainer's
 * sessions, and strangers refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postForm, startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { extractLink, recipientsOf, startSmtpServer, type TestSmtpServer } from "../support/smtp";
import { createModule, createSession, createUser, FACTORY_PASSWORD } from "../factories";
import { configureSqlite, createDb, type Db } from "../../app/utils/db.server";
import { providerOf } from "../../app/utils/db-adapter.server";

let app: AppServer;
let smtp: TestSmtpServer;
let testDb: Db;
type Person = { id: string; email: string; name: string; cookie: string };
const people = {} as Record<"admin" | "admin2" | "learner" | "trainer", Person>;

async function login(email: string, password = FACTORY_PASSWORD) {
  return postForm(app, "/connexion", { email, password });
}
const cookieOf = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith("maillon_session="))?.split(";")[0] ?? "";
const get = (path: string, cookie?: string) => fetch(`${app.url}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
const readable = (html: string) =>
  html
    .replace(/<!-- -->/g, "")
    .replace(/[\u00a0\u202f]/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
const fieldError = (html: string, id: string) => readable(html).match(new RegExp(`id="${id}-error">([^<]*)<`))?.[1] ?? "";
const formError = (html: string) => readable(html).match(/class="form-error" role="alert">([^<]*)</)?.[1] ?? "";

async function newPerson(roles: ("LEARNER" | "TRAINER" | "ADMIN")[], name?: string): Promise<Person> {
  const user = await createUser(testDb, { roles, ...(name ? { name } : {}) });
  const res = await login(user.email);
  expect(res.status, `login of ${user.email}`).toBe(302);
  return { id: user.id, email: user.email, name: user.name, cookie: cookieOf(res) };
}

beforeAll(async () => {
  const url = testDatabaseUrl("people_admin_http");
  smtp = await startSmtpServer();
  app = await startAppServer({ databaseUrl: url, smtpUrl: smtp.url });
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
  people.admin = await newPerson(["ADMIN"], "Inès Lefèvre");
  people.admin2 = await newPerson(["ADMIN"], "Hugo Marchand");
  people.learner = await newPerson(["LEARNER"], "Zoé Ångström-Nguyễn");
  people.trainer = await newPerson(["TRAINER"], "Rémi Ostrowski");
}, 120_000);

afterAll(async () => {
  await testDb?.$disconnect();
  await app?.stop();
  await smtp?.stop();
});

const personPath = (p: { id: string }) => `/admin/personnes/${p.id}`;
const post = (path: string, fields: Record<string, string>, cookie = people.admin.cookie) => postForm(app, path, fields, { cookie });
const rolesOf = async (id: string) => (await testDb.userRole.findMany({ where: { userId: id } })).map((r) => r.role).sort();

describe("searching people", () => {
  it("finds people by name without accents or case, and by e-mail, on a private page", async () => {
    const res = await get("/admin/personnes?q=angstrom", people.admin.cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toContain("no-store");
    const html = readable(await res.text());
    expect(html).toContain("Zoé Ångström-Nguyễn");
    expect(html).not.toContain("Rémi Ostrowski");
    const byMail = readable(await (await get(`/admin/personnes?q=${encodeURIComponent(people.trainer.email.toUpperCase())}`, people.admin.cookie)).text());
    expect(byMail).toContain("Rémi Ostrowski");
    expect(byMail).toContain("Formateur·rice");
    expect(byMail).not.toContain("Zoé Ångström-Nguyễn");
  });
});

describe("roles", () => {
  it("grants a role with a reason, written in the audit log, and removes it", async () => {
    const person = await newPerson(["LEARNER"]);
    const short = await post(personPath(person), { intent: "grant", role: "TRAINER", reason: "ok" });
    expect(short.status).toBe(400);
    expect(fieldError(await short.text(), "field-grant-reason")).toContain("5 caractères au moins");
    expect(await rolesOf(person.id)).toEqual(["LEARNER"]);

    const granted = await post(personPath(person), { intent: "grant", role: "TRAINER", reason: "Rejoint l'équipe des formateurs en janvier" });
    expect(granted.status).toBe(302);
    expect(await rolesOf(person.id)).toEqual(["LEARNER", "TRAINER"]);
    const audit = await testDb.auditLog.findFirstOrThrow({ where: { entityType: "User", entityId: person.id, action: "person.roleGranted" } });
    expect(audit).toMatchObject({ actorId: people.admin.id, reason: "Rejoint l'équipe des formateurs en janvier", data: { role: "TRAINER" } });
    // The person's own live session now opens the trainer space.
    expect((await get("/formateur", person.cookie)).status).toBe(200);

    const page = readable(await (await get(personPath(person), people.admin.cookie)).text());
    expect(page).toContain("Rôle donné : Formateur·rice");
    expect(page).toContain("Rejoint l'équipe des formateurs en janvier");

    const again = await post(personPath(person), { intent: "grant", role: "TRAINER", reason: "Deuxième fois par erreur" });
    expect(again.status).toBe(400);
    expect(formError(await again.text())).toContain("a déjà le rôle formateur·rice");

    const removed = await post(personPath(person), { intent: "remove", role: "TRAINER", reason: "Fin de sa mission de formation" });
    expect(removed.status).toBe(302);
    expect(await rolesOf(person.id)).toEqual(["LEARNER"]);
    expect(await testDb.auditLog.count({ where: { entityId: person.id, action: "person.roleRemoved", reason: "Fin de sa mission de formation" } })).toBe(1);
    expect((await get("/formateur", person.cookie)).status).toBe(403);
  });

  it("grants by e-mail, and for an unknown address says so and offers the invitation with what was typed", async () => {
    const unknown = await post("/admin/personnes", { intent: "grant", email: "Nouvelle.Personne@Exemple.fr", role: "TRAINER", reason: "Formatrice recrutée" });
    expect(unknown.status).toBe(404);
    const html = readable(await unknown.text());
    expect(fieldError(html, "field-grant-email")).toContain("Aucun compte n'utilise l'adresse nouvelle.personne@exemple.fr");
    expect(html).toMatch(/id="field-invite-email"[^>]*value="Nouvelle.Personne@Exemple.fr"|value="Nouvelle.Personne@Exemple.fr"[^>]*id="field-invite-email"/);
    expect(await testDb.user.count({ where: { email: "nouvelle.personne@exemple.fr" } })).toBe(0);

    const known = await newPerson(["LEARNER"]);
    const res = await post("/admin/personnes", { intent: "grant", email: known.email.toUpperCase(), role: "ADMIN", reason: "Rejoint le pôle formation" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(personPath(known));
    expect(await rolesOf(known.id)).toEqual(["ADMIN", "LEARNER"]);
  });

  it("refuses an admin removing their own admin role, and removing the last active admin", async () => {
    const own = await post(personPath(people.admin), { intent: "remove", role: "ADMIN", reason: "Je quitte l'association" });
    expect(own.status).toBe(400);
    expect(formError(await own.text())).toContain("Vous ne pouvez pas retirer votre propre rôle administrateur");

    // A lone admin in a fresh pair of databases is not needed: deactivate every other admin.
    const others = await testDb.user.findMany({ where: { id: { not: people.admin.id }, roles: { some: { role: "ADMIN" } }, deactivatedAt: null } });
    await testDb.user.updateMany({ where: { id: { in: others.map((o) => o.id) } }, data: { deactivatedAt: new Date() } });
    try {
      const last = await post(personPath(people.admin), { intent: "remove", role: "ADMIN", reason: "Je quitte l'association" });
      expect(last.status).toBe(400);
      expect(formError(await last.text())).toContain("C'est le dernier compte administrateur actif");
      expect(await rolesOf(people.admin.id)).toContain("ADMIN");
    } finally {
      await testDb.user.updateMany({ where: { id: { in: others.map((o) => o.id) } }, data: { deactivatedAt: null } });
    }
  });

  it("of two admins removing each other's admin role at the same instant, only one succeeds", async () => {
    const a = await newPerson(["ADMIN"]);
    const b = await newPerson(["ADMIN"]);
    const [ra, rb] = await Promise.all([
      post(personPath(b), { intent: "remove", role: "ADMIN", reason: "Réorganisation du bureau" }, a.cookie),
      post(personPath(a), { intent: "remove", role: "ADMIN", reason: "Réorganisation du bureau" }, b.cookie),
    ]);
    // The loser is refused either at the door (no longer admin: 403) or inside the locked transaction (400).
    const statuses = [ra.status, rb.status].sort();
    expect(statuses[0]).toBe(302);
    expect([400, 403]).toContain(statuses[1]);
    const stillAdmin = [(await rolesOf(a.id)).includes("ADMIN"), (await rolesOf(b.id)).includes("ADMIN")];
    expect(stillAdmin.filter(Boolean)).toHaveLength(1);
  });
});

describe("deactivating an account", () => {
  it("ends the person's sessions at once, refuses login with a clear message, keeps the data; reactivation lets them back", async () => {
    const person = await newPerson(["LEARNER"], "Maëlle Dubois-Kaya");
    expect((await get("/mon-espace", person.cookie)).status).toBe(200);

    const noReason = await post(personPath(person), { intent: "deactivate", reason: "" });
    expect(noReason.status).toBe(400);
    expect(fieldError(await noReason.text(), "field-deactivate-reason")).toContain("Indiquez la raison");

    const res = await post(personPath(person), { intent: "deactivate", reason: "Départ de la structure" });
    expect(res.status).toBe(302);
    const stale = await get("/mon-espace", person.cookie);
    expect(stale.status).toBe(302);
    expect(stale.headers.get("location")).toContain("/connexion");
    expect(await testDb.authSession.count({ where: { userId: person.id } })).toBe(0);

    const refused = await login(person.email);
    expect(refused.status).toBe(403);
    expect(formError(await refused.text())).toContain("Ce compte est désactivé");
    const wrongPassword = await login(person.email, "pas le bon mot de passe du tout");
    expect(formError(await wrongPassword.text())).toContain("Adresse e-mail ou mot de passe incorrect");
    expect(await testDb.user.findUnique({ where: { id: person.id } })).toMatchObject({ name: "Maëlle Dubois-Kaya" });
    expect(await testDb.auditLog.count({ where: { entityId: person.id, action: "person.deactivated", reason: "Départ de la structure" } })).toBe(1);
    expect(readable(await (await get("/admin/personnes?q=maelle", people.admin.cookie)).text())).toContain("Compte désactivé");

    const back = await post(personPath(person), { intent: "reactivate", reason: "Retour dans la structure" });
    expect(back.status).toBe(302);
    expect((await login(person.email)).status).toBe(302);
  });

  it("refuses an admin deactivating themself", async () => {
    const res = await post(personPath(people.admin), { intent: "deactivate", reason: "Je veux partir" });
    expect(res.status).toBe(400);
    expect(formError(await res.text())).toContain("Vous ne pouvez pas désactiver votre propre compte");
    expect((await get("/admin", people.admin.cookie)).status).toBe(200);
  });

  it("warns staff on the person page and the session's page when a deactivated trainer has sessions to come", async () => {
    const trainer = await newPerson(["TRAINER"], "Solène Garnier");
    const module = await createModule(testDb, { title: "Accompagner les démarches de santé en ligne" });
    const session = await createSession(testDb, { moduleId: module.id, trainerId: trainer.id });
    const res = await post(personPath(trainer), { intent: "deactivate", reason: "Fin de contrat" });
    expect(res.status).toBe(302);
    const page = readable(await (await get(personPath(trainer), people.admin.cookie)).text());
    expect(page).toContain("Sessions à venir à confier à quelqu'un d'autre");
    expect(page).toContain(`href="/admin/sessions/${session.id}"`);
    expect(page).toContain("Accompagner les démarches de santé en ligne");
    const sessionPage = readable(await (await get(`/admin/sessions/${session.id}`, people.admin.cookie)).text());
    expect(sessionPage).toContain("Le compte de la formatrice ou du formateur, Solène Garnier, est désactivé");
  });
});

describe("inviting a trainer", () => {
  it("creates the account with the role and mails a link that sets the password; the trainer then sees their sessions", async () => {
    const email = `aurelien.fontaine.${Date.now()}@exemple.fr`;
    const missing = await post("/admin/personnes", { intent: "invite", email, name: "", role: "TRAINER", reason: "Nouveau formateur" });
    expect(missing.status).toBe(400);
    expect(fieldError(await missing.text(), "field-invite-name")).toContain("Indiquez le nom");

    const res = await post("/admin/personnes", { intent: "invite", email, name: "Aurélien Fontaine", role: "TRAINER", reason: "Nouveau formateur du réseau" });
    expect(res.status).toBe(302);
    const user = await testDb.user.findUniqueOrThrow({ where: { email }, include: { roles: true } });
    expect(user.roles.map((r) => r.role)).toEqual(["TRAINER"]);
    expect(user.passwordHash).toBeNull();
    expect(await testDb.auditLog.count({ where: { entityId: user.id, action: "person.invited", actorId: people.admin.id } })).toBe(1);

    const twice = await post("/admin/personnes", { intent: "invite", email, name: "Aurélien Fontaine", role: "TRAINER", reason: "Nouveau formateur du réseau" });
    expect(twice.status).toBe(400);
    expect(fieldError(await twice.text(), "field-invite-email")).toContain("Un compte existe déjà");

    const mail = await smtp.waitFor((m) => recipientsOf(m).includes(email), 15_000);
    expect(mail.subject).toContain("Votre compte Maillon");
    expect(mail.text).toContain("Inès Lefèvre vous a ouvert un compte");
    const link = extractLink(mail, "/activer-mon-compte");
    expect(link.startsWith(`${app.url}/activer-mon-compte?token=`)).toBe(true);
    const token = new URL(link).searchParams.get("token")!;
    expect((await postForm(app, "/activer-mon-compte", { token, password: "court" })).status).toBe(400);
    expect((await postForm(app, "/activer-mon-compte", { token, password: "la forêt de Brocéliande en automne" })).status).toBe(302);

    const module = await createModule(testDb, { title: "Sécuriser ses démarches en ligne" });
    await createSession(testDb, { moduleId: module.id, trainerId: user.id });
    const logged = await login(email, "la forêt de Brocéliande en automne");
    expect(logged.status).toBe(302);
    const space = await get("/formateur", cookieOf(logged));
    expect(space.status).toBe(200);
    expect(readable(await space.text())).toContain("Sécuriser ses démarches en ligne");
    expect((await testDb.user.findUniqueOrThrow({ where: { id: user.id } })).lastLoginAt).not.toBeNull();
  });
});

describe("strangers", () => {
  it.each(["learner", "trainer"] as const)("a %s gets 403 on the pages and on every action, and nothing changes", async (who) => {
    const cookie = people[who].cookie;
    const target = people.learner.id === people[who].id ? people.trainer : people.learner;
    expect((await get("/admin/personnes", cookie)).status).toBe(403);
    expect((await get(personPath(target), cookie)).status).toBe(403);
    const attempts: [string, Record<string, string>][] = [
      [personPath(target), { intent: "grant", role: "ADMIN", reason: "Je me fais admin" }],
      [personPath(people[who]), { intent: "grant", role: "ADMIN", reason: "Je me fais admin" }],
      [personPath(people.admin), { intent: "remove", role: "ADMIN", reason: "Plus d'admin" }],
      [personPath(people.admin), { intent: "deactivate", reason: "Plus d'admin" }],
      ["/admin/personnes", { intent: "grant", email: people[who].email, role: "ADMIN", reason: "Je me fais admin" }],
      ["/admin/personnes", { intent: "invite", email: "complice@exemple.fr", name: "Complice", role: "ADMIN", reason: "Un complice" }],
    ];
    for (const [path, fields] of attempts) expect((await post(path, fields, cookie)).status, `${path} ${fields.intent}`).toBe(403);
    expect(await rolesOf(people[who].id)).not.toContain("ADMIN");
    expect(await rolesOf(people.admin.id)).toContain("ADMIN");
    expect(await testDb.user.count({ where: { email: "complice@exemple.fr" } })).toBe(0);
  });

  it("sends an anonymous visitor to the login page, and answers 404 for an unknown person", async () => {
    const anonymous = await postForm(app, personPath(people.learner), { intent: "deactivate", reason: "Sans compte" });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toContain("/connexion");
    expect((await get("/admin/personnes/inconnu", people.admin.cookie)).status).toBe(404);
    const unknown = await post("/admin/personnes/inconnu", { intent: "deactivate", reason: "Personne inconnue" });
    expect(unknown.status).toBe(404);
  });
});
