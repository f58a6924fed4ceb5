import type { Funding, InvoiceKind, StructureType } from "~/generated/sqlite/enums";
import { isAdmin, isReferentOf, type Actor } from "~/modules/auth/permissions.rules";
import { formatEuros } from "~/modules/training/quote.rules";

/**
 * Invoices and credit notes (avoirs): numbering, totals, the mentions French law asks, who
 * may read them. Pure; the data and effects are in invoicing.server.ts, the PDF in
 * invoice-pdf.server.ts, the Factur-X XML in factur-x.ts (docs/decisions/028).
 */

export const INVOICE_SERIES = "F";
export const CREDIT_NOTE_SERIES = "A";
export const seriesOf = (kind: InvoiceKind) => (kind === "INVOICE" ? INVOICE_SERIES : CREDIT_NOTE_SERIES);

/** "F-2026-00042": series, year, sequence on five digits (more if a year ever needs them). */
export function documentNumber(series: string, year: number, sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1) throw new Error(`A sequence starts at 1, got ${sequence}`);
  return `${series}-${year}-${String(sequence).padStart(5, "0")}`;
}

const parisYearFormat = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", year: "numeric" });
/** The numbering year: the year of the issue date in Paris (an invoice of 31 December 23:30 UTC+1 is of that year). */
export const parisYear = (date: Date): number => Number(parisYearFormat.format(date));

const parisDayFormat = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" });
/** "2026-03-15", the Paris calendar day. */
export const parisDay = (date: Date): string => parisDayFormat.format(date);

export const PAYMENT_TERM_DAYS = 30;
export const VAT_EXEMPTION = "Exonération de TVA, article 261-4-4° a du CGI";
export const LATE_PENALTY = "En cas de retard de paiement, pénalités au taux d'intérêt légal majoré de 10 points (taux de la BCE majoré de 10 points), exigibles sans rappel.";
export const RECOVERY_INDEMNITY_CENTS = 4000;
export const RECOVERY_INDEMNITY = "Indemnité forfaitaire pour frais de recouvrement due au créancier en cas de retard de paiement : 40 € (articles L441-10 et D441-5 du Code de commerce).";
export const NO_DISCOUNT = "Pas d'escompte pour paiement anticipé.";

/** Public buyers: the ones Chorus Pro serves (a service code may be asked). */
const PUBLIC_TYPES: readonly StructureType[] = ["CCAS", "CIAS"];

/** A public body (a CCAS, or any structure staff gave a Chorus Pro service code): its staff are public agents. */
export const isPublicStructure = (s: { type: StructureType; publicServiceCode: string | null }): boolean => PUBLIC_TYPES.includes(s.type) || !!s.publicServiceCode;

export type Seller = {
  name: string;
  legalForm: string;
  street: string;
  postalCode: string;
  city: string;
  siret: string;
  nda: string;
  ndaRegion: string;
  email: string;
  phone: string;
  documentMentions: string;
};

export type Buyer = {
  kind: "STRUCTURE" | "INDIVIDUAL";
  name: string;
  street: string | null;
  postcode: string | null;
  city: string | null;
  siret: string | null;
  email: string | null;
  /** A business (or public body) buyer: the 40 € recovery indemnity applies. */
  professional: boolean;
  public: boolean;
  serviceCode: string | null;
  engagementNumber: string | null;
};

export type InvoiceLine = { label: string; quantity: number; unitHtCents: number; vatRatePercent: number; totalHtCents: number };
export type Totals = { htCents: number; vatCents: number; ttcCents: number };

/** The full content of an issued document: stored once (Invoice.data), everything printed comes from it. */
export type InvoiceSnapshot = {
  version: 1;
  kind: InvoiceKind;
  number: string;
  issuedAt: string;
  dueAt: string;
  seller: Seller;
  buyer: Buyer;
  funding: Funding;
  learnerName: string;
  moduleTitle: string;
  sessionDates: string;
  lines: InvoiceLine[];
  totals: Totals;
  vatMention: string;
  mentions: string[];
  /** Card payments: paid when issued. */
  paidAt: string | null;
  /** A credit note: the invoice it credits, and why. */
  credits: { number: string; issuedAt: string } | null;
  reason: string | null;
};

export function totalsOf(lines: readonly InvoiceLine[]): Totals {
  const htCents = lines.reduce((sum, l) => sum + l.totalHtCents, 0);
  const vatCents = lines.reduce((sum, l) => sum + Math.round((l.totalHtCents * l.vatRatePercent) / 100), 0);
  return { htCents, vatCents, ttcCents: htCents + vatCents };
}

/** The mentions printed under the totals: VAT exemption, payment terms, penalties, and the indemnity for professionals only. */
export function legalMentions(input: { buyer: Pick<Buyer, "professional">; paid: boolean; kind: InvoiceKind }): string[] {
  const mentions = [VAT_EXEMPTION];
  if (input.kind === "CREDIT_NOTE") return mentions;
  mentions.push(input.paid ? "Facture acquittée : payée par carte bancaire le jour de son émission." : `Payable par virement à ${PAYMENT_TERM_DAYS} jours, au plus tard à la date d'échéance.`);
  mentions.push(NO_DISCOUNT, LATE_PENALTY);
  if (input.buyer.professional) mentions.push(RECOVERY_INDEMNITY);
  return mentions;
}

const DAY_MS = 86_400_000;

export type EnrolmentToInvoice = {
  id: string;
  funding: Funding;
  amountCents: number;
  engagementNumber: string | null;
  learner: { name: string; email: string };
  structure: { name: string; type: StructureType; address: string | null; postcode: string | null; city: string | null; siret: string | null; publicServiceCode: string | null } | null;
  moduleTitle: string;
  sessionDates: string;
  hours: string;
};

/** Who is billed: the structure for STRUCTURE and OPCO fundings (the OPCO pays it by subrogation), the learner for a card. */
export function buyerOf(enrolment: Pick<EnrolmentToInvoice, "funding" | "learner" | "structure" | "engagementNumber">): Buyer {
  const s = enrolment.structure;
  if (enrolment.funding !== "CARD" && s) {
    const isPublic = isPublicStructure(s);
    return {
      kind: "STRUCTURE",
      name: s.name,
      street: s.address,
      postcode: s.postcode,
      city: s.city,
      siret: s.siret,
      email: null,
      professional: true,
      public: isPublic,
      serviceCode: s.publicServiceCode,
      engagementNumber: enrolment.engagementNumber,
    };
  }
  return {
    kind: "INDIVIDUAL",
    name: enrolment.learner.name,
    street: null,
    postcode: null,
    city: null,
    siret: null,
    email: enrolment.learner.email,
    professional: false,
    public: false,
    serviceCode: null,
    engagementNumber: null,
  };
}

/** Whether an enrolment is invoiced: a price to pay, by card, the structure or an OPCO. */
export const isInvoiceable = (e: { funding: Funding; amountCents: number }) => e.funding !== "FREE" && e.amountCents > 0;

export function buildInvoiceSnapshot(input: { enrolment: EnrolmentToInvoice; seller: Seller; number: string; issuedAt: Date; paid: boolean }): InvoiceSnapshot {
  const { enrolment, seller, number, issuedAt, paid } = input;
  const buyer = buyerOf(enrolment);
  const funded = enrolment.funding === "OPCO" ? " — prise en charge OPCO (subrogation de paiement)" : "";
  const lines: InvoiceLine[] = [
    {
      label: `Formation « ${enrolment.moduleTitle} » — ${enrolment.sessionDates} (${enrolment.hours}) — stagiaire : ${enrolment.learner.name}${funded}`,
      quantity: 1,
      unitHtCents: enrolment.amountCents,
      vatRatePercent: 0,
      totalHtCents: enrolment.amountCents,
    },
  ];
  return {
    version: 1,
    kind: "INVOICE",
    number,
    issuedAt: issuedAt.toISOString(),
    dueAt: new Date(issuedAt.getTime() + (paid ? 0 : PAYMENT_TERM_DAYS * DAY_MS)).toISOString(),
    seller,
    buyer,
    funding: enrolment.funding,
    learnerName: enrolment.learner.name,
    moduleTitle: enrolment.moduleTitle,
    sessionDates: enrolment.sessionDates,
    lines,
    totals: totalsOf(lines),
    vatMention: VAT_EXEMPTION,
    mentions: legalMentions({ buyer, paid, kind: "INVOICE" }),
    paidAt: paid ? issuedAt.toISOString() : null,
    credits: null,
    reason: null,
  };
}

/** Why a credit note of this amount cannot be issued on this invoice, in French; null when it can. */
export function creditNoteRefusal(input: { invoiceNumber: string; invoiceTtcCents: number; creditedCents: number; amountCents: number }): string | null {
  const left = input.invoiceTtcCents - input.creditedCents;
  if (!Number.isSafeInteger(input.amountCents) || input.amountCents <= 0) return "Le montant de l'avoir doit être supérieur à zéro.";
  if (left <= 0) return `La facture ${input.invoiceNumber} est déjà entièrement créditée.`;
  if (input.amountCents > left) return `L'avoir (${formatEuros(input.amountCents)}) dépasse ce qui reste à créditer sur la facture ${input.invoiceNumber} (${formatEuros(left)}).`;
  return null;
}

/** A credit note: the invoice's parties, one line for the amount credited, pointing to the invoice. */
export function buildCreditNoteSnapshot(input: { invoice: InvoiceSnapshot; seller: Seller; number: string; issuedAt: Date; amountCents: number; reason: string }): InvoiceSnapshot {
  const { invoice, seller, number, issuedAt, amountCents, reason } = input;
  const lines: InvoiceLine[] = [
    {
      label: `Avoir sur la facture ${invoice.number} — formation « ${invoice.moduleTitle} » (${invoice.sessionDates}), stagiaire : ${invoice.learnerName} — ${reason}`,
      quantity: 1,
      unitHtCents: amountCents,
      vatRatePercent: 0,
      totalHtCents: amountCents,
    },
  ];
  return {
    ...invoice,
    kind: "CREDIT_NOTE",
    number,
    issuedAt: issuedAt.toISOString(),
    dueAt: issuedAt.toISOString(),
    seller,
    lines,
    totals: totalsOf(lines),
    mentions: legalMentions({ buyer: invoice.buyer, paid: false, kind: "CREDIT_NOTE" }),
    paidAt: null,
    credits: { number: invoice.number, issuedAt: invoice.issuedAt },
    reason,
  };
}

export type InvoiceState = "PAID" | "UNPAID" | "OVERDUE" | "CREDITED";

/** Where an invoice stands: credited in full, paid, overdue (due date passed), or waiting. */
export function invoiceState(input: { totalTtcCents: number; creditedCents: number; paidAt: Date | null; dueAt: Date }, now: Date): InvoiceState {
  if (input.creditedCents >= input.totalTtcCents) return "CREDITED";
  if (input.paidAt) return "PAID";
  return input.dueAt.getTime() < now.getTime() ? "OVERDUE" : "UNPAID";
}

export const INVOICE_STATE_LABELS: Record<InvoiceState, string> = { PAID: "Payée", UNPAID: "À payer", OVERDUE: "En retard", CREDITED: "Annulée par avoir" };

/** Who may download an invoice or credit note: staff, the person billed, a referent of the structure billed. Nobody else. */
export function canReadInvoice(actor: Actor, invoice: { buyerUserId: string | null; buyerStructureId: string | null }): boolean {
  if (!actor) return false;
  if (isAdmin(actor)) return true;
  if (invoice.buyerUserId && invoice.buyerUserId === actor.id) return true;
  return !!invoice.buyerStructureId && isReferentOf(actor, invoice.buyerStructureId);
}

export const invoiceFileName = (d: { number: string; kind: InvoiceKind }) => `${d.kind === "INVOICE" ? "facture" : "avoir"}-${d.number}.pdf`;

export const FUNDING_FOR_ACCOUNTANT: Record<Funding, string> = { CARD: "Particulier (carte)", STRUCTURE: "Structure employeuse", OPCO: "OPCO", FREE: "Gratuit" };

const cents = (n: number) => (n / 100).toFixed(2).replace(".", ",");

/** The accountant's CSV: one line per invoice and credit note (credit notes negative), in number order within each date. */
export function salesCsvRows(
  documents: readonly { number: string; kind: InvoiceKind; issuedAt: Date; buyerName: string; funding: Funding; totalHtCents: number; vatCents: number; totalTtcCents: number; paidAt: Date | null; credits: string | null }[],
): (string | number)[][] {
  const header = ["Numéro", "Type", "Date", "Client", "Financeur", "Montant HT", "TVA", "Montant TTC", "Date de paiement", "Facture créditée"];
  const sign = (kind: InvoiceKind) => (kind === "CREDIT_NOTE" ? -1 : 1);
  return [
    header,
    ...documents.map((d) => [
      d.number,
      d.kind === "INVOICE" ? "Facture" : "Avoir",
      parisDay(d.issuedAt),
      d.buyerName,
      FUNDING_FOR_ACCOUNTANT[d.funding],
      cents(sign(d.kind) * d.totalHtCents),
      cents(sign(d.kind) * d.vatCents),
      cents(sign(d.kind) * d.totalTtcCents),
      d.paidAt ? parisDay(d.paidAt) : "",
      d.credits ?? "",
    ]),
  ];
}
