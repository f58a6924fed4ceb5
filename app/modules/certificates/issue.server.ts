/**
 * Certificates in the database: issuing one (next number of the year, verification code,
 * Ed25519 signature over the printed fields, the signed Open Badges 3.0 credential:
 * credential.server.ts), revoking one (staff, with a reason, audited),
 * and reading one back for the public verification page.
 *
 * The yearly counter moves with one `INSERT … ON CONFLICT DO UPDATE … RETURNING`, valid SQL
 * on SQLite (≥ 3.35) and PostgreSQL: the row is created or incremented atomically and its
 * lock (PostgreSQL) or the write lock (SQLite) is held until the caller's transaction ends,
 * so concurrent issues get distinct numbers, and a rolled-back issue leaves no gap.
 */
import type { KeyObject } from "node:crypto";
import { legacySignatureHolds, signedCredentialText } from "./credential.server";
import { verifyPresentedCredential } from "./credential-verify.server";
import { namesHolderInClear } from "./open-badge";
import { isAdmin, type Actor } from "~/modules/auth/permissions.rules";
import { refreshRelayActivation } from "~/modules/relays/activation.server";
import { db, type Tx } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { printedName } from "~/utils/person-name";
import { readCurrentIdentity } from "~/modules/organisation/identity.server";
import {
  certificateExpiresAt,
  certificateStatus,
  certificateYear,
  formatCertificateNumber,
  generateVerificationCode,
  normaliseVerificationCode,
  parseCertificateNumber,
  revocationRefusal,
  type CertificateKind,
  type CertificateStatus,
} from "./certificate.rules";
import { loadPrivateKey, signCertificate, type SignedCertificateFields } from "./signing";
import { certificatePrivateKey } from "./signing-key.server";

// ───────────────────────── Issue ─────────────────────────

/** The next sequence number of `year`, taken inside the caller's transaction. */
export async function nextCertificateSequence(tx: Tx, year: number): Promise<number> {
  const rows = await tx.$queryRaw<{ last: number | bigint }[]>`
    INSERT INTO "CertificateCounter" ("year", "last") VALUES (${year}, 1)
    ON CONFLICT ("year") DO UPDATE SET "last" = "CertificateCounter"."last" + 1
    RETURNING "last"`;
  const last = rows[0]?.last;
  if (last === undefined) throw new Error(`Certificate counter of ${year} returned no row`);
  return Number(last);
}

export type IssueCertificateInput = {
  enrolmentId: string;
  kind: CertificateKind;
  issuedAt: Date;
  attendedMinutes: number;
  objectivesReached: boolean | null;
  /** Who issued it, for the audit log; null for the system (session closing). */
  actorId?: string | null;
};

/**
 * Issues a certificate for an enrolment, inside `tx`. An earlier certificate of the same
 * kind for the same enrolment, still in force, is marked superseded at `issuedAt`.
 * Throws when the enrolment does not exist or its session has no slot (no dates to print).
 */
export async function issueCertificate(tx: Tx, input: IssueCertificateInput, options: { privateKey?: KeyObject | string } = {}) {
  const enrolment = await tx.enrolment.findUniqueOrThrow({
    where: { id: input.enrolmentId },
    select: {
      id: true,
      userId: true,
      user: { select: { name: true, email: true, badgeNameInClear: true } },
      structure: { select: { name: true } },
      session: {
        select: {
          id: true,
          module: { select: { id: true, title: true, certificateValidityMonths: true, slug: true, summary: true, objectives: true } },
          slots: { orderBy: { startsAt: "asc" }, select: { startsAt: true, endsAt: true } },
        },
      },
    },
  });
  const { session } = enrolment;
  const first = session.slots[0];
  const last = session.slots.at(-1);
  if (!first || !last) throw new Error(`Session ${session.id} has no slot: a certificate needs its dates`);
  if (!Number.isSafeInteger(input.attendedMinutes) || input.attendedMinutes < 0) throw new RangeError(`Attended minutes must be a whole number: ${input.attendedMinutes}`);

  const year = certificateYear(input.issuedAt);
  const fields: SignedCertificateFields = {
    number: formatCertificateNumber(year, await nextCertificateSequence(tx, year)),
    kind: input.kind,
    verificationCode: generateVerificationCode(),
    holderName: printedName(enrolment.user.name),
    employerName: enrolment.structure?.name.normalize("NFC") ?? null,
    moduleTitle: session.module.title.normalize("NFC"),
    attendedMinutes: input.attendedMinutes,
    startsOn: first.startsAt,
    endsOn: last.endsAt,
    objectivesReached: input.objectivesReached,
    issuedAt: input.issuedAt,
    expiresAt: certificateExpiresAt(last.endsAt, session.module.certificateValidityMonths),
  };
  const privateKey = options.privateKey ? loadPrivateKey(options.privateKey) : certificatePrivateKey();
  const signature = signCertificate(fields, privateKey);
  const identity = await readCurrentIdentity(tx);
  const credential = await signedCredentialText({ ...fields, holderEmail: enrolment.user.email, module: session.module }, identity, {
    privateKey,
    created: input.issuedAt,
    nameInClear: enrolment.user.badgeNameInClear,
  });

  await tx.certificate.updateMany({
    where: { enrolmentId: enrolment.id, kind: input.kind, supersededAt: null, revokedAt: null },
    data: { supersededAt: input.issuedAt },
  });
  const certificate = await tx.certificate.create({
    data: {
      ...fields,
      enrolmentId: enrolment.id,
      userId: enrolment.userId,
      sessionId: session.id,
      moduleId: session.module.id,
      signature,
      credential,
      organisationIdentityId: identity.id,
    },
  });
  await tx.auditLog.create({
    data: {
      actorId: input.actorId ?? null,
      action: "certificate.issued",
      entityType: "Certificate",
      entityId: certificate.id,
      data: { enrolmentId: enrolment.id, number: certificate.number, kind: certificate.kind },
      createdAt: input.issuedAt,
    },
  });
  await refreshRelayActivation(tx, { userId: enrolment.userId }, input.issuedAt);
  return certificate;
}

// ───────────────────────── Revoke ─────────────────────────

export type RevokeResult = { ok: true } | { ok: false; status: 403 | 404 | 400; error: string };

/** Staff only; the reason is kept on the certificate, shown publicly, and in the audit log. */
export async function revokeCertificate(input: { actor: Actor; id: string; reason: string; now?: Date }): Promise<RevokeResult> {
  const { actor, id } = input;
  if (!actor || !isAdmin(actor)) return { ok: false, status: 403, error: "Seule l'équipe Maillon peut révoquer un certificat." };
  const reason = input.reason.trim();
  const now = input.now ?? new Date();
  return db.$transaction(async (tx): Promise<RevokeResult> => {
    const certificate = await tx.certificate.findUnique({ where: { id }, select: { id: true, number: true, revokedAt: true, userId: true } });
    if (!certificate) return { ok: false, status: 404, error: "Ce certificat n'existe pas." };
    const refusal = revocationRefusal(certificate, reason);
    if (refusal) return { ok: false, status: 400, error: refusal };
    // Conditional: of two staff revoking at once, one only writes (and audits).
    const { count } = await tx.certificate.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now, revokedReason: reason } });
    if (count !== 1) return { ok: false, status: 400, error: "Ce certificat est déjà révoqué." };
    await tx.auditLog.create({
      data: { actorId: actor.id, action: "certificate.revoked", entityType: "Certificate", entityId: id, reason, data: { number: certificate.number }, createdAt: now },
    });
    await refreshRelayActivation(tx, { userId: certificate.userId }, now);
    return { ok: true };
  });
}

// ───────────────────────── Verify ─────────────────────────

const verificationSelect = {
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
  revokedReason: true,
  supersededAt: true,
  signature: true,
  credential: true,
  organisationIdentityId: true,
  module: { select: { slug: true, summary: true, objectives: true } },
  user: { select: { badgeNameInClear: true } },
} as const;

export type VerifiedCertificate = SignedCertificateFields & {
  revokedAt: Date | null;
  revokedReason: string | null;
  supersededAt: Date | null;
  status: CertificateStatus;
  /** The printed fields' signature holds, and so does the stored credential's proof (when it has one yet). */
  signatureValid: boolean;
  /** Whether its badge names the holder in clear (the stored credential's, or the holder's choice before its first download). */
  badgeNamesHolder: boolean;
  organisationIdentityId: string | null;
  module: { slug: string; summary: string; objectives: string };
};

export type VerificationLookup = { kind: "found"; certificate: VerifiedCertificate } | { kind: "unknown" } | { kind: "malformed" };

/** Everything the public page shows for a verification code: fields, status at `now`, whether the signature holds. */
export async function findCertificateForVerification(input: string, now = new Date()): Promise<VerificationLookup> {
  const code = normaliseVerificationCode(input);
  if (!code) return { kind: "malformed" };
  const row = await db.certificate.findUnique({ where: { verificationCode: code }, select: verificationSelect });
  if (!row) return { kind: "unknown" };
  const { signature, credential, user, ...fields } = row;
  const proofHolds = credential === null || (await verifyPresentedCredential(credential, now)).signatureValid;
  return {
    kind: "found",
    certificate: {
      ...fields,
      status: certificateStatus(fields, now),
      signatureValid: legacySignatureHolds(fields, signature) && proofHolds,
      badgeNamesHolder: credential ? namesHolderInClear(credential) : user.badgeNameInClear,
    },
  };
}

// Letters that Unicode does not decompose into a base letter plus an accent.
const UNDECOMPOSED: Record<string, string> = { ł: "l", đ: "d", ø: "o", ħ: "h", ı: "i", æ: "ae", œ: "oe", ß: "ss" };

/** "Łukasz Żółć" → "lukasz zolc": people type names without accents, or with other dashes. */
const foldName = (text: string) =>
  text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[łđøħıæœß]/g, (c) => UNDECOMPOSED[c] ?? c)
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();

/**
 * The verification code of the certificate with this number, when the holder's family
 * name (or any part of the name, accents and case ignored) is given too: numbers follow
 * each other, so a number alone would let anyone list every holder's name.
 */
export async function findCodeByNumber(input: { number: string; name: string }): Promise<string | null> {
  const parsed = parseCertificateNumber(input.number);
  const name = foldName(input.name);
  if (!parsed || name.length < 2) return null;
  const row = await db.certificate.findUnique({ where: { number: parsed.number }, select: { verificationCode: true, holderName: true } });
  if (!row) return null;
  const words = foldName(row.holderName).split(" ");
  const typed = name.split(" ");
  return typed.every((w) => words.includes(w)) ? row.verificationCode : null;
}

// ───────────────────────── Public URLs and Open Badge ─────────────────────────

export const verificationPath = (code: string) => `/certificats/verifier/${code}`;
export const verificationUrl = (code: string) => `${getEnv().APP_URL}${verificationPath(code)}`;
export const openBadgePath = (code: string) => `${verificationPath(code)}/open-badge.json`;
