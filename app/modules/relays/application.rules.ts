/**
 * The life of a relay application, as a table: draft → submitted → changes requested ⇄
 * submitted → approved or rejected; the applicant may withdraw it until it is decided.
 * Anything not in the table is refused. Pure, tested as a table.
 */
export type ApplicationStatus = "DRAFT" | "SUBMITTED" | "CHANGES_REQUESTED" | "APPROVED" | "REJECTED" | "WITHDRAWN";
export type ApplicationEvent = "submit" | "withdraw" | "requestChanges" | "approve" | "reject";
/** Who acts: the person who applied, or the association's staff. */
export type ApplicationActor = "applicant" | "staff";

export const APPLICATION_STATUS_LABELS: Record<ApplicationStatus, string> = {
  DRAFT: "Brouillon",
  SUBMITTED: "Envoyée, en cours d'examen",
  CHANGES_REQUESTED: "Modifications demandées",
  APPROVED: "Acceptée",
  REJECTED: "Refusée",
  WITHDRAWN: "Retirée",
};

const TRANSITIONS: Record<ApplicationEvent, { by: ApplicationActor; from: readonly ApplicationStatus[]; to: ApplicationStatus }> = {
  submit: { by: "applicant", from: ["DRAFT", "CHANGES_REQUESTED"], to: "SUBMITTED" },
  withdraw: { by: "applicant", from: ["DRAFT", "SUBMITTED", "CHANGES_REQUESTED"], to: "WITHDRAWN" },
  requestChanges: { by: "staff", from: ["SUBMITTED"], to: "CHANGES_REQUESTED" },
  approve: { by: "staff", from: ["SUBMITTED"], to: "APPROVED" },
  reject: { by: "staff", from: ["SUBMITTED"], to: "REJECTED" },
};

/** The statuses an event may start from (for a conditional update's `where`). */
export const statusesAllowing = (event: ApplicationEvent): ApplicationStatus[] => [...TRANSITIONS[event].from];

export type Transition = { ok: true; to: ApplicationStatus } | { ok: false; message: string };

const REFUSALS: Partial<Record<ApplicationStatus, string>> = {
  SUBMITTED: "Cette candidature a déjà été envoyée : elle est en cours d'examen.",
  APPROVED: "Cette candidature a déjà été acceptée.",
  REJECTED: "Cette candidature a été refusée : elle ne peut plus changer.",
  WITHDRAWN: "Cette candidature a été retirée : elle ne peut plus changer.",
  DRAFT: "Cette candidature n'a pas encore été envoyée.",
  CHANGES_REQUESTED: "Des modifications ont été demandées : la candidature attend la réponse de la structure.",
};

export function transition(from: ApplicationStatus, event: ApplicationEvent, by: ApplicationActor): Transition {
  const rule = TRANSITIONS[event];
  if (!rule || rule.by !== by) return { ok: false, message: "Cette action n'est pas permise." };
  if (!rule.from.includes(from)) return { ok: false, message: REFUSALS[from] ?? "Cette action n'est pas permise." };
  return { ok: true, to: rule.to };
}

/** The staff queue's filter: one status, or all. */
export const REVIEW_FILTERS = ["SUBMITTED", "CHANGES_REQUESTED", "APPROVED", "REJECTED", "WITHDRAWN", "DRAFT", "ALL"] as const;
export type ReviewFilter = (typeof REVIEW_FILTERS)[number];

/** The applicant may edit the form's answers only while it is theirs to send. */
export const isEditableByApplicant = (status: ApplicationStatus): boolean => status === "DRAFT" || status === "CHANGES_REQUESTED";

/** Applications that hold a SIRET/RNA: another one for the same structure is refused. */
export const LIVE_APPLICATION_STATUSES: readonly ApplicationStatus[] = ["DRAFT", "SUBMITTED", "CHANGES_REQUESTED", "APPROVED"];

/** A draft left this many days without a change no longer holds its SIRET/RNA for anyone else. */
export const DRAFT_LOCK_DAYS = 30;

/** The moment before which an untouched draft has lapsed (its `updatedAt` is older). */
export const draftLockCutoff = (now: Date): Date => new Date(now.getTime() - DRAFT_LOCK_DAYS * 24 * 3600_000);

/**
 * Whether an application blocks another one for the same SIRET/RNA at `now`: a live one,
 * except a draft untouched for DRAFT_LOCK_DAYS (it stays the applicant's, it just stops
 * locking the number; sending it later meets the same check).
 */
export function holdsIdentifier(a: { status: ApplicationStatus; updatedAt: Date }, now: Date): boolean {
  if (!LIVE_APPLICATION_STATUSES.includes(a.status)) return false;
  return a.status !== "DRAFT" || a.updatedAt.getTime() > draftLockCutoff(now).getTime();
}

export type KnownMember = { userId: string; email: string; role: "REFERENT" | "MEMBER" };

/**
 * Who would become referent of a structure the portal already knows without being one of
 * its members: the applicant, and the referent the application names (by e-mail). Staff
 * must confirm them explicitly before approval; none when the structure has no members.
 */
export function outsidersToConfirm(input: {
  members: readonly KnownMember[];
  applicantId: string;
  applicantEmail: string;
  referentEmail: string | null;
}): { applicant: boolean; referentEmail: string | null } {
  if (input.members.length === 0) return { applicant: false, referentEmail: null };
  const applicant = !input.members.some((m) => m.userId === input.applicantId);
  const email = input.referentEmail?.trim().toLowerCase() || null;
  // The applicant naming themself is one person, counted once (as the applicant).
  const referentOutside = email !== null && email !== input.applicantEmail.toLowerCase() && !input.members.some((m) => m.email.toLowerCase() === email);
  return { applicant, referentEmail: referentOutside ? email : null };
}

export const needsOutsiderConfirmation = (o: { applicant: boolean; referentEmail: string | null }): boolean => o.applicant || o.referentEmail !== null;

/** How the journal of an application and of its relay reads for staff; an unknown action shows its code. */
const AUDIT_LABELS: Record<string, string> = {
  "relay_application.submitted": "Candidature envoyée",
  "relay_application.withdrawn": "Candidature retirée",
  "relay_application.changes_requested": "Modifications demandées",
  "relay_application.approved": "Candidature acceptée",
  "relay_application.rejected": "Candidature refusée",
  "relay.created": "Relais créé (en attente de certification)",
  "relay.activated": "Relais actif : assez de membres certifiés",
  "relay.pending_certification": "Relais en attente de certification : plus assez de membres certifiés",
  "relay.suspended": "Relais suspendu",
  "relay.reinstated": "Suspension levée",
  "relay.required_staff_changed": "Nombre de membres certifiés requis modifié",
  "structure.outsider_made_referent": "Personne extérieure à la structure nommée référente (décision de l'équipe)",
};

export const relayAuditLabel = (action: string): string => AUDIT_LABELS[action] ?? action;
