import { action, composeMail, paragraph, type MailContent } from "./layout";

/** To staff: a refund made in Stripe's dashboard reached the portal. */
export type RefundRecordedData = { learnerName: string; moduleTitle: string; amount: string; creditNote: string | null; seatFreed: boolean; url: string };

export function renderRefundRecorded(d: RefundRecordedData): MailContent {
  return composeMail({
    subject: `Remboursement enregistré : ${d.learnerName}`,
    blocks: [
      paragraph("Bonjour,"),
      paragraph(`Un remboursement de ${d.amount} a été fait dans Stripe pour l'inscription de ${d.learnerName} à « ${d.moduleTitle} ».`),
      paragraph(
        [d.creditNote ? `L'avoir ${d.creditNote} est émis.` : "Aucun avoir n'était à émettre.", d.seatFreed ? "L'inscription est annulée et sa place proposée à la liste d'attente." : "L'inscription est conservée (remboursement partiel)."].join(" "),
      ),
      action("Voir l'inscription", d.url),
    ],
  });
}
