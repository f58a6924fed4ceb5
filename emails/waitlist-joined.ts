import { action, composeMail, note, paragraph, type MailContent } from "./layout";

export type WaitlistJoinedData = { name: string; moduleTitle: string; dates: string; position: number; url: string };

export function renderWaitlistJoined(d: WaitlistJoinedData): MailContent {
  return composeMail({
    subject: `Liste d'attente : ${d.moduleTitle}`,
    blocks: [
      paragraph(`Bonjour ${d.name},`),
      paragraph(`La session « ${d.moduleTitle} » (${d.dates}) est complète. Vous êtes inscrit·e sur sa liste d'attente, au rang ${d.position}.`),
      paragraph("Si une place se libère, nous vous la proposerons par e-mail, avec un délai de 48 heures pour la confirmer."),
      action("Voir mes inscriptions", d.url),
      note("Vous pouvez quitter la liste d'attente à tout moment depuis votre espace."),
    ],
  });
}
