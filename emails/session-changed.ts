import { action, composeMail, note, paragraph, type MailContent } from "./layout";

export type SessionChangedData = {
  name: string;
  moduleTitle: string;
  /** The new half-days, one line each ("lundi 2 mars 2026, 09:00 – 12:30"), Paris time. */
  slots: string[];
  /** The new place, one line ("Maillon Lyon, 8 rue Saint-Jérôme, 69007 Lyon" or "À distance"). */
  place: string;
  accessInfo: string | null;
  /** The learner's space, where the enrolment can be cancelled. */
  accountUrl: string;
  /** An updated convocation.ics is attached (confirmed seats). */
  calendar?: boolean;
};

export function renderSessionChanged({ name, moduleTitle, slots, place, accessInfo, accountUrl, calendar }: SessionChangedData): MailContent {
  return composeMail({
    subject: `Changement de date ou de lieu : ${moduleTitle}`,
    blocks: [
      paragraph(`Bonjour ${name},`),
      paragraph(`La session « ${moduleTitle} » à laquelle vous êtes inscrit·e change de date ou de lieu. Voici ses nouvelles informations.`),
      paragraph(`Créneaux : ${slots.join(" ; ")}`),
      paragraph(`Lieu : ${place}`),
      ...(accessInfo ? [paragraph(`Accès : ${accessInfo}`)] : []),
      ...(calendar ? [paragraph("Le fichier joint (convocation.ics) met à jour les demi-journées dans votre agenda.")] : []),
      paragraph("Votre inscription est maintenue. Si ces nouvelles dates ne vous conviennent pas, vous pouvez l'annuler depuis votre espace."),
      action("Voir mon espace", accountUrl),
      note("Pour toute question, écrivez-nous depuis la page Contact."),
    ],
  });
}
