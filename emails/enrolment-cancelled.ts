import { action, composeMail, note, paragraph, type MailContent } from "./layout";

export type EnrolmentCancelledData = { name: string; moduleTitle: string; dates: string; reason: string | null; byStaff: boolean; url: string };

export function renderEnrolmentCancelled(d: EnrolmentCancelledData): MailContent {
  return composeMail({
    subject: `Inscription annulée : ${d.moduleTitle}`,
    blocks: [
      paragraph(`Bonjour ${d.name},`),
      paragraph(
        d.byStaff
          ? `L'association a annulé votre inscription à la session « ${d.moduleTitle} » (${d.dates}).`
          : `Votre inscription à la session « ${d.moduleTitle} » (${d.dates}) est annulée.`,
      ),
      ...(d.reason ? [paragraph(`Motif : ${d.reason}`)] : []),
      action("Voir mes inscriptions", d.url),
      note("Si vous n'êtes pas à l'origine de cette annulation et pensez qu'il s'agit d'une erreur, contactez l'association."),
    ],
  });
}
