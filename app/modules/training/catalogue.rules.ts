/**
 * Pure rules of the public catalogue: reading the filters from the URL, seats left,
 * published results, and how durations and prices read in French.
 */
import { parisMonthKey } from "~/utils/dates";

// ───────────────────────────── Filters ─────────────────────────────

export type SessionFormatFilter = "IN_PERSON" | "REMOTE";
export type CatalogueFilters = { city?: string; month?: string; format?: SessionFormatFilter };

/** URL values are French; the code uses the enum. */
export const FORMAT_PARAMS = { presentiel: "IN_PERSON", distance: "REMOTE" } as const satisfies Record<string, SessionFormatFilter>;
export const formatParam = (format: SessionFormatFilter | undefined) =>
  format ? (Object.entries(FORMAT_PARAMS).find(([, value]) => value === format)?.[0] ?? "") : "";

// Plain checks rather than zod: this module is also imported by pages, and a zod schema at
// module level would ship zod to the browser.
const CITY_MAX = 80;
const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
const isFormatParam = (value: string): value is keyof typeof FORMAT_PARAMS => Object.prototype.hasOwnProperty.call(FORMAT_PARAMS, value);

/**
 * Tolerant: a bad value is dropped with a French note saying so; an empty one means "any".
 * Never throws, whatever the query string holds.
 */
export function parseCatalogueFilters(params: URLSearchParams): { filters: CatalogueFilters; notes: string[] } {
  const filters: CatalogueFilters = {};
  const notes: string[] = [];
  const read = (name: string) => {
    const value = params.get(name);
    return value === null || value.trim() === "" ? undefined : value;
  };
  const shown = (value: string) => (value.length > 30 ? `${value.slice(0, 30)}…` : value);

  const city = read("ville");
  if (city !== undefined) {
    const trimmed = city.trim();
    if (trimmed.length <= CITY_MAX) filters.city = trimmed;
    else notes.push("Le nom de ville est trop long : ce filtre a été ignoré.");
  }
  const month = read("mois");
  if (month !== undefined) {
    const trimmed = month.trim();
    if (MONTH_PATTERN.test(trimmed)) filters.month = trimmed;
    else notes.push(`Le mois « ${shown(month)} » n'est pas reconnu (format attendu : AAAA-MM) : ce filtre a été ignoré.`);
  }
  const format = read("format");
  if (format !== undefined) {
    const trimmed = format.trim();
    if (isFormatParam(trimmed)) filters.format = FORMAT_PARAMS[trimmed];
    else notes.push(`Le format « ${shown(format)} » n'est pas reconnu : ce filtre a été ignoré.`);
  }
  return { filters, notes };
}

/** Case- and accent-insensitive, so "saint-etienne" finds "Saint-Étienne". */
export const normaliseCity = (city: string) =>
  city
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[\s'’-]+/g, " ")
    .trim();

export type FilterableSession = { format: string; city: string | null; startsAt: Date };

export function matchesFilters(session: FilterableSession, filters: CatalogueFilters): boolean {
  if (filters.format && session.format !== filters.format) return false;
  if (filters.city && (session.format === "REMOTE" || normaliseCity(session.city ?? "") !== normaliseCity(filters.city))) return false;
  if (filters.month && parisMonthKey(session.startsAt) !== filters.month) return false;
  return true;
}

export const hasFilters = (filters: CatalogueFilters) => Boolean(filters.city || filters.month || filters.format);

// ───────────────────────────── Sessions ─────────────────────────────

/** Never negative, even if capacity was lowered below the seats already held. */
export const seatsLeft = (session: { capacity: number; seatsTaken: number }) => Math.max(0, session.capacity - session.seatsTaken);

/** Listed publicly: scheduled, open to every structure, first half-day still ahead. */
export function isUpcoming(session: { status: string; startsAt: Date | null }, now: Date): boolean {
  return session.status === "SCHEDULED" && session.startsAt !== null && session.startsAt > now;
}

/** Whether a session page offers the enrolment form: only before its first half-day. */
export type SessionOpenness = "open" | "cancelled" | "past";
export function sessionOpenness(session: { status: string; startsAt: Date | null }, now: Date): SessionOpenness {
  if (session.status === "CANCELLED") return "cancelled";
  return isUpcoming(session, now) ? "open" : "past";
}

export type FundingChoice = { value: "STRUCTURE" | "OPCO" | "FREE" | "CARD"; label: string };

/** The funding a learner may choose on the session page; card payment only when it is offered (Stripe configured, paid session). */
export function fundingChoices(isFree: boolean, options: { card?: boolean } = {}): FundingChoice[] {
  if (isFree) return [{ value: "FREE", label: "Gratuit" }];
  return [
    { value: "STRUCTURE", label: "Prise en charge par ma structure" },
    { value: "OPCO", label: "Prise en charge par un OPCO" },
    ...(options.card ? [{ value: "CARD" as const, label: "Paiement par carte bancaire (en ligne)" }] : []),
  ];
}

// ───────────────────────────── Results ─────────────────────────────

/** A hot-survey answer counts as satisfied from this score (out of 5). */
export const SATISFIED_FROM = 4;

export type Rate = { rate: number; count: number; total: number };

/** Share of answers scoring SATISFIED_FROM or more; null before the first answer. */
export function satisfactionRate(input: { satisfied: number; responses: number }): Rate | null {
  if (input.responses <= 0) return null;
  return { rate: input.satisfied / input.responses, count: input.satisfied, total: input.responses };
}

/** Share of confirmed trainees of closed sessions who completed the training (results.rules.ts says what completed means). */
export function completionRate(input: { completed: number; confirmed: number }): Rate | null {
  if (input.confirmed <= 0) return null;
  return { rate: Math.min(1, input.completed / input.confirmed), count: input.completed, total: input.confirmed };
}

/** 0.8571 → "86 %" (narrow no-break space, as French typography wants). */
export const formatRate = (rate: number) => `${Math.round(rate * 100)}\u202f%`;

// ───────────────────────────── Formatting ─────────────────────────────

/** 420 → "7 h", 840 → "14 h", 90 → "1 h 30". */
export function formatHours(durationMinutes: number): string {
  const minutes = Math.max(0, Math.round(durationMinutes));
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${String(rest).padStart(2, "0")}`;
}

const wholeEuros = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR", maximumFractionDigits: 0 });
const euros = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR", minimumFractionDigits: 2 });

/** 25000 → "250 €", 2550 → "25,50 €", free → "Gratuit". */
export function formatPrice(priceCents: number, isFree = false): string {
  if (isFree || priceCents === 0) return "Gratuit";
  return priceCents % 100 === 0 ? wholeEuros.format(priceCents / 100) : euros.format(priceCents / 100);
}

/** One item per line, blank lines dropped. */
export const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);

/** A valid NSF code (nomenclature des spécialités de formation, BPF F-4): three digits, with the letter of the field when there is one ("332", "326t"). */
export const NSF_CODE = /^\d{3}[a-z]?$/;
