/**
 * When a session may be closed (and its certificates issued), and when the trainer may
 * still record whether each trainee reached the objectives. Pure, tested in
 * session-close.rules.test.ts.
 */
export type ClosableSession = {
  status: "SCHEDULED" | "CANCELLED" | "CLOSED";
  slots: readonly { endsAt: Date; lockedAt: Date | null }[];
};

/** Why the session cannot be closed at `now`, in French, or null when it can. */
export function closeRefusal(session: ClosableSession, now: Date): string | null {
  if (session.status === "CLOSED") return "Cette session est déjà clôturée : ses certificats ont été délivrés.";
  if (session.status === "CANCELLED") return "Cette session est annulée : elle ne peut pas être clôturée.";
  if (session.slots.length === 0) return "Cette session n'a aucune demi-journée : il n'y a rien à clôturer.";
  const open = session.slots.filter((s) => s.endsAt > now).length;
  if (open > 0) return `La session n'est pas terminée : ${open} demi-journée${open > 1 ? "s ne sont" : " n'est"} pas encore passée${open > 1 ? "s" : ""}.`;
  const unlocked = session.slots.filter((s) => !s.lockedAt).length;
  if (unlocked > 0) {
    return `${unlocked} feuille${unlocked > 1 ? "s" : ""} d'émargement ${unlocked > 1 ? "ne sont" : "n'est"} pas encore contresignée${unlocked > 1 ? "s" : ""} par le formateur : la session ne peut pas être clôturée.`;
  }
  return null;
}

/** Why objectives can no longer be recorded, or null: only until the session is closed (the attestations print them). */
export function objectivesRefusal(status: ClosableSession["status"]): string | null {
  if (status === "CLOSED") return "La session est clôturée : les attestations sont délivrées. Pour une correction, l'équipe Maillon délivre à nouveau l'attestation.";
  if (status === "CANCELLED") return "Cette session est annulée.";
  return null;
}

export type ObjectivesChoice = "yes" | "no" | "unknown";
export const objectivesFromChoice = (choice: ObjectivesChoice): boolean | null => (choice === "unknown" ? null : choice === "yes");
export const choiceFromObjectives = (value: boolean | null): ObjectivesChoice => (value === null ? "unknown" : value ? "yes" : "no");

/** The objectives form has one radio group per trainee, named `objectifs-<enrolmentId>`. */
export const OBJECTIVES_FIELD_PREFIX = "objectifs-";
export const objectivesField = (enrolmentId: string) => `${OBJECTIVES_FIELD_PREFIX}${enrolmentId}`;
