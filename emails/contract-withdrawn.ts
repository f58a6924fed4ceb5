import { action, composeMail, note, paragraph, type MailContent } from "./layout";

export type ContractWithdrawnData = { name: string; moduleTitle: string; dates: string; withdrawnAt: string; url: string };

export function renderContractWithdrawn(d: ContractWithdrawnData): MailContent {
  return composeMail({
    subject: `Rétractation enregistrée : ${d.moduleTitle}`,
    blocks: [
      paragraph(`Bonjour ${d.name},`),
      paragraph(`Nous avons bien reçu votre rétractation du contrat de formation « ${d.moduleTitle} » (${d.dates}), le ${d.withdrawnAt}.`),
      paragraph("Votre inscription est annulée. Rien ne vous a été prélevé et rien ne vous sera prélevé : vous ne devez aucune somme."),
      action("Voir mes inscriptions", d.url),
      note("Cet e-mail confirme votre rétractation (article L6353-5 du Code du travail) : gardez-le."),
    ],
  });
}
