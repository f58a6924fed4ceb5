import { COLORS, PdfFlow } from "~/modules/pdf/document.server";
import { FUNDING_LABELS } from "./sessions.schema";
import { addressLines, formatNda, formatSiret, ndaMention, type OrganisationIdentity } from "~/modules/organisation/identity.rules";
import { VAT_MENTION, formatEuros, type Quote } from "./quote.rules";

/** The quote (devis) as an A4 PDF: organisation, client, training, price, terms, "bon pour accord". */

const PAYMENT_TERMS =
  "Facture émise à l'issue de la formation, payable par virement à 30 jours à réception. Pas d'escompte pour paiement anticipé. " +
  "Tout retard de paiement entraîne des pénalités au taux d'intérêt légal majoré de 10 points et, pour les professionnels, " +
  "une indemnité forfaitaire de 40 € pour frais de recouvrement.";
const OPCO_TERMS =
  "Prise en charge par un OPCO : joignez ce devis à votre demande de prise en charge et transmettez-nous l'accord de l'OPCO " +
  "avant le début de la formation. La facture est alors adressée à l'OPCO (subrogation de paiement) ; la part qu'il ne prend " +
  "pas en charge, ou la totalité à défaut d'accord, est facturée à la structure.";

export async function renderQuotePdf(quote: Quote, now: Date, organisation: OrganisationIdentity): Promise<Uint8Array> {
  const pdf = await PdfFlow.create({ title: `Devis ${quote.number} — ${quote.moduleTitle}`, subject: "Devis de formation", author: organisation.name, now });
  pdf.footerText = `${organisation.name} — devis ${quote.number} — SIRET ${formatSiret(organisation.siret)}`;
  const half = pdf.contentWidth / 2;
  const top = pdf.y;

  // Right: what the document is. Left: who issues it.
  const right = { x: pdf.left + half, width: half, align: "right" as const };
  pdf.text("DEVIS", { ...right, size: 20, bold: true, color: COLORS.accent });
  pdf.text(`N° ${quote.number}`, { ...right, size: 11, bold: true });
  pdf.text(`Date : ${quote.issuedOn}`, { ...right, size: 10 });
  pdf.text(`Valable jusqu'au ${quote.validUntil}`, { ...right, size: 10 });
  const rightBottom = pdf.y;

  pdf.y = top;
  const left = { width: half - 12 };
  pdf.text(organisation.name, { ...left, size: 14, bold: true });
  pdf.text("Organisme de formation", { ...left, size: 9, color: COLORS.muted });
  for (const line of addressLines(organisation)) pdf.text(line, { ...left, size: 9 });
  pdf.text(`SIRET ${formatSiret(organisation.siret)}`, { ...left, size: 9 });
  pdf.text(`N° de déclaration d'activité (NDA) ${formatNda(organisation.nda)}`, { ...left, size: 9 });
  pdf.text(`${organisation.email} — ${organisation.phone}`, { ...left, size: 9 });
  pdf.y = Math.min(pdf.y, rightBottom) - 18;

  // Client (who pays) and learner (who attends), side by side.
  const blockTop = pdf.y;
  pdf.text("Client", { width: half - 12, size: 9, color: COLORS.muted });
  pdf.text(quote.client.name, { width: half - 12, size: 11, bold: true });
  for (const line of quote.client.lines) pdf.text(line, { width: half - 12, size: 9 });
  const clientBottom = pdf.y;
  pdf.y = blockTop;
  const learnerColumn = { x: pdf.left + half, width: half };
  pdf.text("Stagiaire", { ...learnerColumn, size: 9, color: COLORS.muted });
  pdf.text(quote.learner.name, { ...learnerColumn, size: 11, bold: true });
  if (quote.learner.jobTitle) pdf.text(quote.learner.jobTitle, { ...learnerColumn, size: 9 });
  pdf.text(quote.learner.email, { ...learnerColumn, size: 9 });
  pdf.y = Math.min(pdf.y, clientBottom) - 16;

  pdf.text("Formation", { size: 12, bold: true, color: COLORS.accent });
  pdf.space(2);
  const facts: [string, string][] = [
    ["Intitulé", quote.moduleTitle],
    ["Dates", quote.dates],
    ["Durée", `${quote.hours} de formation`],
    ["Lieu", quote.place],
    ...(quote.trainerName ? ([["Formateur·rice", quote.trainerName]] as [string, string][]) : []),
    ["Financement", quote.funding === "OPCO" ? "OPCO (prise en charge demandée par la structure)" : `${FUNDING_LABELS.STRUCTURE} employeuse`],
  ];
  for (const [label, value] of facts) pdf.text(`${label} : ${value}`, { size: 10 });
  if (quote.slots.length > 0) {
    pdf.text("Demi-journées :", { size: 10 });
    for (const slot of quote.slots) pdf.text(`• ${slot}`, { x: pdf.left + 12, size: 9 });
  }
  pdf.space(12);

  pdf.table(
    [
      { header: "Désignation", weight: 6 },
      { header: "Qté", weight: 0.8, align: "right" },
      { header: "Prix unitaire", weight: 1.8, align: "right" },
      { header: "Montant", weight: 1.8, align: "right" },
    ],
    quote.lines.map((l) => [l.label, String(l.quantity), formatEuros(l.unitCents), formatEuros(l.totalCents)]),
    { size: 9.5 },
  );
  pdf.space(6);
  const totals = { x: pdf.left + half, width: half, align: "right" as const };
  pdf.ensureSpace(60);
  pdf.text(`Total HT : ${formatEuros(quote.totalCents)}`, { ...totals, size: 10 });
  pdf.text("TVA : 0,00 €", { ...totals, size: 10 });
  pdf.text(`Total à payer : ${formatEuros(quote.totalCents)}`, { ...totals, size: 12, bold: true });
  pdf.text(VAT_MENTION, { ...totals, size: 8.5, color: COLORS.muted });
  pdf.space(12);

  pdf.ensureSpace(24 + pdf.textHeight(PAYMENT_TERMS, { size: 9 }));
  pdf.text("Conditions de paiement", { size: 11, bold: true, color: COLORS.accent });
  pdf.text(PAYMENT_TERMS, { size: 9 });
  if (quote.funding === "OPCO") {
    pdf.space(4);
    pdf.text(OPCO_TERMS, { size: 9 });
  }
  pdf.space(14);

  // The acceptance box: kept whole on one page.
  const boxHeight = 112;
  pdf.ensureSpace(boxHeight + 10);
  const boxTop = pdf.y;
  pdf.page.drawRectangle({ x: pdf.left, y: boxTop - boxHeight, width: pdf.contentWidth, height: boxHeight, borderColor: COLORS.rule, borderWidth: 0.8 });
  pdf.y -= 8;
  const inside = { x: pdf.left + 10, width: pdf.contentWidth - 20 };
  pdf.text("Bon pour accord", { ...inside, size: 11, bold: true });
  pdf.text("Devis à nous retourner daté et signé avant le début de la formation ; il vaut alors commande.", { ...inside, size: 8.5, color: COLORS.muted });
  pdf.space(6);
  pdf.text("Date :", { ...inside, size: 9.5 });
  pdf.space(6);
  pdf.text("Nom et qualité du signataire :", { ...inside, size: 9.5 });
  pdf.space(6);
  pdf.text("Signature et cachet de la structure :", { ...inside, size: 9.5 });
  pdf.y = boxTop - boxHeight - 14;

  pdf.text(ndaMention(organisation), { size: 8, color: COLORS.muted });
  if (organisation.documentMentions) pdf.text(organisation.documentMentions, { size: 8, color: COLORS.muted });
  return pdf.save();
}
