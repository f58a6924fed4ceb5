/**
 * The verifiable side of a certificate (docs/decisions/026): its Open Badges 3.0 credential,
 * signed once with an `eddsa-rdfc-2022` Data Integrity proof and stored with it; the
 * portal's DID document; the yearly Bitstring Status Lists where revocation is published.
 *
 * A certificate issued before credentials were stored gets its credential on first
 * download, signed then with the current key, and only if its Ed25519 signature over the
 * printed fields still holds (a record changed in the database is never signed anew).
 */
import { randomBytes, type KeyObject } from "node:crypto";
import { createList } from "@digitalbazaar/vc-bitstring-status-list";
import type { OrganisationIdentity } from "~/modules/organisation/identity.rules";
import { identityVersion } from "~/modules/organisation/identity.server";
import { db, type Db, type Tx } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { parseCertificateNumber, type CertificateKind } from "./certificate.rules";
import { addDataIntegrityProof } from "./data-integrity.server";
import { didDocument, type DidDocument } from "./did.rules";
import { namesHolderInClear, openBadgeCredential, type BadgeIssuer } from "./open-badge";
import { verifyCertificateSignature, type SignedCertificateFields } from "./signing";
import { certificatePrivateKey, issuerDid, publishedKeys, verificationMethodId } from "./signing-key.server";

type Client = Tx | Db;

export const statusListPath = (year: number) => `/certificats/statuts/${year}`;
export const statusListUrl = (year: number) => `${getEnv().APP_URL}${statusListPath(year)}`;
export const DID_DOCUMENT_PATH = "/.well-known/did.json";

/** The issuer Profile: the DID, and the organisation's identity the certificate was issued under. */
export function issuerProfile(identity: OrganisationIdentity): BadgeIssuer {
  const appUrl = getEnv().APP_URL;
  return {
    id: issuerDid(),
    name: identity.name,
    url: `${appUrl}/`,
    email: identity.email,
    phone: identity.phone,
    address: { street: identity.street, postalCode: identity.postalCode, city: identity.city },
  };
}

export type CredentialSource = SignedCertificateFields & {
  holderEmail: string;
  module: { slug: string; summary: string; objectives: string };
};

/** The signed credential of a certificate, as the JSON text stored and served. */
export async function signedCredentialText(
  source: CredentialSource,
  identity: OrganisationIdentity,
  options: { privateKey?: KeyObject; created: Date; nameInClear?: boolean },
): Promise<string> {
  const appUrl = getEnv().APP_URL;
  const parsed = parseCertificateNumber(source.number);
  if (!parsed) throw new Error(`Unexpected certificate number: ${source.number}`);
  const credential = openBadgeCredential({
    certificate: source,
    module: { url: `${appUrl}/formations/${source.module.slug}`, summary: source.module.summary, objectives: source.module.objectives.split("\n") },
    issuer: issuerProfile(identity),
    verificationUrl: `${appUrl}/certificats/verifier/${source.verificationCode}`,
    recipient: { email: source.holderEmail, salt: randomBytes(16).toString("hex"), nameInClear: options.nameInClear ?? true },
    status: { listUrl: statusListUrl(parsed.year), index: parsed.sequence },
  });
  const privateKey = options.privateKey ?? certificatePrivateKey();
  const signed = await addDataIntegrityProof(credential, { privateKey, verificationMethod: verificationMethodId(privateKey), created: options.created });
  return JSON.stringify(signed);
}

/** Whether the printed fields' signature holds under the current or a retired key. */
export const legacySignatureHolds = (fields: SignedCertificateFields, signature: string): boolean =>
  publishedKeys().some((k) => verifyCertificateSignature(fields, signature, k.publicKey));

const storedSelect = {
  id: true,
  number: true,
  kind: true,
  verificationCode: true,
  holderName: true,
  employerName: true,
  moduleTitle: true,
  attendedMinutes: true,
  startsOn: true,
  endsOn: true,
  objectivesReached: true,
  issuedAt: true,
  expiresAt: true,
  revokedAt: true,
  signature: true,
  credential: true,
  organisationIdentityId: true,
  user: { select: { email: true, badgeNameInClear: true } },
  module: { select: { slug: true, summary: true, objectives: true } },
} as const;

export type StoredCredential =
  | { kind: "found"; json: string; revokedAt: Date | null; number: string; certificateKind: CertificateKind }
  | { kind: "tampered" }
  | { kind: "unknown" };

/** The stored credential of the certificate with this code, signed now if it predates stored credentials. */
export async function storedCredential(verificationCode: string, now = new Date()): Promise<StoredCredential> {
  const row = await db.certificate.findUnique({ where: { verificationCode }, select: storedSelect });
  if (!row) return { kind: "unknown" };
  const found = (json: string) => ({ kind: "found" as const, json, revokedAt: row.revokedAt, number: row.number, certificateKind: row.kind });
  if (row.credential) return found(row.credential);
  const { signature, user, credential: _none, organisationIdentityId, id, revokedAt: _revoked, ...fields } = row;
  if (!legacySignatureHolds(fields, signature)) return { kind: "tampered" };
  const identity = await identityVersion(organisationIdentityId);
  const json = await signedCredentialText({ ...fields, holderEmail: user.email }, identity, { created: now, nameInClear: user.badgeNameInClear });
  // Of two first downloads at once, one credential is kept: both then serve it.
  await db.certificate.updateMany({ where: { id, credential: null }, data: { credential: json } });
  const kept = await db.certificate.findUniqueOrThrow({ where: { id }, select: { credential: true } });
  return found(kept.credential!);
}

/** Whether this person's name appears in clear in their credentials (their choice, in clear by default). */
export async function badgeNameChoice(userId: string): Promise<boolean> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { badgeNameInClear: true } });
  return user.badgeNameInClear;
}

/**
 * The holder's choice of whether their name appears in clear in their credentials. It is
 * stored for the credentials signed afterwards; each certificate not revoked (superseded
 * ones included: their badge is still served) whose credential says otherwise gets one
 * signed anew, under the same status list entry. A copy already handed out stays valid:
 * it cannot be called back. A certificate whose printed fields no longer match their
 * signature is left as it is.
 */
export async function chooseBadgeName(userId: string, nameInClear: boolean, now = new Date()): Promise<{ resigned: number }> {
  await db.user.update({ where: { id: userId }, data: { badgeNameInClear: nameInClear } });
  const rows = await db.certificate.findMany({ where: { userId, revokedAt: null }, select: storedSelect, orderBy: { issuedAt: "asc" } });
  let resigned = 0;
  for (const row of rows) {
    if (row.credential && namesHolderInClear(row.credential) === nameInClear) continue;
    const { signature, user, credential, organisationIdentityId, id, revokedAt: _revoked, ...fields } = row;
    if (!legacySignatureHolds(fields, signature)) continue;
    const identity = await identityVersion(organisationIdentityId);
    const json = await signedCredentialText({ ...fields, holderEmail: user.email }, identity, { created: now, nameInClear });
    // Only over the credential read: a concurrent change of mind keeps the later one.
    const { count } = await db.certificate.updateMany({ where: { id, credential }, data: { credential: json } });
    resigned += count;
  }
  await db.auditLog.create({
    data: { actorId: userId, action: "account.badge_name_chosen", entityType: "User", entityId: userId, data: { nameInClear, resigned }, createdAt: now },
  });
  return { resigned };
}

// ───────────────────────── DID document ─────────────────────────

export const portalDidDocument = (): DidDocument => didDocument(issuerDid(), publishedKeys());

// ───────────────────────── Bitstring Status List ─────────────────────────

/** At least 131,072 entries (the specification's minimum, for herd privacy), in steps of it. */
const LIST_BLOCK = 131_072;

const statusLists = new Map<string, Promise<string>>();

/**
 * The signed BitstringStatusListCredential of a year's certificates (index = sequence of the
 * number), built from the database on each request so a revocation shows at once on every
 * instance; signing is skipped when the revoked set has not changed (same bytes again).
 * Its `validFrom` is the year's last revocation, so the bytes depend on the data only.
 */
export async function statusListCredentialText(year: number, client: Client = db): Promise<string | null> {
  if (!Number.isInteger(year) || year < 2000 || year > 9999) return null;
  const prefix = `MAI-${year}-`;
  const [revoked, last] = await Promise.all([
    client.certificate.findMany({ where: { number: { startsWith: prefix }, revokedAt: { not: null } }, select: { number: true, revokedAt: true }, orderBy: { number: "asc" } }),
    client.certificate.findFirst({ where: { number: { startsWith: prefix } }, select: { number: true }, orderBy: { number: "desc" } }),
  ]);
  if (!last) return null;
  const indexes = revoked.map((r) => parseCertificateNumber(r.number)!.sequence);
  const highest = parseCertificateNumber(last.number)!.sequence;
  const since = revoked.reduce((latest, r) => (r.revokedAt! > latest ? r.revokedAt! : latest), new Date(Date.UTC(year, 0, 1)));
  const privateKey = certificatePrivateKey();
  const length = Math.ceil((highest + 1) / LIST_BLOCK) * LIST_BLOCK;
  const key = [year, length, since.toISOString(), indexes.join(","), verificationMethodId(privateKey), getEnv().APP_URL].join("|");
  let text = statusLists.get(key);
  if (!text) {
    text = buildStatusList(year, indexes, length, since, privateKey);
    text.catch(() => statusLists.delete(key));
    if (statusLists.size >= 32) statusLists.delete(statusLists.keys().next().value!);
    statusLists.set(key, text);
  }
  return text;
}

async function buildStatusList(year: number, indexes: number[], length: number, since: Date, privateKey: KeyObject): Promise<string> {
  const list = await createList({ length });
  for (const i of indexes) list.setStatus(i, true);
  const url = statusListUrl(year);
  const credential = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    id: url,
    type: ["VerifiableCredential", "BitstringStatusListCredential"],
    issuer: issuerDid(),
    validFrom: since.toISOString().replace(/\.\d{3}Z$/, "Z"),
    credentialSubject: { id: `${url}#list`, type: "BitstringStatusList", statusPurpose: "revocation", encodedList: await list.encode() },
  };
  return JSON.stringify(await addDataIntegrityProof(credential, { privateKey, verificationMethod: verificationMethodId(privateKey), created: since }));
}
