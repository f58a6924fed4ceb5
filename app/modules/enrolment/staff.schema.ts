import { z } from "zod";
import type { WaitlistMove } from "./waitlist.rules";

/**
 * The staff's enrolment forms: reordering a waiting list, cancelling with a reason, and the
 * back-office list's search and filters (read from the query string).
 */
const REASON_MIN = 3;
const REASON_MAX = 500;
const asString = (v: unknown) => (typeof v === "string" ? v : "");

const idField = (message: string) => z.preprocess(asString, z.string().trim().min(1, message).max(100, message));
const reasonField = (message: string) =>
  z.preprocess(asString, z.string().trim().min(REASON_MIN, message).max(REASON_MAX, `Le motif est trop long (${REASON_MAX} caractères au plus).`));

export const WAITLIST_MOVES = ["up", "down", "position"] as const;

export const WaitlistReorderSchema = z
  .object({
    enrolmentId: idField("Choisissez la personne à déplacer."),
    move: z.preprocess(asString, z.string()),
    position: z.preprocess(asString, z.string().trim().max(10)),
    reason: reasonField("Indiquez le motif du changement d'ordre : il est conservé dans le journal."),
  })
  .transform((raw, ctx): { enrolmentId: string; move: WaitlistMove; reason: string } => {
    const kind = (WAITLIST_MOVES as readonly string[]).includes(raw.move) ? (raw.move as (typeof WAITLIST_MOVES)[number]) : null;
    if (!kind) {
      ctx.addIssue({ code: "custom", path: ["move"], message: "Choisissez le déplacement." });
      return z.NEVER;
    }
    if (kind !== "position") return { enrolmentId: raw.enrolmentId, move: { kind }, reason: raw.reason };
    if (!/^\d{1,4}$/.test(raw.position)) {
      ctx.addIssue({ code: "custom", path: ["position"], message: "Indiquez le nouveau rang (un nombre entier)." });
      return z.NEVER;
    }
    return { enrolmentId: raw.enrolmentId, move: { kind, position: Number(raw.position) }, reason: raw.reason };
  });

export const StaffCancelSchema = z.object({ reason: reasonField("Indiquez le motif de l'annulation : il est envoyé à la personne inscrite.") });

export const MarkReceivedSchema = z.object({ enrolmentId: idField("Inscription manquante.") });

// ───────────────────────── The back-office list ─────────────────────────

export const ENROLMENT_STATUSES = ["PENDING_PAYMENT", "CONFIRMED", "WAITLISTED", "OFFERED", "CANCELLED"] as const;
export const FUNDINGS = ["CARD", "STRUCTURE", "OPCO", "FREE"] as const;
export const PAYMENT_STATUSES = ["NOT_REQUIRED", "PENDING", "PAID", "REFUNDED"] as const;
export const PERIODS = ["upcoming", "past", "all"] as const;
export const PAGE_SIZE = 50;

export type EnrolmentFilters = {
  q: string;
  status: (typeof ENROLMENT_STATUSES)[number] | "";
  funding: (typeof FUNDINGS)[number] | "";
  payment: (typeof PAYMENT_STATUSES)[number] | "";
  moduleId: string;
  when: (typeof PERIODS)[number];
  /** "paiements": invoiced seats (structure or OPCO) whose payment is awaited. */
  view: "paiements" | "";
  page: number;
};

const pick = <T extends string>(allowed: readonly T[], value: string | null, fallback: T | ""): T | "" =>
  value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;

/** The list's filters from the query string; anything unknown falls back to the default. */
export function readEnrolmentFilters(params: URLSearchParams): EnrolmentFilters {
  const page = Number(params.get("page") ?? "1");
  return {
    q: (params.get("q") ?? "").trim().slice(0, 100),
    status: pick(ENROLMENT_STATUSES, params.get("statut"), ""),
    funding: pick(FUNDINGS, params.get("financement"), ""),
    payment: pick(PAYMENT_STATUSES, params.get("paiement"), ""),
    moduleId: (params.get("module") ?? "").trim().slice(0, 100),
    when: pick(PERIODS, params.get("periode"), "all") || "all",
    view: params.get("vue") === "paiements" ? "paiements" : "",
    page: Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1,
  };
}

/** The query string for these filters (defaults left out), e.g. to link to another page. */
export function enrolmentFiltersQuery(filters: EnrolmentFilters, page = filters.page): string {
  const params = new URLSearchParams();
  if (filters.view) params.set("vue", filters.view);
  if (filters.q) params.set("q", filters.q);
  if (filters.status) params.set("statut", filters.status);
  if (filters.funding) params.set("financement", filters.funding);
  if (filters.payment) params.set("paiement", filters.payment);
  if (filters.moduleId) params.set("module", filters.moduleId);
  if (filters.when !== "all") params.set("periode", filters.when);
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query ? `?${query}` : "";
}
