/**
 * When a Relais Numérique is active: approved, not suspended, and at least N of its current
 * staff (N set per relay) hold a valid certificate of the module the relay requires. Pure:
 * the server loads the relay's members and their certificates, these functions decide.
 */
import { certificateStatus, type CertificateDates } from "~/modules/certificates/certificate.rules";
import type { RelayStatus } from "./relay.labels";

export type { RelayStatus };

export type StaffCertificate = CertificateDates & { moduleId: string };
export type StaffMember = { userId: string; certificates: readonly StaffCertificate[] };

/** Whether one person holds, at `now`, a valid certificate of `requiredModuleId`. */
export const holdsValidCertificate = (certificates: readonly StaffCertificate[], requiredModuleId: string, now: Date): boolean =>
  certificates.some((c) => c.moduleId === requiredModuleId && certificateStatus(c, now) === "VALID");

/** The members (current staff only) who hold a valid certificate of the required module. */
export const certifiedStaffIds = (staff: readonly StaffMember[], requiredModuleId: string, now: Date): string[] =>
  staff.filter((m) => holdsValidCertificate(m.certificates, requiredModuleId, now)).map((m) => m.userId);

/**
 * The status a relay should have now. A suspended relay stays suspended (staff lift it);
 * otherwise it is ACTIVE exactly when enough of its staff are certified.
 */
export function relayStatusFor(input: { current: RelayStatus; certifiedCount: number; requiredCertifiedStaff: number }): RelayStatus {
  if (input.current === "SUSPENDED") return "SUSPENDED";
  return input.certifiedCount >= Math.max(1, input.requiredCertifiedStaff) ? "ACTIVE" : "PENDING_CERTIFICATION";
}

/** How many more certified staff the relay needs to become active (0 when it has enough). */
export const missingCertifiedStaff = (certifiedCount: number, requiredCertifiedStaff: number): number =>
  Math.max(0, Math.max(1, requiredCertifiedStaff) - certifiedCount);


const STATUS_NOTES: Record<RelayStatus, string> = {
  ACTIVE: "Le relais est désormais actif.",
  PENDING_CERTIFICATION: "Le relais repasse en attente de certification : il n'a plus assez de membres certifiés.",
  SUSPENDED: "Le relais est suspendu.",
};

/** The sentence a flash adds when an action moved the relay's status; "" when it did not. */
export const relayStatusNote = (changes: readonly { to: RelayStatus }[]): string => {
  const last = changes.at(-1);
  return last ? ` ${STATUS_NOTES[last.to]}` : "";
};
