import { action, composeMail, note, paragraph, type MailContent } from "./layout";

export type PaymentRefundedData = { name: string; moduleTitle: string; dates: string; amount: string; reason: string; url: string };

export function renderPaymentRefunded(d: PaymentRefundedData): MailContent {
  return composeMail({
    subject: `Remboursement : ${d.moduleTitle}`,
    blocks: [
      paragraph(`Bonjour ${d.name},`),
      paragraph(`Nous vous remboursons ${d.amount} payés par carte pour la session « ${d.moduleTitle} » (${d.dates}) : ${d.reason}.`),
      paragraph("Le remboursement est envoyé sur la carte utilisée pour le paiement ; selon votre banque, il apparaît sous 5 à 10 jours ouvrés."),
      action("Voir mes inscriptions", d.url),
      note("Pour toute question sur ce remboursement, contactez l'association."),
    ],
  });
}
