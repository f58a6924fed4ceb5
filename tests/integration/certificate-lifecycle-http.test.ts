/**
 * The certificate lifecycle pages through the real server over HTTP (built app, database per
 * TEST_DATABASE): who may record objectives, close a session, download a certificate or the
 * session's ZIP, re-issue and revoke; the forms without JavaScript (400 with the error next
 * to the field and the typed value kept); the ZIP unzipped and one of its PDFs read back.
 */
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postForm, startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { readPdf } from "../support/pdf-text";
import { createEnrolment, createModule, createSession, createUser, FACTORY_PASSWORD, parisDateTime } from "../factories";
import { configureSqlite, createDb, type Db } from "../../app/utils/db.server";
import { providerOf } from "../../app/utils/db-adapter.server";

let app: AppServer;
let testDb: Db;
type Person = { id: string; email: string; cookie: string };
const people = {} as Record<"holder" | "otherLearner" | "admin" | "trainer" | "otherTrainer", Person>;
let sessionId = "";
const enrolments = {} as Record<"holder" | "absent", string>;

async function login(email: string): Promise<string> {
  const res = await postForm(app, "/connexion", { email, password: FACTORY_PASSWORD });
  expect(res.status, `login of ${email}`).toBe(302);
  return res.headers.getSetCookie().find((c) => c.startsWith("maillon_session="))!.split(";")[0]!;
}

const get = (path: string, cookie?: string) => fetch(`${app.url}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
const textOf = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#x27;|&#39;/g, "'").replace(/\s+/g, " ");

beforeAll(async () => {
  const url = testDatabaseUrl("certificate_lifecycle_http");
  app = await startAppServer({ databaseUrl: url });
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
  const roles = { holder: ["LEARNER"], otherLearner: ["LEARNER"], admin: ["ADMIN"], trainer: ["TRAINER"], otherTrainer: ["TRAINER"] } as const;
  for (const [key, r] of Object.entries(roles) as [keyof typeof roles, (typeof roles)[keyof typeof roles]][]) {
    const user = await createUser(testDb, { roles: [...r], name: key === "holder" ? "Nguyễn Thị Minh Khai" : undefined });
    people[key] = { id: user.id, email: user.email, cookie: await login(user.email) };
  }
  const module = await createModule(testDb, { title: "Pratiques d'accompagnement vers le numérique", certificateValidityMonths: 24 });
  const day = { year: 2026, month: 3, day: 2 };
  const locked = parisDateTime(day, "18:00");
  const session = await createSession(testDb, {
    moduleId: module.id,
    trainerId: people.trainer.id,
    slots: [
      { startsAt: parisDateTime(day, "09:00"), endsAt: parisDateTime(day, "12:30"), lockedAt: locked },
      { startsAt: parisDateTime(day, "13:30"), endsAt: parisDateTime(day, "17:00"), lockedAt: locked },
    ],
  });
  sessionId = session.id;
  enrolments.holder = (await createEnrolment(testDb, { sessionId, userId: people.holder.id, status: "CONFIRMED" })).id;
  const absent = await createUser(testDb, { name: "Ольга Петрова" });
  enrolments.absent = (await createEnrolment(testDb, { sessionId, userId: absent.id, status: "CONFIRMED" })).id;
  for (const slot of session.slots) {
    await testDb.signature.create({ data: { slotId: slot.id, enrolmentId: enrolments.holder, status: "PRESENT", method: "TRAINER", signedAt: slot.startsAt } });
    await testDb.signature.create({ data: { slotId: slot.id, enrolmentId: enrolments.absent, status: "ABSENT", method: "TRAINER", signedAt: slot.startsAt } });
  }
}, 180_000); // the app's start and five logins (password hashing) on a busy machine

afterAll(async () => {
  await testDb?.$disconnect();
  await app?.stop();
});

const objectivesPath = () => `/formateur/sessions/${sessionId}`;
const closePath = () => `/formateur/sessions/${sessionId}/cloture`;
const zipPath = () => `/admin/sessions/${sessionId}/certificats.zip`;
const pdfPath = (id: string) => `/mon-espace/certificats/${id}/document.pdf`;

describe("objectives and closing (trainer or staff)", () => {
  it("refuses anonymous visitors, learners and another trainer", async () => {
    const anonymous = await get(closePath());
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/connexion\?redirectTo=/);
    expect((await get(closePath(), people.holder.cookie)).status).toBe(403);
    expect((await get(closePath(), people.otherTrainer.cookie)).status).toBe(403);
    expect((await get(closePath(), people.admin.cookie)).status).toBe(200);
    const field = `objectifs-${enrolments.holder}`;
    expect((await postForm(app, objectivesPath(), { [field]: "yes" }, { cookie: people.otherTrainer.cookie })).status).toBe(403);
    expect((await postForm(app, objectivesPath(), { [field]: "yes" }, { cookie: people.holder.cookie })).status).toBe(403);
    expect((await postForm(app, closePath(), {}, { cookie: people.otherTrainer.cookie })).status).toBe(403);
    expect((await postForm(app, closePath(), {})).status).toBe(302);
    expect((await testDb.session.findUniqueOrThrow({ where: { id: sessionId } })).status).toBe("SCHEDULED");
    expect((await testDb.enrolment.findUniqueOrThrow({ where: { id: enrolments.holder } })).objectivesReached).toBeNull();
  });

  it("records the objectives with the form, showing a bad value's error next to its group", async () => {
    const field = `objectifs-${enrolments.holder}`;
    const bad = await postForm(app, objectivesPath(), { [field]: "peut-être" }, { cookie: people.trainer.cookie });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain(`aria-describedby="${field}-error"`);
    expect(textOf(html)).toContain("Choisissez : atteints, non atteints ou non évalués.");
    const ok = await postForm(app, objectivesPath(), { [field]: "yes", [`objectifs-${enrolments.absent}`]: "unknown" }, { cookie: people.trainer.cookie });
    expect(ok.status).toBe(302);
    expect((await testDb.enrolment.findUniqueOrThrow({ where: { id: enrolments.holder } })).objectivesReached).toBe(true);
  });

  it("closes the session once: certificates for the trainee who attended, none for the absent one", async () => {
    const preview = textOf(await (await get(closePath(), people.trainer.cookie)).text());
    expect(preview).toContain("Nguyễn Thị Minh Khai 7 h Atteints Oui");
    expect(preview).toContain("Non : aucune présence");
    const res = await postForm(app, closePath(), {}, { cookie: people.trainer.cookie });
    expect(res.status).toBe(302);
    expect((await testDb.session.findUniqueOrThrow({ where: { id: sessionId } })).status).toBe("CLOSED");
    expect(await testDb.certificate.count({ where: { enrolmentId: enrolments.holder } })).toBe(2);
    expect(await testDb.certificate.count({ where: { enrolmentId: enrolments.absent } })).toBe(0);
    expect(await testDb.outboxMail.count({ where: { template: "certificates-issued", to: people.holder.email } })).toBe(1);

    const again = await postForm(app, closePath(), {}, { cookie: people.admin.cookie });
    expect(again.status).toBe(400);
    expect(textOf(await again.text())).toContain("Cette session est déjà clôturée");
    expect(await testDb.certificate.count({ where: { sessionId } })).toBe(2);
  });
});

describe("certificates after closing", () => {
  const holderCertificate = (kind: "COMPLETION" | "END_OF_TRAINING") =>
    testDb.certificate.findFirstOrThrow({ where: { enrolmentId: enrolments.holder, kind, supersededAt: null } });

  it("lets the holder and staff download a PDF, and nobody else", async () => {
    const cert = await holderCertificate("COMPLETION");
    expect((await get(pdfPath(cert.id))).status).toBe(302);
    expect((await get(pdfPath(cert.id), people.otherLearner.cookie)).status).toBe(404);
    expect((await get(pdfPath(cert.id), people.trainer.cookie)).status).toBe(404);
    expect((await get(pdfPath(cert.id), people.admin.cookie)).status).toBe(200);
    const res = await get(pdfPath(cert.id), people.holder.cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const pdf = await readPdf(new Uint8Array(await res.arrayBuffer()));
    expect(pdf.text).toContain(`N° ${cert.number}`);
    expect(pdf.text).toContain("Nguyễn Thị Minh Khai");
  });

  it("lists my certificates, and only mine, on /mon-espace", async () => {
    const cert = await holderCertificate("END_OF_TRAINING");
    const mine = textOf(await (await get("/mon-espace", people.holder.cookie)).text());
    expect(mine).toContain("Mes certificats");
    expect(mine).toContain(cert.number);
    expect(mine).toContain("jusqu'au");
    const theirs = textOf(await (await get("/mon-espace", people.otherLearner.cookie)).text());
    expect(theirs).not.toContain(cert.number);
  });

  it("gives staff only the session's certificates as a ZIP of PDFs", async () => {
    expect((await get(zipPath())).status).toBe(302);
    expect((await get(zipPath(), people.trainer.cookie)).status).toBe(403);
    expect((await get(zipPath(), people.holder.cookie)).status).toBe(403);
    const res = await get(zipPath(), people.admin.cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const names = Object.keys(files).sort();
    const cert = await holderCertificate("END_OF_TRAINING");
    expect(names).toHaveLength(2);
    const attestation = names.find((n) => n.includes(cert.number))!;
    expect(attestation).toBe(`attestation-de-fin-de-formation-${cert.number}.pdf`);
    const pdf = await readPdf(files[attestation]!);
    expect(pdf.text).toContain("Attestation de fin de formation");
    expect(pdf.text).toContain("Objectifs atteints");
  });

  it("shows the staff page of a certificate to staff only; revocation needs a reason, re-issue gives a new number", async () => {
    const cert = await holderCertificate("COMPLETION");
    const page = `/admin/certificats/${cert.id}`;
    expect((await get(page)).status).toBe(302);
    expect((await get(page, people.trainer.cookie)).status).toBe(403);
    expect((await get(page, people.holder.cookie)).status).toBe(403);
    expect((await postForm(app, page, { intent: "reissue" }, { cookie: people.trainer.cookie })).status).toBe(403);
    expect((await get(page, people.admin.cookie)).status).toBe(200);

    const short = await postForm(app, page, { intent: "revoke", reason: "erreur" }, { cookie: people.admin.cookie });
    expect(short.status).toBe(400);
    const html = await short.text();
    expect(html).toMatch(/aria-describedby="field-reason-error"/);
    expect(html).toMatch(/<textarea[^>]*>erreur<\/textarea>/);
    expect((await testDb.certificate.findUniqueOrThrow({ where: { id: cert.id } })).revokedAt).toBeNull();

    const reissued = await postForm(app, page, { intent: "reissue" }, { cookie: people.admin.cookie });
    expect(reissued.status).toBe(302);
    const fresh = await holderCertificate("COMPLETION");
    expect(fresh.id).not.toBe(cert.id);
    expect(fresh.number).not.toBe(cert.number);
    expect(reissued.headers.get("location")).toBe(`/admin/certificats/${fresh.id}`);
    expect((await testDb.certificate.findUniqueOrThrow({ where: { id: cert.id } })).supersededAt).not.toBeNull();
    expect(await testDb.outboxMail.count({ where: { template: "certificates-issued", to: people.holder.email } })).toBe(2);

    const revoked = await postForm(app, `/admin/certificats/${fresh.id}`, { intent: "revoke", reason: "Émargement signé par un tiers." }, { cookie: people.admin.cookie });
    expect(revoked.status).toBe(302);
    const verification = textOf(await (await get(`/certificats/verifier/${fresh.verificationCode}`)).text());
    expect(verification).toContain("Émargement signé par un tiers.");

    const list = textOf(await (await get(`/admin/sessions/${sessionId}`, people.admin.cookie)).text());
    expect(list).toContain("Révoqué");
    expect(list).toContain("Remplacé par un certificat plus récent");
  });
});
