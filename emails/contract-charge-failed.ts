import { action, composeMail, note, paragraph, type MailContent } from "./layout";

export type ContractChargeFailedData = { name: string; moduleTitle: string; dates: string; amount: string; reason: string; retryOn: string | null; seatKeptUntil: string; url: string };

export function renderContractChargeFailed(d: ContractChargeFailedData): MailContent {
  return composeMail({
    subject: `Paiement refusé : ${d.moduleTitle}`,
    blocks: [
      paragraph(`Bonjour ${d.name},`),
      paragraph(`Le prélèvement de ${d.amount} sur votre carte pour la formation « ${d.moduleTitle} » (${d.dates}) n'a pas abouti : ${d.reason}.`),
      paragraph(
        `Votre place vous est gardée jusqu'au ${d.seatKeptUntil}.${d.retryOn ? ` Nous réessaierons le ${d.retryOn}.` : ""} Vous pouvez enregistrer une autre carte depuis votre contrat : le prélèvement sera alors relancé.`,
      ),
      action("Enregistrer une autre carte", d.url),
      note("Passé ce délai sans paiement, votre inscription sera annulée et la place proposée à la liste d'attente."),
    ],
  });
}
