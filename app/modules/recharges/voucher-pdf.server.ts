import { COLORS, PdfFlow } from "~/modules/pdf/document.server";
import { db } from "~/utils/db.server";
import { formatDate, formatTime } from "~/utils/dates";
import { readCodeForVoucher } from "./issuing.server";
import type { OrganisationIdentity } from "~/modules/organisation/identity.rules";
import { currentIdentity } from "~/modules/organisation/identity.server";
import { formatCode, formatEuros } from "./display";
import { isVoucherPrintable } from "./issuing.rules";
import { lastValidDay } from "./stock.rules";

/** The small printed voucher handed to the beneficiary: the code, the product, how to use it. No personal data. */
export type Voucher = { code: string; productName: string; description: string; faceValueCents: number; validityDays: number; expiresAt: Date; relayName: string; issuedAt: Date };

export async function renderVoucherPdf(v: Voucher, now: Date, organisation: OrganisationIdentity): Promise<Uint8Array> {
  // A6: a quarter of an A4 sheet, the size of a till receipt.
  const pdf = await PdfFlow.create({ title: `Bon de recharge ${v.productName}`, subject: "Bon de recharge", author: organisation.name, now }, { pageSize: [297.64, 419.53], margin: 24 });
  pdf.text("Bon de recharge", { size: 14, bold: true, color: COLORS.accent });
  pdf.text(`${v.productName} — ${formatEuros(v.faceValueCents)}`, { size: 11, bold: true });
  pdf.text(v.description, { size: 9 });
  pdf.space(8);
  pdf.text("Code de recharge", { size: 9 });
  pdf.text(formatCode(v.code), { size: 16, bold: true });
  pdf.space(6);
  pdf.text(`Code valable jusqu'au ${formatDate(lastValidDay(v.expiresAt))} inclus ; la recharge dure ${v.validityDays} jours après activation.`, { size: 8 });
  pdf.text("Pour l'activer : composez le numéro de rechargement de votre opérateur et saisissez ce code.", { size: 8 });
  pdf.space(6);
  pdf.text(`Délivré le ${formatDate(v.issuedAt)} à ${formatTime(v.issuedAt)} par ${v.relayName}, Relais Numérique de ${organisation.name}.`, { size: 7, color: COLORS.muted });
  pdf.text("Ce code est personnel : ne le communiquez à personne.", { size: 7, color: COLORS.muted });
  return pdf.save();
}

/** The voucher of one issue, for the staff member who issued it, shortly after the code was shown; null otherwise. */
export async function getVoucherPdf(input: { relayId: string; staffId: string; issueId: string; now?: Date }): Promise<{ pdf: Uint8Array; fileName: string } | null> {
  const now = input.now ?? new Date();
  const issue = await db.rechargeIssue.findFirst({
    where: { id: input.issueId, relayId: input.relayId, staffId: input.staffId, mistakeDeclaredAt: null },
    select: {
      issuedAt: true,
      codeRevealedAt: true,
      product: { select: { name: true, description: true, faceValueCents: true, validityDays: true } },
      code: { select: { expiresAt: true } },
      relay: { select: { structure: { select: { name: true } } } },
    },
  });
  if (!issue || !isVoucherPrintable(issue.codeRevealedAt, now)) return null;
  const code = await readCodeForVoucher(input.issueId, input.staffId);
  const pdf = await renderVoucherPdf(
    { code, productName: issue.product.name, description: issue.product.description, faceValueCents: issue.product.faceValueCents, validityDays: issue.product.validityDays, expiresAt: issue.code.expiresAt, relayName: issue.relay.structure.name, issuedAt: issue.issuedAt },
    now,
    await currentIdentity(),
  );
  return { pdf, fileName: "bon-de-recharge.pdf" };
}
