import { action, composeMail, note, paragraph, type MailContent } from "./layout";

export type InvoiceOverdueData = { name: string; number: string; issuedOn: string; dueOn: string; amount: string; url: string };

export function renderInvoiceOverdue(d: InvoiceOverdueData): MailContent {
  return composeMail({
    subject: `Relance : facture ${d.number} en attente de paiement`,
    blocks: [
      paragraph(`Bonjour ${d.name},`),
      paragraph(`Sauf erreur de notre part, la facture ${d.number} du ${d.issuedOn}, échue le ${d.dueOn}, reste à régler : ${d.amount}.`),
      paragraph("Merci d'effectuer le virement dès que possible, en indiquant le numéro de la facture. Si le paiement est déjà parti, ne tenez pas compte de ce message."),
      action("Télécharger la facture", d.url),
      note("Des pénalités de retard et, pour les professionnels, l'indemnité forfaitaire de 40 € pour frais de recouvrement peuvent s'appliquer."),
    ],
  });
}
