/**
 * The session form's and lists' constants, labels and filters: no zod here, so pages can
 * import them without shipping the validation schema to the browser.
 */
export const SLOT_ROWS_MIN = 6;
export const SLOT_ROWS_MAX = 12;

export const SESSION_KINDS = ["INTER", "INTRA"] as const;
export const SESSION_FORMATS = ["IN_PERSON", "REMOTE"] as const;
export const KIND_LABELS: Record<(typeof SESSION_KINDS)[number], string> = { INTER: "Inter (ouverte à toutes les structures)", INTRA: "Intra (pour une structure)" };
export const FORMAT_LABELS: Record<(typeof SESSION_FORMATS)[number], string> = { IN_PERSON: "En présentiel", REMOTE: "À distance" };

export const slotFieldNames = (i: number) => ({ date: `slot${i}Date`, start: `slot${i}Start`, end: `slot${i}End`, error: `slot${i}` });

export const SESSION_STATUS_FILTERS = ["", "SCHEDULED", "CANCELLED", "CLOSED"] as const;
export const SESSION_WHEN_FILTERS = ["upcoming", "past", "all"] as const;

/** The list's search and filters, from the query string; anything unknown falls back to the default. */
export function readSessionFilters(params: URLSearchParams) {
  const status = params.get("statut") ?? "";
  const when = params.get("periode") ?? "upcoming";
  return {
    q: (params.get("q") ?? "").trim().slice(0, 100),
    status: (SESSION_STATUS_FILTERS as readonly string[]).includes(status) ? (status as (typeof SESSION_STATUS_FILTERS)[number]) : "",
    when: (SESSION_WHEN_FILTERS as readonly string[]).includes(when) ? (when as (typeof SESSION_WHEN_FILTERS)[number]) : "upcoming",
  };
}
export type SessionFilters = ReturnType<typeof readSessionFilters>;

/** How statuses read in the back-office and the trainer's roster. */
export const SESSION_STATUS_LABELS = { SCHEDULED: "Programmée", CANCELLED: "Annulée", CLOSED: "Clôturée" } as const;
export const ENROLMENT_STATUS_LABELS = {
  CONFIRMED: "Confirmée",
  PENDING_PAYMENT: "Paiement en cours",
  OFFERED: "Place proposée",
  WAITLISTED: "Liste d'attente",
  CANCELLED: "Annulée",
} as const;
export const FUNDING_LABELS = { CARD: "Carte bancaire", STRUCTURE: "Structure", OPCO: "OPCO", FREE: "Gratuit" } as const;
export const PAYMENT_STATUS_LABELS = { NOT_REQUIRED: "Sans paiement", PENDING: "En attente", PAID: "Payé", REFUNDED: "Remboursé" } as const;

/** Rows to show: at least SLOT_ROWS_MIN, two spare ones after the session's slots. */
export const slotRowsFor = (slotCount: number) => Math.min(SLOT_ROWS_MAX, Math.max(SLOT_ROWS_MIN, slotCount + 2));
