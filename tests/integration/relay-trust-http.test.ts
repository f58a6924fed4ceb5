/**
 * Trust in relays, through the real server over HTTP (built app, database per TEST_DATABASE):
 * a stranger applying with the SIRET of a structure that already has members cannot become
 * its referent without staff's explicit, journaled decision (and its referent is told by
 * mail); a draft stops locking a SIRET after 30 days untouched; a repeated-digit SIRET is
 * refused; a relay becomes active the moment a certified person joins or N is lowered, and
 * pending the moment a certified member leaves or a certificate lapses, each flash saying so.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postForm, startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { createCertificate, createEnrolment, createMembership, createModule, createSession, createStructure, createUser, FACTORY_PASSWORD, randomSiret } from "../factories";
import { configureSqlite, createDb, type Db } from "../../app/utils/db.server";
import { providerOf } from "../../app/utils/db-adapter.server";

let app: AppServer;
let testDb: Db;
let moduleId: string;
const CONTACT = "formation@maillon.localhost";

async function login(email: string): Promise<string> {
  const res = await postForm(app, "/connexion", { email, password: FACTORY_PASSWORD });
  expect(res.status, `login of ${email}`).toBe(302);
  return res.headers.getSetCookie().find((c) => c.startsWith("maillon_session="))!.split(";")[0]!;
}
type Someone = { id: string; email: string; name: string; cookie: string };
async function someone(roles: ("LEARNER" | "ADMIN")[] = ["LEARNER"], name?: string): Promise<Someone> {
  const user = await createUser(testDb, { roles, name });
  return { id: user.id, email: user.email, name: user.name, cookie: await login(user.email) };
}
const textOf = (html: string) => html.replace(/<!-- -->/g, "").replace(/<[^>]+>/g, " ").replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&").replace(/\s+/g, " ");
const get = (path: string, who: Someone, extraCookie?: string) =>
  fetch(`${app.url}${path}`, { redirect: "manual", headers: { Cookie: [who.cookie, extraCookie].filter(Boolean).join("; ") } });
const post = (path: string, fields: Record<string, string>, who: Someone) => postForm(app, path, fields, { cookie: who.cookie });

/** Follows a redirect with its flash cookie and returns the page's text (where the flash shows). */
async function flashAfter(res: Response, who: Someone): Promise<string> {
  expect(res.status).toBe(302);
  const flash = res.headers.getSetCookie().find((c) => c.startsWith("maillon_flash="))?.split(";")[0];
  const page = await get(res.headers.get("location")!, who, flash);
  return textOf(await page.text());
}

async function certify(userId: string) {
  const employer = await createStructure(testDb, { name: "Maison des Solidarités" });
  const session = await createSession(testDb, { moduleId });
  const enrolment = await createEnrolment(testDb, { sessionId: session.id, userId, structureId: employer.id, status: "CONFIRMED" });
  return testDb.$transaction((tx) => createCertificate(tx as unknown as Db, { enrolmentId: enrolment.id }));
}
const relayStatus = async (id: string) => (await testDb.relay.findUniqueOrThrow({ where: { id }, select: { status: true } })).status;

beforeAll(async () => {
  const url = testDatabaseUrl("relay_trust_http");
  app = await startAppServer({ databaseUrl: url });
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
  moduleId = (await createModule(testDb, { title: "Sensibilisation et compréhension de l'inclusion numérique", certificateValidityMonths: 24 })).id;
}, 180_000);

afterAll(async () => {
  await testDb?.$disconnect();
  await app?.stop();
});

describe("a stranger's application on a known SIRET", () => {
  let admin: Someone;
  let stranger: Someone;
  let referent: Someone;
  let structureId: string;
  let applicationId: string;

  beforeAll(async () => {
    admin = await someone(["ADMIN"], "Inès Équipe-Maillon");
    stranger = await someone(["LEARNER"], "Bogdan Невідомий");
    referent = await someone(["LEARNER"], "Chloé Référente-Historique");
    const member = await createUser(testDb, { name: "Marc Membre" });
    const structure = await createStructure(testDb, { name: "CCAS de Roubaix", siret: randomSiret() });
    structureId = structure.id;
    await createMembership(testDb, { userId: referent.id, structureId, role: "REFERENT" });
    await createMembership(testDb, { userId: member.id, structureId, role: "MEMBER" });
    applicationId = (
      await testDb.relayApplication.create({
        data: {
          applicantId: stranger.id,
          status: "SUBMITTED",
          submittedAt: new Date(),
          structureId,
          structureName: "CCAS de Roubaix",
          siret: structure.siret,
          structureType: "CCAS",
          city: "Roubaix",
          postcode: "59100",
          referentName: stranger.name,
          referentEmail: stranger.email,
          charterAccepted: true,
          dpoInformed: true,
        },
      })
    ).id;
  }, 60_000);

  it("shows staff plainly that the structure is known, who its members and referent are, and that the applicant is not one", async () => {
    const res = await get(`/admin/relais/${applicationId}`, admin);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const text = textOf(await res.text());
    expect(text).toContain("Structure déjà connue : CCAS de Roubaix");
    expect(text).toContain("elle a 2 membres, dont 1 référent·e (Chloé Référente-Historique)");
    expect(text).toContain("Bogdan Невідомий, qui dépose la candidature, n'est pas membre de la structure.");
    expect(text).toContain("Marc Membre");
    expect(text).toContain("J'ai vérifié que Bogdan Невідомий représente bien CCAS de Roubaix");
  });

  it("refuses to approve without the explicit confirmation, then without saying how it was checked; nothing changes", async () => {
    const bare = await post(`/admin/relais/${applicationId}`, { intent: "approve" }, admin);
    expect(bare.status).toBe(400);
    const bareHtml = await bare.text();
    expect(textOf(bareHtml)).toContain("Cette structure a déjà des membres et la candidature nommerait référent·e une personne qui n'en fait pas partie");
    expect(bareHtml).toMatch(/id="field-confirmOutsider"[^>]*aria-invalid="true"/);

    const short = await post(`/admin/relais/${applicationId}`, { intent: "approve", confirmOutsider: "on", outsiderReason: "ok" }, admin);
    expect(short.status).toBe(400);
    const shortHtml = await short.text();
    expect(textOf(shortHtml)).toContain("Indiquez comment vous avez vérifié que cette personne représente la structure (10 caractères au moins).");
    expect(shortHtml).toMatch(/id="field-outsiderReason"[^>]*aria-invalid="true"/);
    expect(shortHtml).toMatch(/id="field-confirmOutsider"[^>]*checked/);

    expect((await testDb.relayApplication.findUniqueOrThrow({ where: { id: applicationId } })).status).toBe("SUBMITTED");
    expect(await testDb.membership.count({ where: { structureId, userId: stranger.id } })).toBe(0);
    expect(await testDb.relay.count({ where: { structureId } })).toBe(0);
  });

  it("a person without the staff role cannot approve, even by posting the confirmation", async () => {
    const res = await post(`/admin/relais/${applicationId}`, { intent: "approve", confirmOutsider: "on", outsiderReason: "Je suis la directrice, promis." }, stranger);
    expect([302, 403, 404]).toContain(res.status);
    expect(await testDb.membership.count({ where: { structureId, userId: stranger.id } })).toBe(0);
  });

  it("with the confirmation and a reason: the stranger becomes referent, the decision is journaled, the current referent is told by mail", async () => {
    const reason = "Appel à la directrice du CCAS le 3 décembre : elle confirme la nomination.";
    const res = await post(`/admin/relais/${applicationId}`, { intent: "approve", confirmOutsider: "on", outsiderReason: reason }, admin);
    const page = await flashAfter(res, admin);
    expect(page).toContain("Candidature acceptée : le relais est créé, en attente de certification.");
    expect(page).toContain("Personne extérieure à la structure nommée référente (décision de l'équipe)");
    expect((await testDb.membership.findFirstOrThrow({ where: { structureId, userId: stranger.id } })).role).toBe("REFERENT");
    // Nothing already stored is lost: the historic referent and member stay.
    expect((await testDb.membership.findFirstOrThrow({ where: { structureId, userId: referent.id } })).role).toBe("REFERENT");
    expect(await testDb.membership.count({ where: { structureId } })).toBe(3);
    const audit = await testDb.auditLog.findFirstOrThrow({ where: { action: "structure.outsider_made_referent", entityId: applicationId } });
    expect(audit).toMatchObject({ actorId: admin.id, reason });
    const mails = await testDb.outboxMail.findMany({ where: { to: referent.email }, select: { subject: true, text: true } });
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe("Nouveau ou nouvelle référent·e pour CCAS de Roubaix");
    expect(mails[0]!.text).toContain(`${stranger.name} (${stranger.email}) devient référent·e`);
    expect(mails[0]!.text).toContain(reason);
    expect(mails[0]!.text).toContain(CONTACT);
  });

  it("a member of the known structure applying needs no confirmation; already certified, the relay is active at once and flash and mail say so", async () => {
    const structure = await createStructure(testDb, { name: "CIAS du Pays de Morlaix", siret: randomSiret() });
    const insider = await someone(["LEARNER"], "Yann Le Goff");
    await createMembership(testDb, { userId: insider.id, structureId: structure.id, role: "MEMBER" });
    await certify(insider.id);
    const { id } = await testDb.relayApplication.create({
      data: { applicantId: insider.id, status: "SUBMITTED", submittedAt: new Date(), structureId: structure.id, structureName: structure.name, siret: structure.siret, structureType: "CIAS", referentEmail: insider.email },
    });
    const text = textOf(await (await get(`/admin/relais/${id}`, admin)).text());
    expect(text).toContain("Yann Le Goff, qui dépose la candidature, est membre de la structure.");
    expect(text).not.toContain("J'ai vérifié que");
    const res = await post(`/admin/relais/${id}`, { intent: "approve" }, admin);
    expect(await flashAfter(res, admin)).toContain("Candidature acceptée : le relais est créé, actif (assez de membres déjà certifiés).");
    expect((await testDb.membership.findFirstOrThrow({ where: { structureId: structure.id, userId: insider.id } })).role).toBe("REFERENT");
    expect((await testDb.relay.findUniqueOrThrow({ where: { structureId: structure.id } })).status).toBe("ACTIVE");
    const accepted = await testDb.outboxMail.findFirstOrThrow({ where: { to: insider.email, subject: { startsWith: "Candidature Relais Numérique acceptée" } }, select: { text: true } });
    expect(accepted.text).toContain("votre relais est déjà actif");
    expect(accepted.text).not.toContain("deviendra actif");
  });
});

describe("SIRET locks and placeholders on the application form", () => {
  const structure = (siret: string) => ({ intent: "save", step: "1", structureName: "Centre social Les Tilleuls", siret, rna: "", structureType: "ASSOCIATION", address: "4 rue des Tilleuls", postcode: "59100", city: "Roubaix" });
  async function newDraft(who: Someone): Promise<string> {
    const res = await post("/relais/candidature?index", {}, who);
    expect(res.status).toBe(302);
    return res.headers.get("location")!.match(/\/relais\/candidature\/([^?]+)/)![1]!;
  }

  it("refuses 00000000000000 (and any repeated digit) with a plain French message, keeping what was typed", async () => {
    const who = await someone();
    for (const siret of ["00000000000000", "000 000 000 00000", "55555555555555"]) {
      const res = await post(`/relais/candidature/${await newDraft(who)}`, structure(siret), who);
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(textOf(html)).toContain("un même chiffre répété n'est le numéro d'aucun établissement");
      expect(html).toContain('value="Centre social Les Tilleuls"');
    }
  });

  it("a fresh draft still locks its SIRET, and the message names the association's contact", async () => {
    const [first, second] = [await someone(), await someone()];
    const siret = randomSiret();
    expect((await post(`/relais/candidature/${await newDraft(first)}`, structure(siret), first)).status).toBe(302);
    const res = await post(`/relais/candidature/${await newDraft(second)}`, structure(siret), second);
    expect(res.status).toBe(400);
    expect(textOf(await res.text())).toContain(`Une candidature est déjà en cours pour ce SIRET. S'il s'agit de la vôtre, reprenez-la depuis « Mes candidatures ». Sinon, écrivez à l'association (${CONTACT})`);
  });

  it("a draft untouched for 30 days no longer locks the SIRET; it is kept, and sending it later meets the lock", async () => {
    const [idle, newcomer] = [await someone(), await someone()];
    const siret = randomSiret();
    const idleDraft = await newDraft(idle);
    expect((await post(`/relais/candidature/${idleDraft}`, structure(siret), idle)).status).toBe(302);
    // Set explicitly, @updatedAt keeps the given date (checked just below).
    const old = new Date(Date.now() - 31 * 24 * 3600_000);
    await testDb.relayApplication.updateMany({ where: { id: idleDraft }, data: { updatedAt: old } });
    expect((await testDb.relayApplication.findUniqueOrThrow({ where: { id: idleDraft } })).updatedAt.getTime()).toBe(old.getTime());
    const res = await post(`/relais/candidature/${await newDraft(newcomer)}`, structure(siret), newcomer);
    expect(res.status).toBe(302);
    const kept = await testDb.relayApplication.findUniqueOrThrow({ where: { id: idleDraft } });
    expect(kept).toMatchObject({ status: "DRAFT", siret, applicantId: idle.id });
    // The idle applicant comes back: now it is the newcomer's draft that holds the number.
    const back = await post(`/relais/candidature/${idleDraft}`, structure(siret), idle);
    expect(back.status).toBe(400);
    expect(textOf(await back.text())).toContain(`écrivez à l'association (${CONTACT})`);
  });
});

describe("activation at once: a certified member joining then leaving", () => {
  let referent: Someone;
  let certified: Someone;
  let admin: Someone;
  let relayId: string;
  let structureId: string;

  beforeAll(async () => {
    referent = await someone(["LEARNER"], "Aïcha Benali");
    certified = await someone(["LEARNER"], "Đỗ Văn Minh");
    admin = await someone(["ADMIN"]);
    await certify(certified.id);
    const structure = await createStructure(testDb, { name: "CHRS Le Relais du Nord", type: "CHRS" });
    structureId = structure.id;
    await createMembership(testDb, { userId: referent.id, structureId, role: "REFERENT" });
    relayId = (await testDb.relay.create({ data: { structureId, requiredModuleId: moduleId, status: "PENDING_CERTIFICATION" } })).id;
  }, 60_000);

  it("becomes active the moment a certified person accepts the invitation, and the flash says so", async () => {
    const invite = await post("/espace-relais", { intent: "invite", structureId, email: certified.email, role: "MEMBER" }, referent);
    expect(invite.status).toBe(302);
    const mail = await testDb.outboxMail.findFirstOrThrow({ where: { to: certified.email, subject: { contains: "CHRS Le Relais du Nord" } }, select: { text: true } });
    const token = decodeURIComponent(mail.text.match(/invitation\?token=([^\s&]+)/)![1]!);
    const accepted = await post("/invitation", { token }, certified);
    const page = await flashAfter(accepted, certified);
    expect(page).toContain("Vous avez rejoint la structure CHRS Le Relais du Nord. Le relais est désormais actif.");
    expect(await relayStatus(relayId)).toBe("ACTIVE");
    expect(await testDb.auditLog.count({ where: { entityId: relayId, action: "relay.activated" } })).toBe(1);
    expect(await testDb.outboxMail.count({ where: { to: referent.email, subject: { startsWith: "Votre Relais Numérique est actif" } } })).toBe(1);
  });

  it("goes back to pending the moment the certified member is removed, and the flash says so", async () => {
    const res = await post("/espace-relais", { intent: "remove", structureId, userId: certified.id }, referent);
    const page = await flashAfter(res, referent);
    expect(page).toContain("La personne a été retirée du relais. Le relais repasse en attente de certification");
    expect(await relayStatus(relayId)).toBe("PENDING_CERTIFICATION");
    expect(await testDb.auditLog.count({ where: { entityId: relayId, action: "relay.pending_certification" } })).toBe(1);
  });

  it("lowering the required number activates at once; raising it puts the relay back to pending, each flash saying so", async () => {
    await createMembership(testDb, { userId: certified.id, structureId, role: "MEMBER" });
    await testDb.relay.update({ where: { id: relayId }, data: { requiredCertifiedStaff: 2 } });
    const application = await testDb.relayApplication.create({ data: { applicantId: referent.id, status: "APPROVED", structureId, structureName: "CHRS Le Relais du Nord" } });
    await testDb.relay.update({ where: { id: relayId }, data: { applicationId: application.id } });
    const lowered = await post(`/admin/relais/${application.id}`, { intent: "requiredStaff", required: "1" }, admin);
    expect(await flashAfter(lowered, admin)).toContain("Nombre de membres certifiés requis enregistré. Le relais est désormais actif.");
    expect(await relayStatus(relayId)).toBe("ACTIVE");
    const raised = await post(`/admin/relais/${application.id}`, { intent: "requiredStaff", required: "2" }, admin);
    expect(await flashAfter(raised, admin)).toContain("Le relais repasse en attente de certification");
    expect(await relayStatus(relayId)).toBe("PENDING_CERTIFICATION");
    await post(`/admin/relais/${application.id}`, { intent: "requiredStaff", required: "1" }, admin);
    expect(await relayStatus(relayId)).toBe("ACTIVE");
  });

  it("a certificate that lapses puts the relay back to pending as soon as its space is shown, without waiting for the daily job", async () => {
    await testDb.certificate.updateMany({ where: { userId: certified.id }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    expect(await relayStatus(relayId)).toBe("ACTIVE");
    const res = await get("/espace-relais", referent);
    expect(res.status).toBe(200);
    expect(textOf(await res.text())).toContain("En attente de certification");
    expect(await relayStatus(relayId)).toBe("PENDING_CERTIFICATION");
    expect(await testDb.auditLog.count({ where: { entityId: relayId, action: "relay.pending_certification" } })).toBe(3);
  });
});
