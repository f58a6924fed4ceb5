/** Words pages show for a relay's status (kept apart from the rules, which need Node's crypto through certificates). */
export type RelayStatus = "PENDING_CERTIFICATION" | "ACTIVE" | "SUSPENDED";

export const RELAY_STATUS_LABELS: Record<RelayStatus, string> = {
  PENDING_CERTIFICATION: "En attente de certification",
  ACTIVE: "Actif",
  SUSPENDED: "Suspendu",
};
