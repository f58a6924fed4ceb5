/**
 * The public certificate verification pages through the real server over HTTP (built app,
 * database per TEST_DATABASE): valid, revoked, expired, superseded, unknown and malformed
 * codes, the search form, the Open Badges 3.0 export and the published public key.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { createCertificate, createEnrolment, createModule, createSession, createStructure, createUser } from "../factories";
import { configureSqlite, createDb, type Db } from "../../app/utils/db.server";
import { providerOf } from "../../app/utils/db-adapter.server";
import { DEVELOPMENT_SIGNING_KEY } from "../../app/modules/certificates/signing-key.server";
import { loadPrivateKey, loadPublicKey, publicKeyBase64url } from "../../app/modules/certificates/signing";

let app: AppServer;
let testDb: Db;
type Cert = Awaited<ReturnType<typeof createCertificate>>;
const certs = {} as Record<"valid" | "attestation" | "revoked" | "expired" | "superseded", Cert>;
const REASON = "Émargement de l'après-midi du 2 mars signé par un tiers.";

const get = (path: string) => fetch(`${app.url}${path}`, { redirect: "manual" });
const textOf = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#x27;|&#39;/g, "'").replace(/\s+/g, " ");

beforeAll(async () => {
  const url = testDatabaseUrl("certificates_http");
  app = await startAppServer({ databaseUrl: url });
  // Certificates are issued here as the server would issue them: under its APP_URL (the issuer's did:web).
  process.env.APP_URL = app.url;
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
  const structure = await createStructure(testDb, { name: "CCAS de Saint-Étienne-du-Rouvray" });
  const module = await createModule(testDb, { title: "Accompagner les démarches en ligne", certificateValidityMonths: 24 });
  const session = await createSession(testDb, { moduleId: module.id, days: 2 });
  const pastSession = await createSession(testDb, { moduleId: module.id, startsOn: { year: 2021, month: 3, day: 1 } });
  const enrol = async (sessionId: string, name: string) =>
    (await createEnrolment(testDb, { sessionId, userId: (await createUser(testDb, { name })).id, structureId: structure.id, status: "CONFIRMED" })).id;

  const khai = await enrol(session.id, "Nguyễn Thị Minh Khai");
  certs.valid = await createCertificate(testDb, { enrolmentId: khai, kind: "COMPLETION", attendedMinutes: 810 });
  certs.attestation = await createCertificate(testDb, { enrolmentId: khai, kind: "END_OF_TRAINING", attendedMinutes: 810, objectivesReached: true });
  certs.revoked = await createCertificate(testDb, { enrolmentId: await enrol(session.id, "Łukasz Żółć") });
  await testDb.certificate.update({ where: { id: certs.revoked.id }, data: { revokedAt: new Date("2026-03-10T10:00:00Z"), revokedReason: REASON } });
  certs.expired = await createCertificate(testDb, { enrolmentId: await enrol(pastSession.id, "Zoë O'Brien-Dupont"), issuedAt: new Date("2021-03-05T10:00:00Z") });
  const twice = await enrol(session.id, "Ольга Петрова");
  certs.superseded = await createCertificate(testDb, { enrolmentId: twice, issuedAt: new Date(Date.now() - 86_400_000) });
  await createCertificate(testDb, { enrolmentId: twice });
});

afterAll(async () => {
  await testDb?.$disconnect();
  await app?.stop();
});

describe("GET /certificats/verifier/:code", () => {
  it("shows every field of a valid certificate, its status and a checked signature, with no more than 30 KiB of HTML and CSS", async () => {
    const res = await get(`/certificats/verifier/${certs.valid.verificationCode}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const text = textOf(html);
    for (const expected of [
      "Certificat de réalisation",
      certs.valid.number,
      certs.valid.verificationCode,
      "Nguyễn Thị Minh Khai",
      "CCAS de Saint-Étienne-du-Rouvray",
      "Accompagner les démarches en ligne",
      "13 h 30",
      "Certificat valide",
      "Signature électronique vérifiée",
    ])
      expect(text).toContain(expected);
    expect(text).toMatch(/Valable jusqu'au \d{1,2} \S+ \d{4}/);
    expect(text).not.toContain("Évaluation des acquis");

    const css = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]!);
    let cssBytes = 0;
    for (const href of css) cssBytes += (await (await get(href)).arrayBuffer()).byteLength;
    const total = Buffer.byteLength(html) + cssBytes;
    console.info(`verification page: ${Buffer.byteLength(html)} B HTML + ${cssBytes} B CSS = ${total} B`);
    // Served without the Remix runtime (handle.hydrate = false): no script at all, no module preload.
    expect(html).not.toMatch(/<script\b/i);
    expect(html).not.toContain("modulepreload");
    expect(total).toBeLessThanOrEqual(30 * 1024);
  });

  it("shows the assessment result on an attestation", async () => {
    const text = textOf(await (await get(`/certificats/verifier/${certs.attestation.verificationCode}`)).text());
    expect(text).toContain("Attestation de fin de formation");
    expect(text).toContain("Objectifs atteints");
  });

  it("finds a code typed in lower case without dashes", async () => {
    const res = await get(`/certificats/verifier/${certs.valid.verificationCode.replace(/-/g, "").toLowerCase()}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(certs.valid.number);
  });

  it("says when and why a certificate was revoked", async () => {
    const text = textOf(await (await get(`/certificats/verifier/${certs.revoked.verificationCode}`)).text());
    expect(text).toContain("Certificat révoqué le 10 mars 2026");
    expect(text).toContain(REASON);
    expect(text).not.toContain("Certificat valide");
  });

  it("says when an expired certificate stopped being valid", async () => {
    const text = textOf(await (await get(`/certificats/verifier/${certs.expired.verificationCode}`)).text());
    expect(text).toMatch(/Certificat expiré : sa validité a pris fin le \d{1,2} \S+ 2023/);
  });

  it("says when a certificate was replaced by a newer one", async () => {
    const text = textOf(await (await get(`/certificats/verifier/${certs.superseded.verificationCode}`)).text());
    expect(text).toContain("Certificat remplacé par un certificat plus récent");
  });

  it("reports a signature that no longer matches the stored fields", async () => {
    const cert = await createCertificate(testDb, { enrolmentId: certs.valid.enrolmentId, kind: "COMPLETION", attendedMinutes: 60 });
    await testDb.certificate.update({ where: { id: cert.id }, data: { attendedMinutes: 810 } });
    const text = textOf(await (await get(`/certificats/verifier/${cert.verificationCode}`)).text());
    expect(text).toContain("Signature électronique invalide");
  });

  it("answers 404 with a French page for an unknown code, 400 for a malformed one", async () => {
    const unknown = await get("/certificats/verifier/0000-0000-0000-0000");
    expect(unknown.status).toBe(404);
    expect(textOf(await unknown.text())).toContain("Aucun certificat Maillon ne porte ce code");
    const malformed = await get("/certificats/verifier/pas-un-code");
    expect(malformed.status).toBe(400);
    expect(textOf(await malformed.text())).toContain("Code de vérification mal formé");
  });
});

describe("GET /certificats/verifier (search form)", () => {
  it("shows the form, without any script, and sends a typed code to its page", async () => {
    const form = await get("/certificats/verifier");
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toMatch(/<form method="get"/);
    expect(html).not.toMatch(/<script\b/i);
    const res = await get(`/certificats/verifier?code=${encodeURIComponent(` ${certs.valid.verificationCode.toLowerCase()} `)}&nom=`);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/certificats/verifier/${certs.valid.verificationCode}`);
  });

  it("finds a number only with the holder's name, and keeps what was typed on errors", async () => {
    const number = certs.revoked.number;
    const ok = await get(`/certificats/verifier?code=${encodeURIComponent(number.toLowerCase())}&nom=${encodeURIComponent("zolc")}`);
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toBe(`/certificats/verifier/${certs.revoked.verificationCode}`);
    const noName = await get(`/certificats/verifier?code=${encodeURIComponent(number)}&nom=`);
    expect(noName.status).toBe(400);
    expect(textOf(await noName.text())).toContain("indiquez aussi le nom du titulaire");
    const wrongName = await get(`/certificats/verifier?code=${encodeURIComponent(number)}&nom=Dupont`);
    expect(wrongName.status).toBe(404);
    const body = await wrongName.text();
    expect(body).toContain(`value="${number}"`);
    expect(body).toContain('value="Dupont"');
    const garbage = await get("/certificats/verifier?code=bonjour&nom=");
    expect(garbage.status).toBe(400);
    expect(textOf(await garbage.text())).toContain("Ce n'est ni un code de vérification");
  });
});

describe("Open Badges export and public key", () => {
  it("exports the certificate as an Open Badges 3.0 credential whose id is the verification URL", async () => {
    const res = await get(`/certificats/verifier/${certs.attestation.verificationCode}/open-badge.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/ld+json");
    const badge = await res.json();
    expect(badge["@context"]).toEqual(["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]);
    expect(badge.type).toEqual(["VerifiableCredential", "OpenBadgeCredential"]);
    expect(badge.id).toBe(`${app.url}/certificats/verifier/${certs.attestation.verificationCode}`);
    expect(badge.issuer).toMatchObject({ type: ["Profile"], name: "Association Maillon", email: "formation@maillon.localhost" });
    expect(badge.validFrom).toBe(certs.attestation.issuedAt.toISOString().replace(/\.\d{3}Z$/, "Z"));
    expect(badge.validUntil).toBe(certs.attestation.expiresAt!.toISOString().replace(/\.\d{3}Z$/, "Z"));
    expect(badge.credentialSubject.identifier[1].identityHash).toBe("Nguyễn Thị Minh Khai");
    expect(badge.credentialSubject.achievement).toMatchObject({ humanCode: certs.attestation.number, achievementType: "Certificate" });
    expect(badge.credentialSubject.result[0].status).toBe("Completed");
    expect((await get("/certificats/verifier/0000-0000-0000-0000/open-badge.json")).status).toBe(404);
    expect((await get("/certificats/verifier/nope/open-badge.json")).status).toBe(400);
  });

  it("publishes the public key matching the signing key", async () => {
    const res = await get("/certificats/cle-publique");
    expect(res.status).toBe(200);
    const pem = await res.text();
    expect(pem).toContain("-----BEGIN PUBLIC KEY-----");
    expect(publicKeyBase64url(loadPublicKey(pem))).toBe(publicKeyBase64url(loadPrivateKey(DEVELOPMENT_SIGNING_KEY)));
  });
});
