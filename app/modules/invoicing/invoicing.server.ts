import { createHash } from "node:crypto";
import type { Actor } from "~/modules/auth/permissions.rules";
import { enqueueMail } from "~/modules/mail/outbox.server";
import { readCurrentIdentity } from "~/modules/organisation/identity.server";
import { formatHours } from "~/modules/training/catalogue.rules";
import { formatEuros, teachingMinutes } from "~/modules/training/quote.rules";
import { formatDate, formatDateRange } from "~/utils/dates";
import { db, type Tx } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import {
  buildCreditNoteSnapshot,
  buildInvoiceSnapshot,
  canReadInvoice,
  creditNoteRefusal,
  documentNumber,
  invoiceFileName,
  invoiceState,
  isInvoiceable,
  parisYear,
  salesCsvRows,
  seriesOf,
  type InvoiceSnapshot,
  type InvoiceState,
  type Seller,
} from "./invoice.rules";
import { renderInvoicePdf } from "./invoice-pdf.server";
import { spreadsheetCsv } from "~/utils/csv";
import type { InvoiceKind } from "~/generated/sqlite/enums";

/**
 * Issuing invoices and credit notes, inside the caller's transaction (the change that makes
 * an enrolment payable, or cancels or refunds it, and its document commit together or not at
 * all). Numbers come from `InvoiceCounter`, one row per series and Paris year, incremented in
 * the same transaction as the document: a rolled-back transaction gives its number back, and
 * on PostgreSQL the row lock queues concurrent issuers (docs/decisions/028).
 *
 * Points 6 (BPF) and 7 (Qualiopi pack) read invoices through `listInvoicesForYear` and
 * `getInvoicePdfBytes`.
 */

type Failure = { ok: false; message: string };
export type IssuedDocument = { id: string; number: string };

async function nextNumber(tx: Tx, kind: InvoiceKind, issuedAt: Date): Promise<{ number: string; year: number; sequence: number }> {
  const series = seriesOf(kind);
  const year = parisYear(issuedAt);
  // Both databases accept this form; the row exists from then on, and the update below locks it.
  await tx.$executeRaw`INSERT INTO "InvoiceCounter" ("series", "year", "last") VALUES (${series}, ${year}, 0) ON CONFLICT DO NOTHING`;
  const counter = await tx.invoiceCounter.update({ where: { series_year: { series, year } }, data: { last: { increment: 1 } }, select: { last: true } });
  return { number: documentNumber(series, year, counter.last), year, sequence: counter.last };
}

async function sellerOf(tx: Tx): Promise<Seller> {
  const o = await readCurrentIdentity(tx);
  return {
    name: o.name,
    legalForm: o.legalForm,
    street: o.street,
    postalCode: o.postalCode,
    city: o.city,
    siret: o.siret,
    nda: o.nda,
    ndaRegion: o.ndaRegion,
    email: o.email,
    phone: o.phone,
    documentMentions: o.documentMentions,
  };
}

const creditedCents = (creditNotes: readonly { totalTtcCents: number }[]) => creditNotes.reduce((sum, c) => sum + c.totalTtcCents, 0);

/** The enrolment's invoice still open (not entirely credited), if any. */
export async function openInvoiceOf(tx: Tx, enrolmentId: string) {
  const invoices = await tx.invoice.findMany({
    where: { enrolmentId, kind: "INVOICE" },
    orderBy: { issuedAt: "desc" },
    include: { creditNotes: { select: { totalTtcCents: true } } },
  });
  const open = invoices.find((i) => creditedCents(i.creditNotes) < i.totalTtcCents);
  return open ? { ...open, creditedCents: creditedCents(open.creditNotes), leftCents: open.totalTtcCents - creditedCents(open.creditNotes) } : null;
}

/**
 * Issues the invoice of an enrolment that has become payable: at confirmation for a structure
 * or an OPCO, at payment for a card (`paid`). Idempotent: an enrolment with an open invoice
 * gets no second one. Null when nothing is to be invoiced (free, or no price).
 */
export async function issueInvoiceForEnrolment(tx: Tx, enrolmentId: string, options: { now: Date; paid?: boolean }): Promise<IssuedDocument | null> {
  const { now, paid = false } = options;
  const enrolment = await tx.enrolment.findUniqueOrThrow({
    where: { id: enrolmentId },
    include: {
      user: { select: { id: true, name: true, email: true } },
      structure: { select: { id: true, name: true, type: true, address: true, postcode: true, city: true, siret: true, publicServiceCode: true } },
      session: { select: { module: { select: { title: true, durationMinutes: true } }, slots: { orderBy: { startsAt: "asc" }, select: { startsAt: true, endsAt: true } } } },
    },
  });
  if (!isInvoiceable(enrolment)) return null;
  const existing = await openInvoiceOf(tx, enrolmentId);
  if (existing) return { id: existing.id, number: existing.number };
  const { slots, module } = enrolment.session;
  const first = slots[0];
  const last = slots.at(-1);
  const { number, year, sequence } = await nextNumber(tx, "INVOICE", now);
  const snapshot = buildInvoiceSnapshot({
    enrolment: {
      id: enrolment.id,
      funding: enrolment.funding,
      amountCents: enrolment.amountCents,
      engagementNumber: enrolment.engagementNumber,
      learner: enrolment.user,
      structure: enrolment.structure,
      moduleTitle: module.title,
      sessionDates: first && last ? formatDateRange(first.startsAt, last.endsAt) : "dates à venir",
      hours: formatHours(teachingMinutes(slots, module.durationMinutes)),
    },
    seller: await sellerOf(tx),
    number,
    issuedAt: now,
    paid,
  });
  const byStructure = snapshot.buyer.kind === "STRUCTURE";
  const invoice = await tx.invoice.create({
    data: {
      number,
      kind: "INVOICE",
      year,
      sequence,
      enrolmentId,
      funding: enrolment.funding,
      buyerName: snapshot.buyer.name,
      buyerStructureId: byStructure ? enrolment.structureId : null,
      buyerUserId: byStructure ? null : enrolment.userId,
      issuedAt: now,
      dueAt: new Date(snapshot.dueAt),
      totalHtCents: snapshot.totals.htCents,
      vatCents: snapshot.totals.vatCents,
      totalTtcCents: snapshot.totals.ttcCents,
      paidAt: paid ? now : null,
      data: snapshot as unknown as object,
    },
    select: { id: true, number: true },
  });
  await tx.auditLog.create({ data: { actorId: null, action: "invoice.issued", entityType: "Enrolment", entityId: enrolmentId, data: { invoiceId: invoice.id, number, totalCents: snapshot.totals.ttcCents }, createdAt: now } });
  return invoice;
}

/**
 * A credit note (avoir) on an invoice: for a cancellation after the invoice, or a refund,
 * whole or part. Refused, with a French message, when the amount exceeds what the invoice
 * still carries. The invoice row is locked first, so two credit notes at once cannot both
 * take the same remainder; the number is drawn only once the amount is accepted (a refusal
 * leaves no hole).
 */
export async function issueCreditNote(
  tx: Tx,
  invoiceId: string,
  amountCents: number,
  reason: string,
  options: { now: Date; stripeRefundId?: string },
): Promise<({ ok: true } & IssuedDocument) | Failure> {
  const { now } = options;
  const locked = await tx.invoice.updateMany({ where: { id: invoiceId, kind: "INVOICE" }, data: { sequence: { increment: 0 } } });
  if (locked.count !== 1) return { ok: false, message: "Cette facture n'existe pas." };
  const invoice = await tx.invoice.findUniqueOrThrow({ where: { id: invoiceId }, include: { creditNotes: { select: { totalTtcCents: true } } } });
  const refusal = creditNoteRefusal({ invoiceNumber: invoice.number, invoiceTtcCents: invoice.totalTtcCents, creditedCents: creditedCents(invoice.creditNotes), amountCents });
  if (refusal) return { ok: false, message: refusal };
  const { number, year, sequence } = await nextNumber(tx, "CREDIT_NOTE", now);
  const snapshot = buildCreditNoteSnapshot({ invoice: invoice.data as unknown as InvoiceSnapshot, seller: await sellerOf(tx), number, issuedAt: now, amountCents, reason });
  const note = await tx.invoice.create({
    data: {
      number,
      kind: "CREDIT_NOTE",
      year,
      sequence,
      enrolmentId: invoice.enrolmentId,
      funding: invoice.funding,
      buyerName: invoice.buyerName,
      buyerStructureId: invoice.buyerStructureId,
      buyerUserId: invoice.buyerUserId,
      issuedAt: now,
      dueAt: now,
      totalHtCents: snapshot.totals.htCents,
      vatCents: snapshot.totals.vatCents,
      totalTtcCents: snapshot.totals.ttcCents,
      creditedInvoiceId: invoice.id,
      reason,
      stripeRefundId: options.stripeRefundId ?? null,
      data: snapshot as unknown as object,
    },
    select: { id: true, number: true },
  });
  if (invoice.enrolmentId) {
    await tx.auditLog.create({
      data: { actorId: null, action: "invoice.credited", entityType: "Enrolment", entityId: invoice.enrolmentId, reason, data: { invoiceId, creditNoteId: note.id, number, amountCents }, createdAt: now },
    });
  }
  return { ok: true, ...note };
}

/** A cancellation after the invoice: what the invoice still carries is credited. Nothing when there is no open invoice. */
export async function creditWhatIsLeft(tx: Tx, enrolmentId: string, reason: string, now: Date): Promise<IssuedDocument | null> {
  const open = await openInvoiceOf(tx, enrolmentId);
  if (!open) return null;
  const result = await issueCreditNote(tx, open.id, open.leftCents, reason, { now });
  return result.ok ? { id: result.id, number: result.number } : null;
}

/** The payment of an invoiced enrolment was received (staff record a transfer). */
export async function markInvoicePaid(tx: Tx, enrolmentId: string, now: Date): Promise<void> {
  await tx.invoice.updateMany({ where: { enrolmentId, kind: "INVOICE", paidAt: null }, data: { paidAt: now } });
}

// ───────────────────────────── Reading ─────────────────────────────

const readerScope = { id: true, number: true, kind: true, buyerUserId: true, buyerStructureId: true, data: true, pdf: true, issuedAt: true } as const;

async function pdfOf(invoice: { id: string; data: unknown; pdf: Uint8Array | null }): Promise<Uint8Array> {
  if (invoice.pdf) return invoice.pdf;
  // Rendered once, from the stored snapshot, then kept: the first render is the document.
  const bytes = await renderInvoicePdf(invoice.data as InvoiceSnapshot);
  const sha = createHash("sha256").update(bytes).digest("hex");
  await db.invoice.updateMany({ where: { id: invoice.id, pdf: null }, data: { pdf: new Uint8Array(bytes), pdfSha256: sha } });
  const stored = await db.invoice.findUniqueOrThrow({ where: { id: invoice.id }, select: { pdf: true } });
  return stored.pdf ?? bytes;
}

export type InvoicePdfResult = { ok: true; pdf: Uint8Array; fileName: string } | { ok: false; status: 403 | 404; message: string };

/** An invoice or credit note as its PDF (with its Factur-X XML), for someone allowed to read it. */
export async function getInvoicePdf(input: { actor: Actor; invoiceId: string }): Promise<InvoicePdfResult> {
  const invoice = await db.invoice.findUnique({ where: { id: input.invoiceId }, select: readerScope });
  // Another person's invoice is answered as missing: its existence is nobody else's business.
  if (!invoice || !canReadInvoice(input.actor, invoice)) return { ok: false, status: 404, message: "Cette facture n'existe pas." };
  return { ok: true, pdf: await pdfOf(invoice), fileName: invoiceFileName(invoice) };
}

/** For later documents (the Qualiopi pack): the stored PDF bytes, without an access check (the caller did it). */
export async function getInvoicePdfBytes(invoiceId: string): Promise<Uint8Array | null> {
  const invoice = await db.invoice.findUnique({ where: { id: invoiceId }, select: readerScope });
  return invoice ? pdfOf(invoice) : null;
}

/** For the BPF: every invoice and credit note issued in a Paris year. */
export function listInvoicesForYear(year: number) {
  return db.invoice.findMany({
    where: { year },
    orderBy: [{ issuedAt: "asc" }, { number: "asc" }],
    select: { id: true, number: true, kind: true, enrolmentId: true, funding: true, issuedAt: true, totalHtCents: true, vatCents: true, totalTtcCents: true, creditedInvoiceId: true, buyerStructureId: true },
  });
}

export type MyInvoice = { id: string; number: string; kind: InvoiceKind; issuedAt: Date; buyerName: string; totalTtcCents: number; label: string };

/** What a person may download: what was billed to them, and to the structures they are referent of. */
export async function listMyInvoices(actor: NonNullable<Actor>): Promise<MyInvoice[]> {
  const referentOf = actor.memberships.filter((m) => m.role === "REFERENT").map((m) => m.structureId);
  const rows = await db.invoice.findMany({
    where: { OR: [{ buyerUserId: actor.id }, ...(referentOf.length ? [{ buyerStructureId: { in: referentOf } }] : [])] },
    orderBy: [{ issuedAt: "desc" }, { number: "desc" }],
    select: { id: true, number: true, kind: true, issuedAt: true, buyerName: true, totalTtcCents: true, data: true },
    take: 200,
  });
  return rows.map(({ data, ...r }) => {
    const s = data as unknown as InvoiceSnapshot;
    return { ...r, label: `${s.moduleTitle} — ${s.learnerName}` };
  });
}

export type StaffInvoiceRow = {
  id: string;
  number: string;
  kind: InvoiceKind;
  issuedAt: Date;
  dueAt: Date;
  buyerName: string;
  funding: string;
  totalTtcCents: number;
  creditedCents: number;
  paidAt: Date | null;
  reminderSentAt: Date | null;
  state: InvoiceState | null;
  credits: string | null;
  enrolmentId: string | null;
};

/** The staff invoices page: every invoice with where it stands, and the credit notes. */
export async function listInvoicesForStaff(now: Date): Promise<StaffInvoiceRow[]> {
  const rows = await db.invoice.findMany({
    orderBy: [{ issuedAt: "desc" }, { number: "desc" }],
    take: 1000,
    select: {
      id: true,
      number: true,
      kind: true,
      issuedAt: true,
      dueAt: true,
      buyerName: true,
      funding: true,
      totalTtcCents: true,
      paidAt: true,
      reminderSentAt: true,
      enrolmentId: true,
      creditNotes: { select: { totalTtcCents: true } },
      creditedInvoice: { select: { number: true } },
    },
  });
  return rows.map(({ creditNotes, creditedInvoice, ...r }) => {
    const credited = creditedCents(creditNotes);
    return {
      ...r,
      creditedCents: credited,
      credits: creditedInvoice?.number ?? null,
      state: r.kind === "INVOICE" ? invoiceState({ totalTtcCents: r.totalTtcCents, creditedCents: credited, paidAt: r.paidAt, dueAt: r.dueAt }, now) : null,
    };
  });
}

/** The accountant's CSV of sales: every invoice and credit note, in number order. */
export async function salesCsv(): Promise<string> {
  const rows = await db.invoice.findMany({
    orderBy: [{ kind: "asc" }, { year: "asc" }, { sequence: "asc" }],
    select: { number: true, kind: true, issuedAt: true, buyerName: true, funding: true, totalHtCents: true, vatCents: true, totalTtcCents: true, paidAt: true, creditedInvoice: { select: { number: true } } },
  });
  return spreadsheetCsv(salesCsvRows(rows.map(({ creditedInvoice, ...r }) => ({ ...r, credits: creditedInvoice?.number ?? null }))));
}

/**
 * One reminder mail per overdue invoice, to whoever it is billed to (the structure's
 * referents, or the person). A second click, or an invoice not overdue, is refused.
 */
export async function sendOverdueReminder(input: { staff: { id: string }; invoiceId: string; now?: Date }): Promise<{ ok: true; sentTo: number } | Failure> {
  const { staff, invoiceId, now = new Date() } = input;
  return db.$transaction(async (tx) => {
    const invoice = await tx.invoice.findUnique({ where: { id: invoiceId }, include: { creditNotes: { select: { totalTtcCents: true } } } });
    if (!invoice || invoice.kind !== "INVOICE") return { ok: false as const, message: "Cette facture n'existe pas." };
    const state = invoiceState({ totalTtcCents: invoice.totalTtcCents, creditedCents: creditedCents(invoice.creditNotes), paidAt: invoice.paidAt, dueAt: invoice.dueAt }, now);
    if (state !== "OVERDUE") return { ok: false as const, message: `La facture ${invoice.number} n'est pas en retard de paiement : aucune relance n'est envoyée.` };
    const claimed = await tx.invoice.updateMany({ where: { id: invoiceId, reminderSentAt: null }, data: { reminderSentAt: now } });
    if (claimed.count !== 1) return { ok: false as const, message: `Une relance a déjà été envoyée pour la facture ${invoice.number}.` };
    const recipients = invoice.buyerUserId
      ? await tx.user.findMany({ where: { id: invoice.buyerUserId }, select: { email: true, name: true } })
      : await tx.user.findMany({ where: { memberships: { some: { structureId: invoice.buyerStructureId ?? "", role: "REFERENT" } } }, select: { email: true, name: true } });
    if (recipients.length === 0) throw new Error(`Invoice ${invoice.number} has nobody to remind`);
    const left = invoice.totalTtcCents - creditedCents(invoice.creditNotes);
    for (const r of recipients) {
      await enqueueMail(tx, {
        template: "invoice-overdue",
        to: r.email,
        data: { name: r.name, number: invoice.number, issuedOn: formatDate(invoice.issuedAt), dueOn: formatDate(invoice.dueAt), amount: formatEuros(left), url: `${getEnv().APP_URL}/mon-espace/factures` },
      });
    }
    await tx.auditLog.create({ data: { actorId: staff.id, action: "invoice.reminder_sent", entityType: "Invoice", entityId: invoiceId, data: { number: invoice.number, recipients: recipients.length }, createdAt: now } });
    return { ok: true as const, sentTo: recipients.length };
  });
}

/** The invoices and credit notes of one enrolment, for the staff's enrolment page. */
export function listEnrolmentInvoices(enrolmentId: string) {
  return db.invoice.findMany({
    where: { enrolmentId },
    orderBy: [{ issuedAt: "asc" }, { kind: "asc" }],
    select: { id: true, number: true, kind: true, issuedAt: true, totalTtcCents: true, paidAt: true, reason: true },
  });
}
