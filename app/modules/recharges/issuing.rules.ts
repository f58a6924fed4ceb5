/**
 * Who may issue recharges, and the small rules around one issue: pure, tested as a table
 * (issuing.rules.test.ts). The recharge module calls these before touching stock or quota.
 */
import { holdsValidCertificate, type StaffCertificate } from "../relays/activation.rules";

export type IssuerRelay = { structureId: string; status: "PENDING_CERTIFICATION" | "ACTIVE" | "SUSPENDED"; requiredModuleId: string };
export type IssuerCertificate = StaffCertificate;
export type IssuerInput = {
  relay: IssuerRelay | null;
  /** The structures the person belongs to. */
  membershipStructureIds: readonly string[];
  /** The person's certificates (any module; only the relay's required module counts). */
  certificates: readonly IssuerCertificate[];
  now: Date;
};

export type IssuingRefusal = "NO_RELAY" | "NOT_MEMBER" | "RELAY_PENDING" | "RELAY_SUSPENDED" | "NOT_CERTIFIED";

export const ISSUING_REFUSAL_MESSAGES: Record<IssuingRefusal, string> = {
  NO_RELAY: "Cette structure n'est pas un Relais Numérique.",
  NOT_MEMBER: "Vous n'êtes pas membre de ce relais.",
  RELAY_PENDING: "Ce relais n'est pas encore actif : il attend qu'un membre de l'équipe soit certifié.",
  RELAY_SUSPENDED: "Ce relais est suspendu : il ne peut pas délivrer de recharges.",
  NOT_CERTIFIED: "Seuls les membres certifiés du relais (certificat valide du module requis) peuvent délivrer des recharges.",
};

/** Why this person may not issue for this relay now, or null when they may. */
export function issuingRefusal({ relay, membershipStructureIds, certificates, now }: IssuerInput): IssuingRefusal | null {
  if (!relay) return "NO_RELAY";
  if (!membershipStructureIds.includes(relay.structureId)) return "NOT_MEMBER";
  if (relay.status === "PENDING_CERTIFICATION") return "RELAY_PENDING";
  if (relay.status !== "ACTIVE") return "RELAY_SUSPENDED";
  return holdsValidCertificate(certificates, relay.requiredModuleId, now) ? null : "NOT_CERTIFIED";
}

/** A mistaken issue may be declared within this delay after issuing. */
export const MISTAKE_WINDOW_MS = 15 * 60_000;
export const MISTAKE_REASON_MIN_LENGTH = 5;

export function mistakeRefusal(issue: { issuedAt: Date; mistakeDeclaredAt: Date | null }, reason: string, now: Date): string | null {
  if (issue.mistakeDeclaredAt) return "Une erreur a déjà été déclarée pour cette recharge.";
  if (now.getTime() - issue.issuedAt.getTime() > MISTAKE_WINDOW_MS) return "Le délai de 15 minutes pour déclarer une erreur est passé : contactez l'équipe de l'association.";
  if (reason.trim().length < MISTAKE_REASON_MIN_LENGTH) return `Indiquez la raison de l'erreur (${MISTAKE_REASON_MIN_LENGTH} caractères au moins).`;
  return null;
}

/** A member of the acting relay reading or acting on one of its issues. */
export type IssueReader = { userId: string; referent: boolean; certified: boolean };
export type IssueFacts = { staffId: string; issuedAt: Date; codeRevealedAt: Date | null; mistakeDeclaredAt: Date | null };
export type IssueAccess = { view: boolean; revealCode: boolean; declareMistake: boolean };

/**
 * Who may declare a mistake on this issue: a certified member, on their own issue, or a
 * certified referent of the relay on any of its issues. A message when refused.
 */
export function mistakeDeclarerRefusal(reader: IssueReader, issue: Pick<IssueFacts, "staffId">): string | null {
  if (!reader.certified) return "Seuls les membres certifiés du relais peuvent déclarer une erreur.";
  if (issue.staffId !== reader.userId && !reader.referent) return "Seule la personne qui a délivré cette recharge, ou un référent certifié du relais, peut déclarer une erreur.";
  return null;
}

/**
 * The code may be shown again to its issuer for this long after it was first shown: a lost
 * answer or a form sent twice must not burn it silently. Only ever on a POST (decision 018).
 */
export const REVEAL_AGAIN_WINDOW_MS = 2 * 60_000;

/**
 * What a member of the acting relay may do with one of its issues. The issue page carries the
 * beneficiary's reference: an uncertified member opens only their own issues.
 */
export function issueAccess(reader: IssueReader, issue: IssueFacts, now: Date): IssueAccess {
  const own = issue.staffId === reader.userId;
  const revealCode =
    own && !issue.mistakeDeclaredAt && (!issue.codeRevealedAt || now.getTime() - issue.codeRevealedAt.getTime() <= REVEAL_AGAIN_WINDOW_MS);
  const declareMistake =
    !mistakeDeclarerRefusal(reader, issue) && !issue.mistakeDeclaredAt && now.getTime() - issue.issuedAt.getTime() <= MISTAKE_WINDOW_MS;
  return { view: own || reader.certified, revealCode, declareMistake };
}

/** The voucher can be printed by its issuer for a short while after the code was shown, never later. */
export const VOUCHER_WINDOW_MS = 10 * 60_000;
export const isVoucherPrintable = (codeRevealedAt: Date | null, now: Date): boolean =>
  !!codeRevealedAt && now.getTime() - codeRevealedAt.getTime() <= VOUCHER_WINDOW_MS;

/** Whether one more recharge of `valueCents` keeps the beneficiary within the monthly ceiling. */
export const withinCeiling = (alreadyIssuedCents: number, valueCents: number, ceilingCents: number): boolean =>
  alreadyIssuedCents + valueCents <= ceilingCents;
