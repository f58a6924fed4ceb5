/**
 * A certificate as an Open Badges 3.0 credential (1EdTech; a W3C Verifiable Credential,
 * data model 2.0), so a holder can store it in a wallet or a profile. Its `id` is the
 * public verification URL; its issuer the portal's did:web; its `credentialStatus` a bit of
 * the year's Bitstring Status List. The subject is identified by a salted SHA-256 of the
 * holder's e-mail, and by the name in clear unless the holder asked otherwise. This module
 * builds the unsigned document; the proof is added at issue (credential.server.ts).
 *
 * Shape checked against the specification's examples (ob_v3p0 "basicOpenBadgeCredential"
 * and "fullOpenBadge"); tested in open-badge.test.ts.
 */
import { createHash } from "node:crypto";
import { CERTIFICATE_KIND_LABELS, formatAttendedDuration, objectivesLabel, type CertificateKind } from "./certificate.rules";

export const OPEN_BADGE_CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"] as const;

export type BadgeIssuer = {
  id: string;
  name: string;
  url?: string;
  email?: string;
  phone?: string;
  address?: { street: string; postalCode: string; city: string };
};

/** The holder as the credential names them: a hashed e-mail (with its salt), the name in clear or not. */
export type BadgeRecipient = { email: string; salt: string; nameInClear: boolean };

/** Whether a credential (its JSON text) names its holder in clear, besides the hashed e-mail. */
export function namesHolderInClear(credentialJson: string): boolean {
  const identifiers = (JSON.parse(credentialJson) as { credentialSubject?: { identifier?: { identityType?: string }[] } }).credentialSubject?.identifier ?? [];
  return identifiers.some((i) => i.identityType === "name");
}

/** Where the credential's revocation bit is: the status list credential's URL and the bit's index. */
export type BadgeStatus = { listUrl: string; index: number };

export type BadgeCertificate = {
  kind: CertificateKind;
  number: string;
  holderName: string;
  moduleTitle: string;
  attendedMinutes: number;
  startsOn: Date;
  endsOn: Date;
  objectivesReached: boolean | null;
  issuedAt: Date;
  expiresAt: Date | null;
};

/** The module the certificate is for: its public page (the achievement's id), summary and objectives. */
export type BadgeModule = { url: string; summary: string; objectives: readonly string[] };

type Address = { type: ["Address"]; streetAddress: string; postalCode: string; addressLocality: string; addressCountry: "FR" };
type Profile = { id: string; type: ["Profile"]; name: string; url?: string; email?: string; phone?: string; address?: Address };
type ResultDescription = { id: string; type: ["ResultDescription"]; name: string; resultType: "Status" };
type Achievement = {
  id: string;
  type: ["Achievement"];
  achievementType: "CertificateOfCompletion" | "Certificate";
  name: string;
  description: string;
  criteria: { narrative: string };
  humanCode: string;
  inLanguage: "fr";
  resultDescription?: ResultDescription[];
};
type IdentityObject =
  | { type: "IdentityObject"; identityHash: string; identityType: "emailAddress"; hashed: true; salt: string }
  | { type: "IdentityObject"; identityHash: string; identityType: "name"; hashed: false };
type StatusEntry = { id: string; type: "BitstringStatusListEntry"; statusPurpose: "revocation"; statusListIndex: string; statusListCredential: string };
type Result = { type: ["Result"]; resultDescription: string; status: "Completed" | "Failed" };

export type OpenBadgeCredential = {
  "@context": typeof OPEN_BADGE_CONTEXT;
  id: string;
  type: ["VerifiableCredential", "OpenBadgeCredential"];
  name: string;
  description: string;
  issuer: Profile;
  validFrom: string;
  validUntil?: string;
  credentialStatus: StatusEntry;
  credentialSubject: {
    type: ["AchievementSubject"];
    identifier: IdentityObject[];
    activityStartDate: string;
    activityEndDate: string;
    achievement: Achievement;
    result?: Result[];
  };
};

/** xsd:dateTimeStamp without milliseconds: "2026-03-03T09:15:00Z". */
const timestamp = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, "Z");

/** The specification's IdentityHash of an e-mail: "sha256$" and the hex SHA-256 of the address (trimmed, lower case) followed by the salt. */
export const hashedEmail = (email: string, salt: string): string =>
  `sha256$${createHash("sha256").update(`${email.trim().toLowerCase()}${salt}`, "utf8").digest("hex")}`;

/** Throws unless `value` is a did:web or an absolute URL (issuer ids must be dereferenceable). */
function assertIssuerId(value: string): string {
  return /^did:web:[a-z0-9.-]+(%3A\d+)?(:[A-Za-z0-9._%-]+)*$/.test(value) ? value : assertUrl(value, "Issuer id");
}

/** Throws unless `value` is an absolute http(s) URL (credential ids must be dereferenceable). */
function assertUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${what} must be an absolute URL: ${value}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new TypeError(`${what} must be an http(s) URL: ${value}`);
  return value;
}

const KIND_FRAGMENTS: Record<CertificateKind, string> = { COMPLETION: "certificat-de-realisation", END_OF_TRAINING: "attestation-de-fin-de-formation" };
const dateFr = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", day: "numeric", month: "long", year: "numeric" });

/** What the holder did to earn it, in Markdown (criteria.narrative allows it). */
function criteriaNarrative(kind: CertificateKind, module: BadgeModule): string {
  if (kind === "COMPLETION") {
    return "Avoir suivi la formation en présence, chaque demi-journée étant attestée par une feuille d'émargement signée par le stagiaire et contresignée par le formateur.";
  }
  const objectives = module.objectives.map((o) => o.trim()).filter(Boolean);
  return ["Avoir suivi la formation et passé l'évaluation des acquis.", ...(objectives.length ? ["", "Objectifs visés :", ...objectives.map((o) => `- ${o}`)] : [])].join("\n");
}

/** The achievement (the module, per kind of certificate), with the assessment as a status result for an attestation. */
function achievementFor(certificate: BadgeCertificate, module: BadgeModule): Achievement {
  const id = `${assertUrl(module.url, "Module URL")}#${KIND_FRAGMENTS[certificate.kind]}`;
  return {
    id,
    type: ["Achievement"],
    achievementType: certificate.kind === "COMPLETION" ? "CertificateOfCompletion" : "Certificate",
    name: `${CERTIFICATE_KIND_LABELS[certificate.kind]} — ${certificate.moduleTitle}`,
    description: module.summary,
    criteria: { narrative: criteriaNarrative(certificate.kind, module) },
    humanCode: certificate.number,
    inLanguage: "fr",
    ...(certificate.kind === "END_OF_TRAINING" ? { resultDescription: [{ id: `${id}-objectifs`, type: ["ResultDescription"], name: "Objectifs de la formation", resultType: "Status" }] } : {}),
  } satisfies Achievement;
}

/** The Open Badges 3.0 credential for one certificate; `verificationUrl` becomes its id. */
export function openBadgeCredential(input: {
  certificate: BadgeCertificate;
  module: BadgeModule;
  issuer: BadgeIssuer;
  verificationUrl: string;
  recipient: BadgeRecipient;
  status: BadgeStatus;
}): OpenBadgeCredential {
  const { certificate, module, issuer, recipient, status } = input;
  const holder = recipient.nameInClear ? certificate.holderName : "Le ou la titulaire";
  const achievement = achievementFor(certificate, module);
  const assessed = certificate.kind === "END_OF_TRAINING" && certificate.objectivesReached !== null;
  const period = `du ${dateFr.format(certificate.startsOn)} au ${dateFr.format(certificate.endsOn)}`;
  const description =
    certificate.kind === "COMPLETION"
      ? `${holder} a suivi ${formatAttendedDuration(certificate.attendedMinutes)} de la formation « ${certificate.moduleTitle} », ${period}.`
      : `${holder} a suivi la formation « ${certificate.moduleTitle} », ${period} : ${objectivesLabel(certificate.objectivesReached).toLowerCase()}.`;
  return {
    "@context": OPEN_BADGE_CONTEXT,
    id: assertUrl(input.verificationUrl, "Verification URL"),
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    name: recipient.nameInClear ? `${achievement.name} — ${certificate.holderName}` : achievement.name,
    description,
    issuer: {
      id: assertIssuerId(issuer.id),
      type: ["Profile"],
      name: issuer.name,
      ...(issuer.url ? { url: assertUrl(issuer.url, "Issuer URL") } : {}),
      ...(issuer.email ? { email: issuer.email } : {}),
      ...(issuer.phone ? { phone: issuer.phone } : {}),
      ...(issuer.address
        ? { address: { type: ["Address"], streetAddress: issuer.address.street, postalCode: issuer.address.postalCode, addressLocality: issuer.address.city, addressCountry: "FR" } }
        : {}),
    },
    validFrom: timestamp(certificate.issuedAt),
    ...(certificate.expiresAt ? { validUntil: timestamp(certificate.expiresAt) } : {}),
    credentialStatus: {
      id: `${assertUrl(status.listUrl, "Status list URL")}#${status.index}`,
      type: "BitstringStatusListEntry",
      statusPurpose: "revocation",
      statusListIndex: String(status.index),
      statusListCredential: status.listUrl,
    },
    credentialSubject: {
      type: ["AchievementSubject"],
      identifier: [
        { type: "IdentityObject", identityHash: hashedEmail(recipient.email, recipient.salt), identityType: "emailAddress", hashed: true, salt: recipient.salt },
        ...(recipient.nameInClear ? [{ type: "IdentityObject" as const, identityHash: certificate.holderName.normalize("NFC"), identityType: "name" as const, hashed: false as const }] : []),
      ],
      activityStartDate: timestamp(certificate.startsOn),
      activityEndDate: timestamp(certificate.endsOn),
      achievement,
      ...(assessed ? { result: [{ type: ["Result"], resultDescription: achievement.resultDescription![0]!.id, status: certificate.objectivesReached ? "Completed" : "Failed" }] } : {}),
    },
  };
}
