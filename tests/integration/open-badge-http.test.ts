/**
 * The verifiable certificate over HTTP (built app, database per TEST_DATABASE): the did:web
 * document, the yearly status list (cacheable, no personal data, flipped at once by a
 * revocation), the credential download (the stored bytes; 410 once revoked), the page's
 * headline when the signature fails, and the JavaScript-free form that checks a pasted or
 * uploaded credential.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeList } from "@digitalbazaar/vc-bitstring-status-list";
import { startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { createCertificate, createEnrolment, createModule, createSession, createUser } from "../factories";
import { configureSqlite, createDb, type Db } from "../../app/utils/db.server";
import { providerOf } from "../../app/utils/db-adapter.server";
import { DEVELOPMENT_SIGNING_KEY } from "../../app/modules/certificates/signing-key.server";
import { loadPrivateKey } from "../../app/modules/certificates/signing";
import { ed25519Multikey } from "../../app/modules/certificates/did.rules";

let app: AppServer;
let testDb: Db;
type Cert = Awaited<ReturnType<typeof createCertificate>>;
const certs = {} as Record<"valid" | "toRevoke" | "tampered", Cert>;
const NAME = "Nguyễn Thị Minh Khai";

const get = (path: string) => fetch(`${app.url}${path}`, { redirect: "manual" });
const textOf = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/\s+/g, " ");
const year = () => Number(certs.valid.number.slice(4, 8));
const sequence = (c: Cert) => Number(c.number.slice(-6));

beforeAll(async () => {
  const url = testDatabaseUrl("open_badge_http");
  app = await startAppServer({ databaseUrl: url });
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
  const module = await createModule(testDb, { title: "Accompagner les démarches en ligne", certificateValidityMonths: 24 });
  const session = await createSession(testDb, { moduleId: module.id, days: 2 });
  const enrol = async (name: string, email?: string) =>
    (await createEnrolment(testDb, { sessionId: session.id, userId: (await createUser(testDb, { name, ...(email ? { email } : {}) })).id, status: "CONFIRMED" })).id;
  // Issued in the test process with the server's APP_URL, as the server would issue it.
  process.env.APP_URL = app.url;
  certs.valid = await createCertificate(testDb, { enrolmentId: await enrol(NAME, "khai.nguyen@example.org") });
  certs.toRevoke = await createCertificate(testDb, { enrolmentId: await enrol("Łukasz Żółć") });
  certs.tampered = await createCertificate(testDb, { enrolmentId: await enrol("Ольга Петрова"), attendedMinutes: 60 });
  await testDb.certificate.update({ where: { id: certs.tampered.id }, data: { attendedMinutes: 810 } });
});

afterAll(async () => {
  await testDb?.$disconnect();
  await app?.stop();
});

const did = () => `did:web:127.0.0.1%3A${new URL(app.url).port}`;

describe("machine-readable issuer and revocation", () => {
  it("answers the did:web document with the signing key as a Multikey allowed to assert", async () => {
    const res = await get("/.well-known/did.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/did+ld+json");
    const document = await res.json();
    const key = ed25519Multikey(loadPrivateKey(DEVELOPMENT_SIGNING_KEY));
    expect(key).toMatch(/^z6Mk/);
    expect(document.id).toBe(did());
    expect(document.verificationMethod).toEqual([{ id: `${did()}#${key}`, type: "Multikey", controller: did(), publicKeyMultibase: key }]);
    expect(document.assertionMethod).toEqual([`${did()}#${key}`]);
  });

  it("publishes the year's status list, cacheable and without personal data, and a revocation flips its bit at once", async () => {
    const read = async () => {
      const res = await get(`/certificats/statuts/${year()}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("public, max-age=60");
      const body = await res.text();
      for (const personal of [NAME, "khai.nguyen", "Żółć", certs.valid.verificationCode]) expect(body).not.toContain(personal);
      const list = JSON.parse(body);
      expect(list).toMatchObject({ type: ["VerifiableCredential", "BitstringStatusListCredential"], issuer: did(), proof: { cryptosuite: "eddsa-rdfc-2022" } });
      return decodeList({ encodedList: list.credentialSubject.encodedList });
    };
    const before = await read();
    expect(before.length).toBeGreaterThanOrEqual(131_072);
    expect(before.getStatus(sequence(certs.toRevoke))).toBe(false);
    await testDb.certificate.update({ where: { id: certs.toRevoke.id }, data: { revokedAt: new Date(), revokedReason: "Émargement signé par un tiers." } });
    const after = await read();
    expect(after.getStatus(sequence(certs.toRevoke))).toBe(true);
    expect(after.getStatus(sequence(certs.valid))).toBe(false);
    expect((await get("/certificats/statuts/1999")).status).toBe(404);
    expect((await get("/certificats/statuts/abcd")).status).toBe(404);
  });
});

describe("the credential download", () => {
  it("serves the bytes stored at issue, proof included, the holder identified by a salted e-mail hash", async () => {
    const res = await get(`/certificats/verifier/${certs.valid.verificationCode}/open-badge.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/ld+json");
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const body = await res.text();
    expect(body).toBe(certs.valid.credential);
    const badge = JSON.parse(body);
    expect(badge.proof).toMatchObject({ type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022", verificationMethod: expect.stringContaining(did()) });
    expect(badge.credentialStatus).toMatchObject({ statusListCredential: `${app.url}/certificats/statuts/${year()}`, statusListIndex: String(sequence(certs.valid)) });
    expect(badge.credentialSubject.identifier[0]).toMatchObject({ identityType: "emailAddress", hashed: true, identityHash: expect.stringMatching(/^sha256\$[0-9a-f]{64}$/) });
    expect(body).not.toContain("khai.nguyen");
  });

  it("answers 410 with an explanation for a revoked certificate, 409 for a record changed since it was signed", async () => {
    const revoked = await get(`/certificats/verifier/${certs.toRevoke.verificationCode}/open-badge.json`);
    expect(revoked.status).toBe(410);
    expect((await revoked.json()).error).toContain("révoqué");
    await testDb.certificate.update({ where: { id: certs.tampered.id }, data: { credential: null } });
    expect((await get(`/certificats/verifier/${certs.tampered.verificationCode}/open-badge.json`)).status).toBe(409);
  });
});

describe("the verification page", () => {
  it("never headlines a certificate whose signature fails as valid", async () => {
    const text = textOf(await (await get(`/certificats/verifier/${certs.tampered.verificationCode}`)).text());
    expect(text).toContain("Certificat non authentique : signature invalide");
    expect(text).not.toContain("Certificat valide");
    // A stored credential changed in the database fails too.
    const changed = JSON.parse(certs.valid.credential!);
    changed.credentialSubject.identifier[1].identityHash = "Nguyen Van A";
    const forged = await createCertificate(testDb, { enrolmentId: certs.valid.enrolmentId, kind: "END_OF_TRAINING" });
    await testDb.certificate.update({ where: { id: forged.id }, data: { credential: JSON.stringify(changed) } });
    expect(textOf(await (await get(`/certificats/verifier/${forged.verificationCode}`)).text())).toContain("Certificat non authentique");
  });

  it("links the DID document and the status list, says any verifier can check the badge, and offers a form without script", async () => {
    const html = await (await get(`/certificats/verifier/${certs.valid.verificationCode}`)).text();
    expect(html).toContain('href="/.well-known/did.json"');
    expect(html).toContain(`href="/certificats/statuts/${year()}"`);
    expect(textOf(html)).toContain("n'importe quel vérificateur Open Badges 3.0");
    expect(textOf(html)).toContain("empreinte salée (SHA-256) de son adresse e-mail");
    const form = /<form[^>]*method="post"[^>]*>/.exec(html)?.[0];
    expect(form).toMatch(/enctype="multipart\/form-data"/i); // HTML attribute names ignore case
    expect(html).not.toMatch(/<script\b/i);
    const revokedPage = textOf(await (await get(`/certificats/verifier/${certs.toRevoke.verificationCode}`)).text());
    expect(revokedPage).toContain("son badge n'est plus délivré");
  });

  it("checks an uploaded or pasted credential and says in French what holds and what fails", async () => {
    const post = (form: FormData) => fetch(`${app.url}/certificats/verifier/${certs.valid.verificationCode}`, { method: "POST", body: form, redirect: "manual", headers: { Origin: app.url } });
    const upload = new FormData();
    upload.set("fichier", new Blob([certs.valid.credential!], { type: "application/json" }), "open-badge.json");
    upload.set("badge", "");
    const ok = await post(upload);
    expect(ok.status).toBe(200);
    const okText = textOf(await ok.text());
    expect(okText).toContain("Badge authentique et valide");
    expect(okText).toContain("✓ Signature vérifiée");
    expect(okText).toContain("✓ Non révoqué");

    const changed = JSON.parse(certs.valid.credential!);
    changed.validFrom = "2020-01-01T00:00:00Z";
    const pasted = new FormData();
    pasted.set("badge", JSON.stringify(changed));
    const bad = textOf(await (await post(pasted)).text());
    expect(bad).toContain("Ce badge ne peut pas être tenu pour valide");
    expect(bad).toContain("✗ Signature invalide");
    expect(bad).toContain("2020-01-01T00:00:00Z"); // what was pasted is kept in the field

    const revoked = new FormData();
    revoked.set("badge", certs.toRevoke.credential!);
    expect(textOf(await (await post(revoked)).text())).toContain("✗ Révoqué");

    const garbage = new FormData();
    garbage.set("badge", "bonjour");
    const refused = await post(garbage);
    expect(refused.status).toBe(400);
    expect(textOf(await refused.text())).toContain("Document illisible");
  });
});
