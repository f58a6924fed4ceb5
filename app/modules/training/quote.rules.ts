import type { EnrolmentStatus, Funding } from "~/generated/sqlite/enums";
import { isAdmin, isReferentOf, type Actor } from "~/modules/auth/permissions.rules";
import { formatDate, formatDateRange, formatSlot, parisMonthKey } from "~/utils/dates";
import { formatHours } from "./catalogue.rules";
import { formatSiret } from "~/modules/organisation/identity.rules";
import { placeLine } from "./sessions.rules";

/**
 * The quote (devis) for an enrolment paid by the employer or its OPCO: pure rules and the
 * document's content. The PDF itself is drawn by quote-pdf.server.ts.
 */

export const QUOTE_VALIDITY_DAYS = 30;
export const VAT_MENTION = "TVA non applicable, article 261-4-4° a du CGI";
const DAY_MS = 86_400_000;

const QUOTED_FUNDINGS: readonly Funding[] = ["STRUCTURE", "OPCO"];

/** A quote exists for an enrolment funded by the structure or an OPCO, until it is cancelled. */
export const hasQuote = (enrolment: { funding: Funding; status: EnrolmentStatus }) =>
  QUOTED_FUNDINGS.includes(enrolment.funding) && enrolment.status !== "CANCELLED";

/**
 * Who may read an enrolment's quote: the learner, a referent of the structure the enrolment
 * is made for (the one who signs it), and staff. Not the trainer, not other members.
 */
export function canViewQuote(actor: Actor, enrolment: { userId: string; structureId: string | null }): boolean {
  if (!actor) return false;
  return isAdmin(actor) || actor.id === enrolment.userId || (!!enrolment.structureId && isReferentOf(actor, enrolment.structureId));
}

/**
 * "DEV-2026-K3M9Q2ZD": the year the enrolment was made (Paris) and the end of its id. Stable
 * (downloading again gives the same number), unique, readable on the phone; no counter needed.
 */
export function quoteNumber(enrolment: { id: string; createdAt: Date }): string {
  return `DEV-${parisMonthKey(enrolment.createdAt).slice(0, 4)}-${enrolment.id.slice(-8).toUpperCase()}`;
}

const euros = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR", minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** 123400 → "1 234,00 €" (French spacing: narrow no-break space for thousands, no-break space before €). */
export function formatEuros(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new Error(`Amounts are integer cents, got ${cents}`);
  return euros.format(cents / 100);
}

export type QuoteInput = {
  enrolment: { id: string; createdAt: Date; funding: Funding; amountCents: number };
  learner: { name: string; email: string; jobTitle: string | null };
  structure: { name: string; address: string | null; postcode: string | null; city: string | null; siret: string | null } | null;
  session: {
    priceCents: number;
    format: string;
    venueName: string | null;
    address: string | null;
    postcode: string | null;
    city: string | null;
    trainerName: string | null;
    slots: { startsAt: Date; endsAt: Date }[];
  };
  module: { title: string; durationMinutes: number };
};

export type QuoteLine = { label: string; quantity: number; unitCents: number; totalCents: number };

export type Quote = {
  number: string;
  issuedOn: string;
  validUntil: string;
  client: { name: string; lines: string[] };
  learner: { name: string; email: string; jobTitle: string | null };
  funding: "STRUCTURE" | "OPCO";
  moduleTitle: string;
  dates: string;
  slots: string[];
  hours: string;
  place: string;
  trainerName: string | null;
  lines: QuoteLine[];
  totalCents: number;
};

/** Minutes of teaching: the half-days planned, or the module's duration before they are. */
export function teachingMinutes(slots: { startsAt: Date; endsAt: Date }[], moduleMinutes: number): number {
  if (slots.length === 0) return moduleMinutes;
  return slots.reduce((sum, s) => sum + Math.round((s.endsAt.getTime() - s.startsAt.getTime()) / 60_000), 0);
}

export function buildQuote(input: QuoteInput, now: Date): Quote {
  const { enrolment, learner, structure, session, module } = input;
  // The amount set when the seat was taken; before that (waiting list), the session's price.
  const unitCents = enrolment.amountCents > 0 ? enrolment.amountCents : session.priceCents;
  const first = session.slots[0];
  const last = session.slots.at(-1);
  const dates = first && last ? formatDateRange(first.startsAt, last.endsAt) : "Dates à venir";
  const hours = formatHours(teachingMinutes(session.slots, module.durationMinutes));
  const town = structure ? [structure.postcode, structure.city].filter(Boolean).join(" ") : "";
  const client = structure
    ? {
        name: structure.name,
        lines: [structure.address, town, structure.siret ? `SIRET ${formatSiret(structure.siret)}` : null].filter((l): l is string => !!l),
      }
    : { name: learner.name, lines: [learner.email] };
  return {
    number: quoteNumber(enrolment),
    issuedOn: formatDate(now),
    validUntil: formatDate(new Date(now.getTime() + QUOTE_VALIDITY_DAYS * DAY_MS)),
    client,
    learner,
    funding: enrolment.funding === "OPCO" ? "OPCO" : "STRUCTURE",
    moduleTitle: module.title,
    dates,
    slots: session.slots.map(formatSlot),
    hours,
    place: placeLine(session),
    trainerName: session.trainerName,
    lines: [
      {
        label: `Formation « ${module.title} » — ${dates.charAt(0).toLowerCase()}${dates.slice(1)} (${hours}) — stagiaire : ${learner.name}`,
        quantity: 1,
        unitCents,
        totalCents: unitCents,
      },
    ],
    totalCents: unitCents,
  };
}

/** "devis-DEV-2026-K3M9Q2ZD.pdf" */
export const quoteFileName = (quote: { number: string }) => `devis-${quote.number}.pdf`;
