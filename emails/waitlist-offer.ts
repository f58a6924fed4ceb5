import { action, composeMail, note, paragraph, type MailContent } from "./layout";

export type WaitlistOfferData = { name: string; moduleTitle: string; dates: string; deadline: string; url: string };

export function renderWaitlistOffer(d: WaitlistOfferData): MailContent {
  return composeMail({
    subject: `Une place se libère : ${d.moduleTitle}`,
    blocks: [
      paragraph(`Bonjour ${d.name},`),
      paragraph(`Une place s'est libérée dans la session « ${d.moduleTitle} » (${d.dates}) et vous êtes la prochaine personne sur la liste d'attente.`),
      paragraph(`Elle vous est réservée jusqu'au ${d.deadline}. Confirmez-la depuis votre espace : passé ce délai, elle sera proposée à la personne suivante.`),
      action("Confirmer ma place", d.url),
      note("Si vous ne souhaitez plus suivre cette session, vous pouvez aussi refuser la place depuis votre espace."),
    ],
  });
}
