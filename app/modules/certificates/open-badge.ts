/**
 * A certificate as an Open Badges 3.0 credential (1EdTech; a W3C Verifiable Credential,
 * data model 2.0), so a holder can store it in a wallet or a profile. Its `id` is the
 * public verification URL, where the current status (revoked, expired) is shown; the
 * credential carries no embedded proof: our Ed25519 signature covers the certificate's
 * own canonical fields (signing.ts), not this JSON-LD document.
 *
 * Shape checked against the specification's examples (ob_v3p0 "basicOpenBadgeCredential"
 * and "fullOpenBadge"); tested in open-badge.test.ts.
 */
import { CERTIFICATE_KIND_LABELS, formatAttendedDuration, objectivesLabel, type CertificateKind } from "./certificate.rules";

export const OPEN_BADGE_CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"] as const;

export type BadgeIssuer = { id: string; name: string; url?: string; email?: string };

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

type Profile = { id: string; type: ["Profile"]; name: string; url?: string; email?: string };
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
type IdentityObject = { type: "IdentityObject"; identityHash: string; identityType: "name"; hashed: false };
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
export function openBadgeCredential(input: { certificate: BadgeCertificate; module: BadgeModule; issuer: BadgeIssuer; verificationUrl: string }): OpenBadgeCredential {
  const { certificate, module, issuer } = input;
  const achievement = achievementFor(certificate, module);
  const assessed = certificate.kind === "END_OF_TRAINING" && certificate.objectivesReached !== null;
  const period = `du ${dateFr.format(certificate.startsOn)} au ${dateFr.format(certificate.endsOn)}`;
  const description =
    certificate.kind === "COMPLETION"
      ? `${certificate.holderName} a suivi ${formatAttendedDuration(certificate.attendedMinutes)} de la formation « ${certificate.moduleTitle} », ${period}.`
      : `${certificate.holderName} a suivi la formation « ${certificate.moduleTitle} », ${period} : ${objectivesLabel(certificate.objectivesReached).toLowerCase()}.`;
  return {
    "@context": OPEN_BADGE_CONTEXT,
    id: assertUrl(input.verificationUrl, "Verification URL"),
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    name: `${achievement.name} — ${certificate.holderName}`,
    description,
    issuer: {
      id: assertUrl(issuer.id, "Issuer id"),
      type: ["Profile"],
      name: issuer.name,
      ...(issuer.url ? { url: assertUrl(issuer.url, "Issuer URL") } : {}),
      ...(issuer.email ? { email: issuer.email } : {}),
    },
    validFrom: timestamp(certificate.issuedAt),
    ...(certificate.expiresAt ? { validUntil: timestamp(certificate.expiresAt) } : {}),
    credentialSubject: {
      type: ["AchievementSubject"],
      identifier: [{ type: "IdentityObject", identityHash: certificate.holderName.normalize("NFC"), identityType: "name", hashed: false }],
      activityStartDate: timestamp(certificate.startsOn),
      activityEndDate: timestamp(certificate.endsOn),
      achievement,
      ...(assessed ? { result: [{ type: ["Result"], resultDescription: achievement.resultDescription![0]!.id, status: certificate.objectivesReached ? "Completed" : "Failed" }] } : {}),
    },
  };
}
