import { AFRelationship, PDFName } from "pdf-lib";
import { COLORS, PdfFlow } from "~/modules/pdf/document.server";
import { formatNda, formatSiret } from "~/modules/organisation/identity.rules";
import { formatEuros } from "~/modules/training/quote.rules";
import { formatDate } from "~/utils/dates";
import { FACTUR_X_FILENAME, facturXml, facturXmp } from "./factur-x";
import type { InvoiceSnapshot } from "./invoice.rules";

/**
 * An invoice or credit note as an A4 PDF, drawn from its stored snapshot only, with its
 * Factur-X XML attached as an associated file (AFRelationship Alternative: the XML is the
 * structured equivalent of the page) and PDF/A-3 XMP metadata declaring it. pdf-lib does not
 * make a fully conformant PDF/A (no output intent, fonts are subset without a CIDSet): the
 * XML is what an e-invoicing platform reads.
 */
export async function renderInvoicePdf(invoice: InvoiceSnapshot): Promise<Uint8Array> {
  const credit = invoice.kind === "CREDIT_NOTE";
  const issuedAt = new Date(invoice.issuedAt);
  const title = `${credit ? "Avoir" : "Facture"} ${invoice.number}`;
  const pdf = await PdfFlow.create({ title: `${title} — ${invoice.buyer.name}`, subject: credit ? "Avoir" : "Facture", author: invoice.seller.name, now: issuedAt });
  const { seller, buyer } = invoice;
  pdf.footerText = `${seller.name} — ${title} — SIRET ${formatSiret(seller.siret)} — NDA ${formatNda(seller.nda)}`;
  const half = pdf.contentWidth / 2;
  const top = pdf.y;

  const right = { x: pdf.left + half, width: half, align: "right" as const };
  pdf.text(credit ? "AVOIR" : "FACTURE", { ...right, size: 20, bold: true, color: COLORS.accent });
  pdf.text(`N° ${invoice.number}`, { ...right, size: 11, bold: true });
  pdf.text(`Date : ${formatDate(issuedAt)}`, { ...right, size: 10 });
  if (invoice.credits) pdf.text(`Sur la facture n° ${invoice.credits.number} du ${formatDate(new Date(invoice.credits.issuedAt))}`, { ...right, size: 10 });
  else pdf.text(`Échéance : ${formatDate(new Date(invoice.dueAt))}`, { ...right, size: 10 });
  const rightBottom = pdf.y;

  pdf.y = top;
  const left = { width: half - 12 };
  pdf.text(seller.name, { ...left, size: 14, bold: true });
  pdf.text(seller.legalForm, { ...left, size: 8.5, color: COLORS.muted });
  pdf.text(seller.street, { ...left, size: 9 });
  pdf.text(`${seller.postalCode} ${seller.city}`, { ...left, size: 9 });
  pdf.text(`SIREN ${seller.siret.slice(0, 9)} — SIRET ${formatSiret(seller.siret)}`, { ...left, size: 9 });
  pdf.text(`Déclaration d'activité n° ${formatNda(seller.nda)} (${seller.ndaRegion})`, { ...left, size: 9 });
  pdf.text(`${seller.email} — ${seller.phone}`, { ...left, size: 9 });
  pdf.y = Math.min(pdf.y, rightBottom) - 18;

  pdf.text(credit ? "Avoir au bénéfice de" : "Facturé à", { size: 9, color: COLORS.muted });
  pdf.text(buyer.name, { size: 11, bold: true });
  if (buyer.street) pdf.text(buyer.street, { size: 9 });
  const town = [buyer.postcode, buyer.city].filter(Boolean).join(" ");
  if (town) pdf.text(town, { size: 9 });
  if (buyer.siret) pdf.text(`SIRET ${formatSiret(buyer.siret)}`, { size: 9 });
  if (buyer.email) pdf.text(buyer.email, { size: 9 });
  if (buyer.serviceCode) pdf.text(`Code service : ${buyer.serviceCode}`, { size: 9 });
  if (buyer.engagementNumber) pdf.text(`N° d'engagement : ${buyer.engagementNumber}`, { size: 9 });
  pdf.space(14);

  pdf.table(
    [
      { header: "Désignation", weight: 6 },
      { header: "Qté", weight: 0.7, align: "right" },
      { header: "Prix unitaire HT", weight: 1.9, align: "right" },
      { header: "TVA", weight: 1.1, align: "right" },
      { header: "Montant HT", weight: 1.8, align: "right" },
    ],
    invoice.lines.map((l) => [l.label, String(l.quantity), formatEuros(l.unitHtCents), l.vatRatePercent === 0 ? "Exonérée" : `${l.vatRatePercent} %`, formatEuros(l.totalHtCents)]),
    { size: 9.5 },
  );
  pdf.space(6);
  const totals = { x: pdf.left + half, width: half, align: "right" as const };
  pdf.ensureSpace(60);
  pdf.text(`Total HT : ${formatEuros(invoice.totals.htCents)}`, { ...totals, size: 10 });
  pdf.text(`TVA : ${formatEuros(invoice.totals.vatCents)}`, { ...totals, size: 10 });
  pdf.text(`${credit ? "Total de l'avoir TTC" : "Total TTC"} : ${formatEuros(invoice.totals.ttcCents)}`, { ...totals, size: 12, bold: true });
  if (invoice.paidAt) pdf.text(`Payé le ${formatDate(new Date(invoice.paidAt))} — reste dû : ${formatEuros(0)}`, { ...totals, size: 9.5 });
  pdf.space(12);

  if (invoice.reason) pdf.text(`Motif : ${invoice.reason}`, { size: 9.5 });
  for (const mention of invoice.mentions) pdf.text(mention, { size: 8.5, color: COLORS.muted });
  if (seller.documentMentions) pdf.text(seller.documentMentions, { size: 8, color: COLORS.muted });

  const xml = new TextEncoder().encode(facturXml(invoice));
  await pdf.doc.attach(xml, FACTUR_X_FILENAME, {
    mimeType: "text/xml",
    description: "Factur-X (EN 16931)",
    creationDate: issuedAt,
    modificationDate: issuedAt,
    afRelationship: AFRelationship.Alternative,
  });
  const metadata = pdf.doc.context.stream(facturXmp({ title: `${title} — ${buyer.name}`, author: seller.name, createdAt: issuedAt }), { Type: "Metadata", Subtype: "XML" });
  pdf.doc.catalog.set(PDFName.of("Metadata"), pdf.doc.context.register(metadata));
  return pdf.save();
}
