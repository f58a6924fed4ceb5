import { action, composeMail, paragraph, type MailContent } from "./layout";

export type RechargeLowStockData = { productName: string; remaining: number; threshold: number; stockUrl: string };

export function renderRechargeLowStock({ productName, remaining, threshold, stockUrl }: RechargeLowStockData): MailContent {
  return composeMail({
    subject: `Stock bas : recharges « ${productName} »`,
    blocks: [
      paragraph("Bonjour,"),
      paragraph(
        `Il ne reste que ${remaining} code(s) utilisable(s) pour la recharge « ${productName} » (seuil d'alerte : ${threshold}). Pensez à demander un nouveau lot à l'opérateur et à l'importer.`,
      ),
      action("Voir le stock", stockUrl),
    ],
  });
}
